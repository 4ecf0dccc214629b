// How deep a JSON value may nest, at every door of the agent (platform pages and messages, the local
// API's bodies, the store). SQLite's JSON functions give up past ~1,000 levels (and then every query
// touching the row fails), JSON.stringify overflows the stack a few thousand levels down: 64 is far
// below both and far above anything a skill's metadata needs.

/** Containers count: `1` is 0 deep, `{}` and `[]` are 1, `{"a":[]}` is 2. */
export const MAX_JSON_DEPTH = 64;

/**
 * Whether `value` nests containers (objects, arrays) more than `max` levels deep. Iterative (an
 * explicit stack), so a value 100,000 levels deep is answered without a stack overflow, and it stops
 * at the first container past the limit.
 */
export function jsonDepthExceeds(value: unknown, max: number): boolean {
  const stack: { value: unknown; depth: number }[] = [{ value, depth: 0 }];
  while (stack.length > 0) {
    const { value: current, depth } = stack.pop()!;
    if (typeof current !== 'object' || current === null) continue;
    const level = depth + 1;
    if (level > max) return true;
    const children = Array.isArray(current) ? current : Object.values(current);
    for (const child of children) {
      if (typeof child === 'object' && child !== null) stack.push({ value: child, depth: level });
    }
  }
  return false;
}
