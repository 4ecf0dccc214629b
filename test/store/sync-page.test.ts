import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { openStore } from '../../src/store/index.ts';
import { makeSkill, iso } from '../support/skills.ts';
import { useTempDir } from '../support/temp-dir.ts';

const T0 = Date.parse('2026-03-01T00:00:00Z');

describe('a page of skills and its checkpoint', () => {
  const tempDir = useTempDir();

  it('commit together and advance the high-water mark', () => {
    const store = openStore(join(tempDir(), 'atom.db'));
    store.syncState.beginOrResume('full', T0);
    const skills = [1, 2, 3].map((n) => makeSkill(n, { updated_at: iso(T0 - n * 1000) }));
    const result = store.writePage({ skills, checkpoint: { cursor: 'c2', page: null, pagesDone: 1, skillsDone: 3 } }, T0);
    expect(result).toEqual({ inserted: 3, updated: 0, unchanged: 0, deleted: 0 });
    expect(store.syncState.get()).toMatchObject({ cursor: 'c2', pagesDone: 1, skillsDone: 3, highWaterUpdatedAt: T0 - 1000 });
    // An older page never moves the high-water mark back.
    store.writePage({ skills: [makeSkill(9, { updated_at: iso(T0 - 99_000) })], checkpoint: { cursor: 'c3', page: null, pagesDone: 2, skillsDone: 4 } }, T0);
    expect(store.syncState.get().highWaterUpdatedAt).toBe(T0 - 1000);
    store.close();
  });

  it('that fails mid-transaction leaves data and checkpoint as they were', () => {
    const store = openStore(join(tempDir(), 'atom.db'));
    store.syncState.beginOrResume('full', T0);
    store.writePage({ skills: [makeSkill(1)], checkpoint: { cursor: 'after-page-1', page: null, pagesDone: 1, skillsDone: 1 } }, T0);
    const before = { state: store.syncState.get(), skill: store.skills.get(makeSkill(1).skill_id) };

    // The third row is broken (a name the NOT NULL constraint refuses): rows 1 and 2 were
    // already written inside the transaction when it throws.
    const broken = { ...makeSkill(4), name: null } as unknown as ReturnType<typeof makeSkill>;
    const page = [makeSkill(1, { updated_at: iso(T0 + 5000), description: 'changed' }), makeSkill(2), broken, makeSkill(5)];
    expect(() => store.writePage({ skills: page, checkpoint: { cursor: 'after-page-2', page: null, pagesDone: 2, skillsDone: 5 } }, T0)).toThrow(/NOT NULL/);

    expect(store.syncState.get()).toEqual(before.state);
    expect(store.skills.get(makeSkill(1).skill_id)).toEqual(before.skill);
    expect(store.skills.count()).toBe(1);
    store.close();
  });

  it('survive a reopen, so an interrupted sync resumes from its checkpoint', () => {
    const path = join(tempDir(), 'atom.db');
    const first = openStore(path);
    first.syncState.beginOrResume('full', T0);
    first.writePage({ skills: [makeSkill(1)], checkpoint: { cursor: 'next', page: null, pagesDone: 1, skillsDone: 1 } }, T0);
    first.close(); // the process dies here

    const second = openStore(path);
    const { resumed, state } = second.syncState.beginOrResume('full', T0 + 60_000);
    expect(resumed).toBe(true);
    expect(state).toMatchObject({ cursor: 'next', pagesDone: 1, syncStartedAt: T0, status: 'syncing' });
    // A different kind of sync does not resume the full one's checkpoint: it starts afresh.
    expect(second.syncState.beginOrResume('incremental', T0 + 60_000).resumed).toBe(false);
    second.close();
  });

  it('written in parts advance the checkpoint only with the last part, over the newest row of every part', () => {
    const store = openStore(join(tempDir(), 'atom.db'));
    store.syncState.beginOrResume('full', T0);
    const before = store.syncState.get();
    // The newest row is in the first part: the checkpoint written with the second must still cover it.
    store.writePage({ skills: [makeSkill(1, { updated_at: iso(T0 - 1000) })] }, T0);
    expect(store.syncState.get()).toEqual(before);
    store.writePage({ skills: [makeSkill(2, { updated_at: iso(T0 - 5000) })], checkpoint: { cursor: 'c2', page: null, pagesDone: 1, skillsDone: 2 } }, T0);
    expect(store.syncState.get()).toMatchObject({ cursor: 'c2', pagesDone: 1, highWaterUpdatedAt: T0 - 1000 });
    expect(store.skills.count()).toBe(2);
    // The next page starts afresh: its own rows decide (the mark never moves back).
    store.writePage({ skills: [makeSkill(3, { updated_at: iso(T0 - 9000) })], checkpoint: { cursor: 'c3', page: null, pagesDone: 2, skillsDone: 3 } }, T0);
    expect(store.syncState.get().highWaterUpdatedAt).toBe(T0 - 1000);
    store.close();
  });

  it('that fails in a later part forgets the earlier parts\' rows for the next checkpoint', () => {
    const store = openStore(join(tempDir(), 'atom.db'));
    store.syncState.beginOrResume('full', T0);
    store.writePage({ skills: [makeSkill(1, { updated_at: iso(T0) })] }, T0);
    const broken = { ...makeSkill(2), name: null } as unknown as ReturnType<typeof makeSkill>;
    expect(() => store.writePage({ skills: [broken], checkpoint: { cursor: 'c1', page: null, pagesDone: 1, skillsDone: 2 } }, T0)).toThrow(/NOT NULL/);
    // The first part's row is in the cache, but the page was not finished: its mark is not saved with another page.
    store.writePage({ skills: [makeSkill(3, { updated_at: iso(T0 - 9000) })], checkpoint: { cursor: 'c9', page: null, pagesDone: 1, skillsDone: 1 } }, T0);
    expect(store.syncState.get().highWaterUpdatedAt).toBe(T0 - 9000);
    store.close();
  });

  it('apply tombstones in the same transaction', () => {
    const store = openStore(join(tempDir(), 'atom.db'));
    store.skills.upsert(makeSkill(1), T0);
    const result = store.writePage(
      { skills: [], tombstones: [{ skill_id: makeSkill(1).skill_id, deleted_at: iso(T0) }], checkpoint: { cursor: null, page: null, pagesDone: 1, skillsDone: 0 } },
      T0,
    );
    expect(result.deleted).toBe(1);
    expect(store.skills.count()).toBe(0);
    expect(store.syncState.get().highWaterUpdatedAt).toBe(T0);
    store.close();
  });
});

describe('sync counters', () => {
  const tempDir = useTempDir();

  it('count successes and failures and clear the checkpoint when a sync ends', () => {
    const store = openStore(join(tempDir(), 'atom.db'));
    store.syncState.beginOrResume('full', T0);
    store.syncState.finish({ ok: true }, T0 + 10);
    store.syncState.beginOrResume('incremental', T0 + 20);
    store.syncState.finish({ ok: false, error: 'timeout' }, T0 + 30);
    expect(store.syncState.get()).toMatchObject({
      status: 'failed', totalSyncs: 2, successfulSyncs: 1, failedSyncs: 1, lastError: 'timeout',
      lastSyncAt: T0 + 30, lastSuccessfulSyncAt: T0 + 10, lastFullSyncAt: T0 + 10, cursor: null, syncKind: null,
    });
    store.syncState.advanceSeq(42);
    store.syncState.advanceSeq(7);
    expect(store.syncState.get().highWaterSeq).toBe(42);
    store.close();
  });
});
