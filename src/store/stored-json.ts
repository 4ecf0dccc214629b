import { MAX_JSON_DEPTH, jsonDepthExceeds } from '../marketplace/json-depth.ts';
import type { RemoteSkill } from '../contract/wire-types.ts';

// The JSON columns of the cache (skill_data, local_data, base_data, the conflict sides) are read by
// SQLite's JSON functions in every listing: one row nested past SQLite's limit (~1,000 levels) made
// each of them fail with "malformed JSON". So nothing nested past MAX_JSON_DEPTH is written, and a
// row that an older version wrote that way is read flattened instead of breaking its readers.

/** A value the store refuses to write: it nests past MAX_JSON_DEPTH. */
export class NestingTooDeepError extends Error {
  /** STYLE rule 12: matched by kind, like the client's `invalid` errors. */
  readonly kind = 'invalid' as const;
  readonly what: string;
  constructor(what: string) {
    super(`${what} nests deeper than ${MAX_JSON_DEPTH} levels`);
    this.what = what;
    this.name = 'NestingTooDeepError';
  }
}

/** JSON.stringify, refusing (before it could overflow the stack) a value nested past the limit. */
export function toStoredJson(value: unknown, what: string): string {
  if (jsonDepthExceeds(value, MAX_JSON_DEPTH)) throw new NestingTooDeepError(what);
  return JSON.stringify(value);
}

/**
 * A stored skill as the readers need it. Only `metadata` is free-form: a row nested too deep (an older
 * version wrote it) is read with `metadata: {}`. Text that does not parse at all yields undefined: the
 * caller decides what stands in for it.
 */
export function readStoredSkill(text: string): RemoteSkill | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  if (!jsonDepthExceeds(value, MAX_JSON_DEPTH)) return value as RemoteSkill;
  const flattened = { ...(value as RemoteSkill), metadata: {} };
  return jsonDepthExceeds(flattened, MAX_JSON_DEPTH) ? undefined : flattened;
}

/**
 * SQL for "this column, if SQLite can read it as JSON": json_valid is false past SQLite's nesting
 * limit, so an unreadable row matches nothing instead of failing the whole query. CASE evaluates
 * only the branch it takes.
 */
export const readableJson = (column: string): string => `CASE WHEN json_valid(${column}) THEN ${column} END`;
