import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { join } from 'node:path';
import { openStore, CACHE_TTL_MS, type Store } from '../../src/store/index.ts';
import { makeSkill, iso } from '../support/skills.ts';
import { useTempDir } from '../support/temp-dir.ts';

const T0 = Date.parse('2026-03-01T00:00:00Z');

describe('skill cache', () => {
  const tempDir = useTempDir();
  const open = (): Store => openStore(join(tempDir(), 'atom.db'));

  it('inserts, then updates only with a newer updated_at, and reports which', () => {
    const store = open();
    const v1 = makeSkill(1, { updated_at: iso(T0), version: '1.0.0' });
    const v2 = makeSkill(1, { updated_at: iso(T0 + 1000), version: '1.1.0', description: 'newer' });
    expect(store.skills.upsert(v1, T0)).toBe('inserted');
    expect(store.skills.upsert(v2, T0)).toBe('updated');
    expect(store.skills.upsert(v1, T0)).toBe('unchanged');
    expect(store.skills.upsert(v2, T0)).toBe('unchanged');
    const cached = store.skills.get(v1.skill_id);
    expect(cached?.remote).toEqual(v2);
    expect(cached?.updatedAt).toBe(T0 + 1000);
    store.close();
  });

  it('refreshes the expiry even when the incoming version is not newer', () => {
    const store = open();
    const skill = makeSkill(1);
    store.skills.upsert(skill, T0);
    store.skills.upsert(skill, T0 + 5000);
    expect(store.skills.get(skill.skill_id)?.expiresAt).toBe(T0 + 5000 + CACHE_TTL_MS);
    store.close();
  });

  it('rejects a skill whose updated_at is not a time, writing nothing', () => {
    const store = open();
    expect(() => store.skills.upsert(makeSkill(1, { updated_at: 'yesterday' }), T0)).toThrow(/not an ISO time/);
    expect(store.skills.count()).toBe(0);
    store.close();
  });

  // The property DESIGN.md promises: whatever order and however often the same updates arrive
  // (pages replayed after a crash, WebSocket duplicates, out-of-order delivery), the cache
  // converges to the newest version of each skill.
  it('converges to the newest version under any shuffle or duplication of the same updates', () => {
    const store = open();
    const update = fc.record({ n: fc.integer({ min: 0, max: 5 }), at: fc.integer({ min: 0, max: 50 }) });
    // The original updates, then the same ones plus duplicates in an arbitrary order.
    const scenario = fc.array(update, { minLength: 1, maxLength: 40 }).chain((updates) =>
      fc.array(fc.constantFrom(...updates), { maxLength: 40 }).chain((duplicates) => {
        const all = [...updates, ...duplicates];
        return fc.tuple(fc.constant(updates), fc.shuffledSubarray(all, { minLength: all.length, maxLength: all.length }));
      }),
    );
    // Each (skill, time) pair is one version: its content is a function of both.
    const version = (u: { n: number; at: number }) =>
      makeSkill(u.n, { updated_at: iso(T0 + u.at * 1000), version: `1.${u.at}.0`, description: `at ${u.at}` });
    fc.assert(
      fc.property(scenario, ([updates, delivered]) => {
        store.db.exec('DELETE FROM skill_cache');
        for (const u of delivered) store.skills.upsert(version(u), T0);

        const newest = new Map<number, number>();
        for (const u of updates) newest.set(u.n, Math.max(newest.get(u.n) ?? -1, u.at));
        expect(store.skills.count()).toBe(newest.size);
        for (const [n, at] of newest) {
          expect(store.skills.get(makeSkill(n).skill_id)?.remote).toEqual(version({ n, at }));
        }
      }),
      { numRuns: 150 },
    );
    store.close();
  });

  it('keeps the base version across repeated local edits and clears it on request', () => {
    const store = open();
    const remote = makeSkill(1, { version: '1.0.0' });
    store.skills.upsert(remote, T0);
    expect(store.skills.markEdited(remote.skill_id, { ...remote, description: 'mine' }, T0 + 1)).toBe(true);
    store.skills.upsert(makeSkill(1, { version: '2.0.0', updated_at: iso(T0 + 10_000) }), T0 + 2);
    store.skills.markEdited(remote.skill_id, { ...remote, description: 'mine again' }, T0 + 3);
    const edited = store.skills.get(remote.skill_id)!;
    expect(edited.locallyEdited).toBe(true);
    expect(edited.local?.description).toBe('mine again');
    expect(edited.base).toEqual(remote);
    expect(edited.baseVersion).toBe('1.0.0');
    expect(edited.remote.version).toBe('2.0.0');
    store.skills.clearEdit(remote.skill_id);
    expect(store.skills.get(remote.skill_id)).toMatchObject({ locallyEdited: false, local: null, base: null });
    expect(store.skills.markEdited('no-such-skill', remote, T0)).toBe(false);
    store.close();
  });

  it('applies a tombstone unless the skill is edited locally or newer than the deletion', () => {
    const store = open();
    const [a, b, c] = [makeSkill(1), makeSkill(2), makeSkill(3, { updated_at: iso(T0 + 60_000) })];
    for (const s of [a, b, c]) store.skills.upsert(s, T0);
    store.skills.markEdited(b.skill_id, { ...b, name: 'local' }, T0);
    const deletedAt = iso(T0);
    expect(store.skills.applyTombstone({ skill_id: a.skill_id, deleted_at: deletedAt })).toBe(true);
    expect(store.skills.applyTombstone({ skill_id: b.skill_id, deleted_at: deletedAt })).toBe(false);
    expect(store.skills.applyTombstone({ skill_id: c.skill_id, deleted_at: deletedAt })).toBe(false);
    expect([a, b, c].map((s) => store.skills.get(s.skill_id) !== undefined)).toEqual([false, true, true]);
    store.close();
  });

  it('reconciles a full sync by the rows its pages stamped, whatever the clock says', () => {
    const store = open();
    const [seen, gone, editedGone, local] = [makeSkill(1), makeSkill(2), makeSkill(3), makeSkill(4)];
    for (const s of [seen, gone, editedGone]) store.skills.upsert(s, T0);
    store.skills.upsert(local, T0, 'local');
    store.skills.markEdited(editedGone.skill_id, { ...editedGone, name: 'local' }, T0);
    // The full sync runs at the same instant as the writes above (a clock that did not move).
    const { state } = store.syncState.beginOrResume('full', T0);
    expect(state.fullSyncId).toBe(1);
    // Its page listed `seen` (the page writer stamps what it writes).
    store.skills.stampListed(state.fullSyncId, [seen.skill_id]);
    expect(store.skills.notListedBy(state.fullSyncId)).toEqual([
      { skillId: gone.skill_id, syncedAt: T0, locallyEdited: false },
      { skillId: editedGone.skill_id, syncedAt: T0, locallyEdited: true },
    ]);
    expect(store.skills.removeGoneUpstream(gone.skill_id)).toBe(true);
    // Edited ones are delete conflicts, not removals; local ones are never candidates.
    expect(store.skills.removeGoneUpstream(editedGone.skill_id)).toBe(false);
    expect(store.skills.get(editedGone.skill_id)).toBeDefined();
    expect(store.skills.get(local.skill_id)).toBeDefined();
    // The next full sync has a new number: nothing is listed by it yet; a resumed one keeps its number.
    store.syncState.finish({ ok: true }, T0);
    const next = store.syncState.beginOrResume('full', T0).state.fullSyncId;
    expect(next).toBe(2);
    expect(store.syncState.beginOrResume('full', T0)).toMatchObject({ resumed: true, state: { fullSyncId: 2 } });
    expect(store.skills.notListedBy(next).map((s) => s.skillId).sort()).toEqual([seen.skill_id, editedGone.skill_id].sort());
    store.close();
  });
});

describe('rating summaries from rating_update messages', () => {
  const tempDir = useTempDir();

  it('apply only when newer than the last applied summary', () => {
    const store = openStore(join(tempDir(), 'atom.db'));
    const skill = makeSkill(1, { average_rating: 4, rating_count: 2 });
    store.skills.upsert(skill, T0);
    const update = (avg: number, count: number, at: number) => ({ skill_id: skill.skill_id, average_rating: avg, rating_count: count, updated_at: iso(at) });
    expect(store.skills.applyRatingSummary(update(4.5, 3, T0 + 2000))).toBe(true);
    expect(store.skills.applyRatingSummary(update(4.2, 2, T0 + 1000))).toBe(false);
    expect(store.skills.get(skill.skill_id)?.remote).toMatchObject({ average_rating: 4.5, rating_count: 3 });
    expect(store.skills.applyRatingSummary(update(1, 1, T0))).toBe(false);
    expect(store.skills.applyRatingSummary({ ...update(5, 1, T0 + 3000), skill_id: 'unknown' })).toBe(false);
    store.close();
  });
});
