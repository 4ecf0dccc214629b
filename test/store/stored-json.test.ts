import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { join } from 'node:path';
import { openStore, type Store } from '../../src/store/index.ts';
import { NestingTooDeepError, readStoredSkill } from '../../src/store/stored-json.ts';
import { searchSkills } from '../../src/store/skill-search.ts';
import { MAX_JSON_DEPTH, jsonDepthExceeds } from '../../src/marketplace/json-depth.ts';
import { makeSkill, iso } from '../support/skills.ts';
import { useTempDir } from '../support/temp-dir.ts';

const T0 = Date.parse('2026-03-01T00:00:00Z');

/** `{"a":{"a":…1…}}`, `levels` objects deep, as text: JSON.stringify of such a value overflows the stack. */
const nestedText = (levels: number) => '{"a":'.repeat(levels) + '1' + '}'.repeat(levels);
const nested = (levels: number): Record<string, unknown> => JSON.parse(nestedText(levels)) as Record<string, unknown>;

/** The recursive definition jsonDepthExceeds must agree with (fine at the depths fast-check builds). */
const depthOf = (v: unknown): number =>
  typeof v !== 'object' || v === null ? 0 : 1 + Math.max(0, ...(Array.isArray(v) ? v : Object.values(v)).map(depthOf));

describe('jsonDepthExceeds', () => {
  it('agrees with the recursive depth of any JSON value', () => {
    fc.assert(fc.property(fc.jsonValue({ maxDepth: 8 }), fc.integer({ min: 0, max: 10 }), (value, max) => {
      expect(jsonDepthExceeds(value, max)).toBe(depthOf(value) > max);
    }));
  });

  it('answers for 100,000 levels without a stack overflow', () => {
    const deep = nested(100_000);
    expect(jsonDepthExceeds(deep, MAX_JSON_DEPTH)).toBe(true);
    expect(jsonDepthExceeds(nested(MAX_JSON_DEPTH), MAX_JSON_DEPTH)).toBe(false);
    expect(jsonDepthExceeds(nested(MAX_JSON_DEPTH + 1), MAX_JSON_DEPTH)).toBe(true);
  });
});

describe('nesting limit of the skill cache', () => {
  const tempDir = useTempDir();
  const open = (): Store => openStore(join(tempDir(), 'atom.db'));
  /** A skill nesting `depth` levels in all: the skill object is one, its metadata the rest. */
  const skillOfDepth = (n: number, depth: number) => makeSkill(n, { updated_at: iso(T0), metadata: nested(depth - 1) });

  it('writes a skill nested exactly to the limit and refuses one level more, writing nothing', () => {
    const store = open();
    const fits = skillOfDepth(1, MAX_JSON_DEPTH);
    expect(jsonDepthExceeds(fits, MAX_JSON_DEPTH)).toBe(false);
    expect(store.skills.upsert(fits, T0)).toBe('inserted');
    expect(() => store.skills.upsert(skillOfDepth(2, MAX_JSON_DEPTH + 1), T0)).toThrow(NestingTooDeepError);
    expect(() => store.skills.upsert(skillOfDepth(3, 5_000), T0)).toThrow(NestingTooDeepError);
    expect(store.skills.count()).toBe(1);
    store.close();
  });

  it('refuses a local edit nested past the limit and keeps the previous edit', () => {
    const store = open();
    const skill = makeSkill(1, { updated_at: iso(T0) });
    store.skills.upsert(skill, T0);
    store.skills.markEdited(skill.skill_id, { ...skill, description: 'kept' }, T0);
    expect(() => store.skills.markEdited(skill.skill_id, { ...skill, metadata: nested(1_001) }, T0)).toThrow(NestingTooDeepError);
    expect(store.skills.get(skill.skill_id)?.local?.description).toBe('kept');
    store.close();
  });

  it('refuses a conflict side nested past the limit', () => {
    const store = open();
    const skill = makeSkill(1);
    expect(() => store.conflicts.record({ skillId: skill.skill_id, conflictType: 'content', base: null, local: skill, remote: { ...skill, metadata: nested(1_001) } }, T0))
      .toThrow(NestingTooDeepError);
    expect(store.conflicts.list({ limit: 10, offset: 0 }).total).toBe(0);
    store.close();
  });
});

