/** At most this many words reach FTS5: a longer query is not a better search, only a slower one. */
const MAX_TERMS = 16;

/**
 * Turns free text from a client into an FTS5 MATCH expression that cannot be a syntax error:
 * each word becomes a quoted prefix term (`"emai"*` finds "email"), all of them required.
 * Returns `undefined` when the text is blank (no filter) and `null` when it has no word at all
 * (nothing can match, so the query is not run).
 */
export function toFtsQuery(text: string | undefined): string | null | undefined {
  if (text === undefined || text.trim() === '') return undefined;
  const words = text.match(/[\p{L}\p{N}]+/gu);
  if (!words) return null;
  return words
    .slice(0, MAX_TERMS)
    .map((w) => `"${w}"*`)
    .join(' ');
}
