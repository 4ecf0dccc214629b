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
 * Deepest platform response the client parses: an envelope, a list and an entry around the deepest
 * value it keeps, plus a little room. JSON.parse reads any depth, but slowly: 10 million levels (20 MB)
 * held the event loop 17 s and took 3.5 GB; this check costs ~1 ms on a 2.4 MB page.
 */
export const MAX_RESPONSE_DEPTH = MAX_JSON_DEPTH + 8;

/**
 * Whether JSON text nests more than `max` containers deep, read before parsing it (a scan of the
 * brackets outside strings; strings are skipped with the native indexOf, so a page of long
 * descriptions and code costs a fraction of its JSON.parse). The text need not be valid JSON: only
 * its depth is read.
 */
export function jsonTextDepthExceeds(text: string, max: number = MAX_JSON_DEPTH): boolean {
  let depth = 0;
  for (let i = 0; i < text.length; i += 1) {
    const c = text.charCodeAt(i);
    if (c === 0x22 /* " */) {
      i = closingQuote(text, i);
      if (i === -1) return false;
    } else if (c === 0x7b /* { */ || c === 0x5b /* [ */) {
      depth += 1;
      if (depth > max) return true;
    } else if (c === 0x7d /* } */ || c === 0x5d /* ] */) depth -= 1;
  }
  return false;
}

/** Index of the quote that closes the string opened at `open` (one preceded by an even run of backslashes), or -1. */
function closingQuote(text: string, open: number): number {
  let at = open;
  for (;;) {
    at = text.indexOf('"', at + 1);
    if (at === -1) return -1;
    let backslashes = 0;
    while (text.charCodeAt(at - 1 - backslashes) === 0x5c /* \ */) backslashes += 1;
    if (backslashes % 2 === 0) return at;
  }
}
