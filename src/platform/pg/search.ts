// Full-text search on PostgreSQL with the behaviour FTS5 gives the SQLite store (db/fts-query.ts,
// `unicode61 remove_diacritics 2`): words are runs of letters and digits, compared without case
// or diacritics, and every query word is a required prefix. The words are cut and folded here
// and handed to PostgreSQL as lexemes as they are (array_to_tsvector, a quoted tsquery), so the
// database's locale and text-search parser cannot split them differently.

const MAX_TERMS = 16;
/** PostgreSQL refuses lexemes over 2047 bytes; no one searches by a prefix that long. */
const MAX_LEXEME_CHARS = 255;

/**
 * Folded first, then cut: compatibility decomposition can turn one character into punctuation
 * and a digit ("⑴" → "(1)") or even a quote, and no such character may reach a lexeme.
 */
function words(text: string): string[] {
  const folded = text.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase();
  return (folded.match(/[\p{L}\p{N}]+/gu) ?? []).map((w) => w.slice(0, MAX_LEXEME_CHARS));
}

/** The distinct lexemes a skill is found by: its name, description and tags (as FTS5 indexes them). */
export function searchLexemes(name: string, description: string, tagsJson: string): string[] {
  return [...new Set([...words(name), ...words(description), ...words(tagsJson)])];
}

/**
 * A tsquery text that cannot be a syntax error: every word a required prefix (`'emai':* & ...`).
 * `undefined` when the text is blank (no filter), `null` when it has no word (nothing matches).
 */
export function toTsQuery(text: string | undefined): string | null | undefined {
  if (text === undefined || text.trim() === '') return undefined;
  // A text FTS5 finds no word in matches nothing there, whatever its decomposition holds.
  if (!/[\p{L}\p{N}]/u.test(text)) return null;
  const found = words(text);
  if (found.length === 0) return null;
  // Letters and digits only: nothing in a word needs escaping inside the quotes.
  return found.slice(0, MAX_TERMS).map((w) => `'${w}':*`).join(' & ');
}
