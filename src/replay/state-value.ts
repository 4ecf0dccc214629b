import type { StateValue } from 'xstate';

/**
 * The state value a journal string stands for (src/runtime/actor-host.ts `stateString`): `idle`,
 * `link.open` → `{link: 'open'}`, `a.x,b.y` → `{a: 'x', b: 'y'}`. None of the charts nests a parallel
 * state inside a compound one, the one shape the string cannot tell apart.
 */
export function stateValueOf(text: string): StateValue {
  const paths = text.split(',');
  if (paths.length === 1 && !text.includes('.')) return text;
  const root: Record<string, unknown> = {};
  for (const path of paths) {
    const parts = path.split('.');
    let node = root;
    parts.forEach((part, i) => {
      if (i === parts.length - 2) {
        node[part] = parts[i + 1];
      } else if (i < parts.length - 2) {
        node = (node[part] ??= {}) as Record<string, unknown>;
      }
    });
  }
  return root as StateValue;
}