describe('rows an older version wrote nested past SQLite\'s JSON limit', () => {
  const tempDir = useTempDir();
  const open = (): Store => openStore(join(tempDir(), 'atom.db'));

  /** Writes rows the way an older agent did: straight JSON text, 1,001 levels of metadata. */
  function poison(store: Store, skillId: string, column: 'skill_data' | 'local_data', updatedAt: number): void {
    const text = `{"skill_id":"${skillId}","name":"Poisoned","updated_at":"${iso(updatedAt)}","metadata":${nestedText(1_001)}}`;
    if (column === 'skill_data') store.db.prepare('UPDATE skill_cache SET skill_data = ? WHERE skill_id = ?').run(text, skillId);
    else store.db.prepare('UPDATE skill_cache SET locally_edited = 1, local_data = ?, edited_at = ? WHERE skill_id = ?').run(text, T0, skillId);
  }

  function seeded(): { store: Store; remoteRow: string; localRow: string } {
    const store = open();
    for (let n = 1; n <= 5; n += 1) store.skills.upsert(makeSkill(n, { updated_at: iso(T0) }), T0);
    const remoteRow = makeSkill(2).skill_id;
    const localRow = makeSkill(4).skill_id;
    poison(store, remoteRow, 'skill_data', T0);
    poison(store, localRow, 'local_data', T0);
    // What broke before: SQLite's JSON functions refuse such text.
    expect(() => store.db.prepare("SELECT json_extract(skill_data, '$.name') FROM skill_cache").all()).toThrow(/malformed JSON/);
    return { store, remoteRow, localRow };
  }

  it('still lists, searches and counts every skill; the damaged ones read with their metadata flattened', () => {
    const { store, remoteRow, localRow } = seeded();
    const page = searchSkills(store, { page: 1, pageSize: 20 });
    expect(page.total).toBe(5);
    expect(page.items.map((s) => s.skillId)).toEqual(expect.arrayContaining([remoteRow, localRow]));
    expect(store.skills.get(remoteRow)?.remote).toMatchObject({ name: 'Poisoned', metadata: {} });
    expect(store.skills.get(localRow)?.local).toMatchObject({ name: 'Poisoned', metadata: {} });
    expect(searchSkills(store, { page: 1, pageSize: 20, query: 'Skill 3' }).total).toBe(1);
    expect(searchSkills(store, { page: 1, pageSize: 20, category: makeSkill(1).category }).total).toBeGreaterThan(0);
    // A rating summary for the damaged row updates its columns without touching its JSON.
    expect(() => store.skills.applyRatingSummary({ skill_id: remoteRow, average_rating: 3, rating_count: 9, updated_at: iso(T0 + 1) })).not.toThrow();
    store.close();
  });

  it('a good version of the same skill repairs the row, even at the same updated_at', () => {
    const { store, remoteRow } = seeded();
    const good = makeSkill(2, { updated_at: iso(T0) });
    store.skills.upsert(good, T0);
    expect(store.skills.get(remoteRow)?.remote).toEqual(good);
    expect(() => store.db.prepare("SELECT json_extract(skill_data, '$.name') FROM skill_cache").all()).not.toThrow();
    store.close();
  });

  it('reads text that is not JSON at all from the row\'s own columns', () => {
    const store = open();
    const skill = makeSkill(1, { updated_at: iso(T0) });
    store.skills.upsert(skill, T0);
    store.db.prepare('UPDATE skill_cache SET skill_data = ? WHERE skill_id = ?').run('{"broken', skill.skill_id);
    expect(store.skills.get(skill.skill_id)?.remote).toMatchObject({ skill_id: skill.skill_id, name: skill.name, metadata: {}, updated_at: iso(T0) });
    expect(searchSkills(store, { page: 1, pageSize: 5 }).total).toBe(1);
    expect(readStoredSkill('[1]')).toBeUndefined();
    store.close();
  });
});
