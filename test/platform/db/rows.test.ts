// The list route sends skill JSON built by SQLite (skillJsonSql); everything else sends skillFromRow
// serialized by the response schema. They must never disagree.
import { afterAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Value } from 'typebox/value';
import { openPlatformDb } from '../../../src/platform/db/open.ts';
import { isoSql, skillFromRow, skillJsonSql, SKILL_COLUMNS, type SkillRow } from '../../../src/platform/db/rows.ts';
import { openPlatformStore } from '../../../src/platform/store.ts';
import { seedCatalog } from '../../../src/platform/seed/seed.ts';
import { SkillSchema } from '../../../src/platform/http/schemas/skill.ts';
import { cleanupTempDirs, tempDbPath } from '../helpers.ts';

afterAll(cleanupTempDirs);

describe('skill JSON built by SQLite', () => {
  it('equals skillFromRow for every seeded skill, and matches SkillSchema exactly', () => {
    const db = openPlatformDb(tempDbPath());
    seedCatalog(db, 300);
    const rows = db.prepare(`SELECT ${SKILL_COLUMNS}, ${skillJsonSql('s')} AS doc FROM skills s`).all() as (SkillRow & { doc: string })[];
    expect(rows).toHaveLength(300);
    for (const row of rows) {
      const fromSql = JSON.parse(row.doc) as Record<string, unknown>;
      const fromJs = skillFromRow(row);
      expect(fromSql).toEqual(fromJs);
      expect(Object.keys(fromSql)).toEqual(Object.keys(SkillSchema.properties));
      expect(Value.Check(SkillSchema, fromSql)).toBe(true);
    }
    db.close();
  });

  it('escapes any text a publisher can send, the same way JSON.stringify would be read back', async () => {
    const store = openPlatformStore({ db: tempDbPath() });
    store.categories.create({ name: 'x' });
    const text = fc.string({ unit: 'binary', maxLength: 40 });
    fc.assert(fc.property(text, text, fc.array(text, { maxLength: 3 }), fc.dictionary(text, fc.jsonValue(), { maxKeys: 3 }),
      (name, code, tags, metadata) => {
        const made = store.skills.create({ name: name || 'n', code, tags, metadata, category: 'x' });
        if (made.kind !== 'ok') return false;
        const doc = store.db.prepare(`SELECT ${skillJsonSql('s')} FROM skills s WHERE skill_id = ?`).pluck().get(made.skill.skill_id) as string;
        // JSON.parse(JSON.stringify(...)) normalizes what JSON cannot hold (-0, lone surrogates stored as U+FFFD).
        expect(JSON.parse(doc)).toEqual(JSON.parse(JSON.stringify(store.skills.get(made.skill.skill_id))));
        return true;
      }), { numRuns: 150 });
    store.close();
  });

  it('formats times exactly like Date#toISOString', () => {
    const db = openPlatformDb(':memory:');
    const st = db.prepare(`SELECT ${isoSql('?')}`).pluck();
    fc.assert(fc.property(fc.integer({ min: 0, max: Date.UTC(9999, 11, 31) }), (ms) => st.get(ms) === new Date(ms).toISOString()),
      { numRuns: 2000 });
    db.close();
  });
});
