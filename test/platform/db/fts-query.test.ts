import { afterAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { toFtsQuery } from '../../../src/platform/db/fts-query.ts';
import { openPlatformDb } from '../../../src/platform/db/open.ts';
import { cleanupTempDirs, tempDbPath } from '../helpers.ts';

afterAll(cleanupTempDirs);

describe('toFtsQuery', () => {
  it('blank is no filter, wordless is no match, words become required prefix terms', () => {
    expect(toFtsQuery(undefined)).toBeUndefined();
    expect(toFtsQuery('   ')).toBeUndefined();
    expect(toFtsQuery('"*()')).toBeNull();
    expect(toFtsQuery('Send e-mail')).toBe('"Send"* "e"* "mail"*');
  });

  it('never produces an expression FTS5 rejects, whatever the client sends (real SQLite)', () => {
    const db = openPlatformDb(tempDbPath());
    const match = db.prepare('SELECT count(*) FROM skills_fts WHERE skills_fts MATCH ?').pluck();
    fc.assert(fc.property(fc.oneof(fc.string({ maxLength: 60 }), fc.string({ unit: 'grapheme', maxLength: 30 }),
      fc.constantFrom('NEAR(a b)', 'a OR b', '"unterminated', 'col:x', '^start', 'a AND NOT b', '*', '-x')), (text) => {
      const q = toFtsQuery(text);
      if (typeof q === 'string') match.get(q);
      return true;
    }), { numRuns: 400 });
    db.close();
  });
});
