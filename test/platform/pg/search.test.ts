import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { searchLexemes, toTsQuery } from '../../../src/platform/pg/search.ts';
import { toFtsQuery } from '../../../src/platform/db/fts-query.ts';

describe('PostgreSQL search terms (FTS5 behaviour without a text-search parser)', () => {
  it('turns any text into quoted prefix terms that need no escaping, or undefined/null like FTS5', () => {
    fc.assert(fc.property(fc.string({ unit: 'grapheme', maxLength: 80 }), (text) => {
      const q = toTsQuery(text);
      const fts = toFtsQuery(text);
      // Blank → no filter and no word → nothing matches, exactly when the SQLite store says so.
      expect(q === undefined).toBe(fts === undefined);
      if (fts === null) expect(q).toBeNull();
      if (typeof q === 'string') {
        expect(q).toMatch(/^'[\p{L}\p{N}]+':\*( & '[\p{L}\p{N}]+':\*)*$/u);
        expect(q.split(' & ').length).toBeLessThanOrEqual(16);
      }
    }));
  });

  it('folds case and diacritics on both sides, and indexes tags from their JSON', () => {
    expect(toTsQuery('Émail  CAFÉ')).toBe("'email':* & 'cafe':*");
    // Compatibility forms decompose into punctuation, which never reaches the query.
    expect(toTsQuery('⑴ ＇x')).toBe("'1':* & 'x':*");
    expect(searchLexemes('Send Émail', 'via SMTP, fast', '["auto-mation","x"]')).toEqual(
      ['send', 'email', 'via', 'smtp', 'fast', 'auto', 'mation', 'x']);
  });

  it('keeps every lexeme within what PostgreSQL accepts', () => {
    fc.assert(fc.property(fc.string({ maxLength: 600 }), (text) => {
      for (const w of searchLexemes(text, text, '[]')) {
        expect(w.length).toBeGreaterThan(0);
        expect(Buffer.byteLength(w)).toBeLessThan(2047);
      }
    }));
  });
});
