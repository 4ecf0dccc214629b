import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { openStore, type Store } from '../../src/store/index.ts';
import { CACHE_TTL_MS } from '../../src/store/time.ts';
import { importSkills, removeExpired } from '../../src/runtime/local-catalog.ts';
import { MAX_JSON_DEPTH } from '../../src/marketplace/json-depth.ts';
import { makeSkill } from '../support/skills.ts';
import { useTempDir } from '../support/temp-dir.ts';

const T0 = Date.parse('2026-03-01T00:00:00Z');

describe('the local catalog written through the runtime', () => {
  const tempDir = useTempDir();
  const open = (): Store => openStore(join(tempDir(), 'atom.db'));

  it('imports every valid skill as a local one', () => {
    const store = open();
    expect(importSkills(store, [makeSkill(1), makeSkill(2)], T0)).toEqual({ imported: 2 });
    expect(store.skills.count()).toBe(2);
    expect(store.skills.get(makeSkill(1).skill_id)?.origin).toBe('local');
    store.close();
  });

  it('imports nothing when one entry is invalid, and names it by index', () => {
    const store = open();
    const result = importSkills(store, [makeSkill(1), { skill_id: '' }, makeSkill(3)], T0);
    expect(result).toEqual({ invalid: [{ index: 1, reason: expect.stringContaining('skill_id') }] });
    expect(store.skills.count()).toBe(0);
    store.close();
  });

  it('refuses metadata nested past the stored limit as an invalid entry, keeping none of the batch', () => {
    const store = open();
    let deep: Record<string, unknown> = {};
    for (let i = 0; i < MAX_JSON_DEPTH + 5; i += 1) deep = { a: deep };
    const result = importSkills(store, [makeSkill(1), makeSkill(2, { metadata: deep })], T0);
    expect(result).toEqual({ invalid: [{ index: 1, reason: expect.stringContaining('nests deeper') }] });
    expect(store.skills.count()).toBe(0);
    store.close();
  });

  it('removes remote skills past their lease and keeps imported ones', () => {
    const store = open();
    store.skills.upsert(makeSkill(1), T0);
    importSkills(store, [makeSkill(2)], T0);
    expect(removeExpired(store, T0 + 1)).toEqual({ skills: 0, categories: 0 });
    expect(removeExpired(store, T0 + CACHE_TTL_MS + 1).skills).toBe(1);
    expect(store.skills.get(makeSkill(1).skill_id)).toBeUndefined();
    expect(store.skills.get(makeSkill(2).skill_id)).toBeDefined();
    store.close();
  });
});
