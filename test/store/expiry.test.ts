import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { openStore, CACHE_TTL_MS } from '../../src/store/index.ts';
import { makeSkill } from '../support/skills.ts';
import { useTempDir } from '../support/temp-dir.ts';

const T0 = Date.parse('2026-03-01T00:00:00Z');

describe('expiry cleanup', () => {
  const tempDir = useTempDir();

  it('removes rows older than 24 h but spares edited skills and skills with ratings waiting for upload', () => {
    const store = openStore(join(tempDir(), 'atom.db'));
    const [plain, edited, pending, failed, synced, fresh] = [1, 2, 3, 4, 5, 6].map((n) => makeSkill(n));
    for (const s of [plain!, edited!, pending!, failed!, synced!]) store.skills.upsert(s, T0);
    store.skills.upsert(fresh!, T0 + CACHE_TTL_MS);
    store.categories.upsert({ name: 'old', description: '', skill_count: 1 }, T0);
    store.skills.markEdited(edited!.skill_id, { ...edited!, name: 'mine' }, T0);
    store.ratings.rate({ skillId: pending!.skill_id, userId: 'u1', rating: 5, clientRatingId: 'c-pending' }, T0);
    const f = store.ratings.rate({ skillId: failed!.skill_id, userId: 'u1', rating: 4, clientRatingId: 'c-failed' }, T0);
    store.ratings.markFailed(f, { kind: 'transient', reason: '503', nextRetryAt: T0 + 1000 }, T0);
    const s = store.ratings.rate({ skillId: synced!.skill_id, userId: 'u1', rating: 3, clientRatingId: 'c-synced' }, T0);
    store.ratings.markSynced(s, 'r-1', T0);

    const now = T0 + CACHE_TTL_MS;
    expect(store.expiry.expiredSkills(now)).toBe(4);
    expect(store.expiry.cleanup(now)).toEqual({ skills: 2, categories: 1 });
    const left = [plain, edited, pending, failed, synced, fresh].map((k) => store.skills.get(k!.skill_id) !== undefined);
    expect(left).toEqual([false, true, true, true, false, true]);
    store.close();
  });

  it('never removes locally imported skills', () => {
    const store = openStore(join(tempDir(), 'atom.db'));
    store.skills.upsert(makeSkill(1), T0, 'local');
    expect(store.expiry.cleanup(T0 + 10 * CACHE_TTL_MS).skills).toBe(0);
    store.close();
  });

  it('a successful sync extends the lease of every remote row: nothing expires while syncs succeed', () => {
    const store = openStore(join(tempDir(), 'atom.db'));
    store.skills.upsert(makeSkill(1), T0);
    store.syncState.beginOrResume('incremental', T0 + CACHE_TTL_MS - 10);
    store.syncState.finish({ ok: true }, T0 + CACHE_TTL_MS - 1);
    expect(store.expiry.expiredSkills(T0 + CACHE_TTL_MS)).toBe(0);
    expect(store.expiry.cleanup(T0 + CACHE_TTL_MS).skills).toBe(0);
    // A day after that last successful sync the lease has run out.
    expect(store.expiry.cleanup(T0 + 2 * CACHE_TTL_MS - 1).skills).toBe(1);
    store.close();
  });
});
