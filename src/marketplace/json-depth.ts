// How deep JSON may nest where the agent keeps it (a skill's `metadata`, a local API body), and a
// check of that depth that never recurses. V8's JSON.parse is iterative and reads 100,000 levels,
// but JSON.stringify, structured clone and SQLite's JSON functions are not: SQLite refuses JSON
// nested past 1,000 levels as "malformed JSON", and a recursive walk overflows the stack near 10,000.
// Anything deeper than this is refused (local API) or dropped and counted (platform entries).

/** Containers (objects and arrays) a stored JSON value may nest, counting its own outermost one. */
export const MAX_JSON_DEPTH = 64;

/**
 * Whether `value` nests more than `max` containers deep (`{}` is 1 deep, `{"a":[1]}` is 2, a scalar 0).
 * Iterative, and stops at the first container past `max`: its cost is bounded by the containers
 * within `max` levels, never by the depth of the hostile part.
 */
export function jsonDepthExceeds(value: unknown, max: number = MAX_JSON_DEPTH): boolean {
  if (typeof value !== 'object' || value === null) return false;
  // Two parallel stacks (containers still to read, and their depths): no allocation per container.
  const values: object[] = [value];
  const depths: number[] = [1];
  while (values.length > 0) {
    const current = values.pop()!;
    const depth = depths.pop()!;
    if (depth > max) return true;
    if (Array.isArray(current)) {
      for (const child of current) {
        if (typeof child === 'object' && child !== null) {
          values.push(child);
          depths.push(depth + 1);
        }
      }
    } else {
      for (const key in current) {
        if (!Object.hasOwn(current, key)) continue;
        const child = (current as Record<string, unknown>)[key];
        if (typeof child === 'object' && child !== null) {
          values.push(child);
          depths.push(depth + 1);
        }
      }
    }
  }
  return false;
}

/**
 * Whether JSON text nests more than `max` containers deep, read before parsing it (a scan of the
 * brackets outside strings). The text need not be valid JSON: only its depth is read.
 */
export function jsonTextDepthExceeds(text: string, max: number = MAX_JSON_DEPTH): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i += 1) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c /* \ */) i += 1;
      else if (c === 0x22 /* " */) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x7b /* { */ || c === 0x5b /* [ */) {
      depth += 1;
      if (depth > max) return true;
    } else if (c === 0x7d /* } */ || c === 0x5d /* ] */) depth -= 1;
  }
  return false;
}
