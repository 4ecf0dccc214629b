import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { openStore } from '../../src/store/index.ts';
import type { ConflictStrategy } from '../../src/conflicts/index.ts';
import { createPageWriter } from '../../src/runtime/page-writer.ts';
import { makeSkill, iso } from '../support/skills.ts';
import { useTempDir } from '../support/temp-dir.ts';

const T0 = Date.parse('2026-03-01T00:00:00Z');
const none = { detected: 0, autoResolved: 0, queued: 0 };
// A row the NOT NULL constraint on name refuses: the transaction throws after earlier rows were written.
const broken = (n: number) => ({ ...makeSkill(n), name: null }) as unknown as ReturnType<typeof makeSkill>;

describe('a page of skills and its checkpoint', () => {
  const tempDir = useTempDir();
  const open = (strategy: ConflictStrategy = 'manual') => {
    const store = openStore(join(tempDir(), 'atom.db'));
    return { store, writePage: createPageWriter(store, () => strategy) };
  };

  it('commit together and advance the high-water mark', () => {
    const { store, writePage } = open();
    store.syncState.beginOrResume('full', T0);
    const skills = [1, 2, 3].map((n) => makeSkill(n, { updated_at: iso(T0 - n * 1000) }));
    const result = writePage({ skills, checkpoint: { cursor: 'c2', page: null, pagesDone: 1, skillsDone: 3 } }, T0);
    expect(result).toEqual({ inserted: 3, updated: 0, unchanged: 0, deleted: 0, ...none });
    expect(store.syncState.get()).toMatchObject({ cursor: 'c2', pagesDone: 1, skillsDone: 3, highWaterUpdatedAt: T0 - 1000 });
    // An older page never moves the high-water mark back.
    writePage({ skills: [makeSkill(9, { updated_at: iso(T0 - 99_000) })], checkpoint: { cursor: 'c3', page: null, pagesDone: 2, skillsDone: 4 } }, T0);
    expect(store.syncState.get().highWaterUpdatedAt).toBe(T0 - 1000);
    store.close();
  });

  it('that fails mid-transaction leaves data and checkpoint as they were', () => {
    const { store, writePage } = open();
    store.syncState.beginOrResume('full', T0);
    writePage({ skills: [makeSkill(1)], checkpoint: { cursor: 'after-page-1', page: null, pagesDone: 1, skillsDone: 1 } }, T0);
    const before = { state: store.syncState.get(), skill: store.skills.get(makeSkill(1).skill_id) };

    // The third row is broken: rows 1 and 2 were already written inside the transaction when it throws.
    const page = [makeSkill(1, { updated_at: iso(T0 + 5000), description: 'changed' }), makeSkill(2), broken(4), makeSkill(5)];
    expect(() => writePage({ skills: page, checkpoint: { cursor: 'after-page-2', page: null, pagesDone: 2, skillsDone: 5 } }, T0)).toThrow(/NOT NULL/);

    expect(store.syncState.get()).toEqual(before.state);
    expect(store.skills.get(makeSkill(1).skill_id)).toEqual(before.skill);
    expect(store.skills.count()).toBe(1);
    store.close();
  });

  it('that fails mid-transaction leaves no conflict behind either', () => {
    const { store, writePage } = open('manual');
    const edited = makeSkill(1, { updated_at: iso(T0) });
    store.skills.upsert(edited, T0);
    store.skills.markEdited(edited.skill_id, { ...edited, description: 'local' }, T0);
    store.syncState.beginOrResume('full', T0);
    const before = { state: store.syncState.get(), skill: store.skills.get(edited.skill_id) };
    // The edited skill changed upstream (a conflict the manual strategy queues), then a broken row.
    const page = [{ ...edited, description: 'remote', updated_at: iso(T0 + 1000) }, broken(2)];
    expect(() => writePage({ skills: page, checkpoint: { cursor: 'c1', page: null, pagesDone: 1, skillsDone: 2 } }, T0 + 1)).toThrow(/NOT NULL/);
    expect(store.conflicts.list({ limit: 10, offset: 0 }).total).toBe(0);
    expect(store.skills.get(edited.skill_id)).toEqual(before.skill);
    expect(store.syncState.get()).toEqual(before.state);
    // Replayed without the broken row, the same page queues the conflict once, with its checkpoint.
    expect(writePage({ skills: [page[0]!], checkpoint: { cursor: 'c1', page: null, pagesDone: 1, skillsDone: 2 } }, T0 + 2)).toMatchObject({ updated: 1, detected: 1, queued: 1 });
    expect(store.conflicts.unresolvedCount()).toBe(1);
    expect(store.syncState.get()).toMatchObject({ cursor: 'c1', highWaterUpdatedAt: T0 + 1000 });
    store.close();
  });

  it('survive a reopen, so an interrupted sync resumes from its checkpoint', () => {
    const path = join(tempDir(), 'atom.db');
    const first = openStore(path);
    first.syncState.beginOrResume('full', T0);
    createPageWriter(first, () => 'manual')({ skills: [makeSkill(1)], checkpoint: { cursor: 'next', page: null, pagesDone: 1, skillsDone: 1 } }, T0);
    first.close(); // the process dies here

    const second = openStore(path);
    const { resumed, state } = second.syncState.beginOrResume('full', T0 + 60_000);
    expect(resumed).toBe(true);
    expect(state).toMatchObject({ cursor: 'next', pagesDone: 1, syncStartedAt: T0, status: 'syncing' });
    expect(second.skills.count()).toBe(1);
    // A different kind of sync does not resume the full one's checkpoint: it starts afresh.
    expect(second.syncState.beginOrResume('incremental', T0 + 60_000).resumed).toBe(false);
    second.close();
  });

  it('written in parts advance the checkpoint only with the last part, over the newest row of every part', () => {
    const { store, writePage } = open();
    store.syncState.beginOrResume('full', T0);
    const before = store.syncState.get();
    // The newest row is in the first part: the checkpoint written with the second must still cover it.
    writePage({ skills: [makeSkill(1, { updated_at: iso(T0 - 1000) })] }, T0);
    expect(store.syncState.get()).toEqual(before);
    writePage({ skills: [makeSkill(2, { updated_at: iso(T0 - 5000) })], checkpoint: { cursor: 'c2', page: null, pagesDone: 1, skillsDone: 2 } }, T0);
    expect(store.syncState.get()).toMatchObject({ cursor: 'c2', pagesDone: 1, highWaterUpdatedAt: T0 - 1000 });
    expect(store.skills.count()).toBe(2);
    // The next page starts afresh: its own rows decide (the mark never moves back).
    writePage({ skills: [makeSkill(3, { updated_at: iso(T0 - 9000) })], checkpoint: { cursor: 'c3', page: null, pagesDone: 2, skillsDone: 3 } }, T0);
    expect(store.syncState.get().highWaterUpdatedAt).toBe(T0 - 1000);
    store.close();
  });

  it('that fails in a later part forgets the earlier parts\' rows for the next checkpoint', () => {
    const { store, writePage } = open();
    store.syncState.beginOrResume('full', T0);
    writePage({ skills: [makeSkill(1, { updated_at: iso(T0) })] }, T0);
    expect(() => writePage({ skills: [broken(2)], checkpoint: { cursor: 'c1', page: null, pagesDone: 1, skillsDone: 2 } }, T0)).toThrow(/NOT NULL/);
    // The first part's row is in the cache, but the page was not finished: its mark is not saved with another page.
    writePage({ skills: [makeSkill(3, { updated_at: iso(T0 - 9000) })], checkpoint: { cursor: 'c9', page: null, pagesDone: 1, skillsDone: 1 } }, T0);
    expect(store.syncState.get().highWaterUpdatedAt).toBe(T0 - 9000);
    store.close();
  });

  it('apply tombstones in the same transaction', () => {
    const { store, writePage } = open();
    store.skills.upsert(makeSkill(1), T0);
    const result = writePage(
      { skills: [], tombstones: [{ skill_id: makeSkill(1).skill_id, deleted_at: iso(T0) }], checkpoint: { cursor: null, page: null, pagesDone: 1, skillsDone: 0 } },
      T0,
    );
    expect(result.deleted).toBe(1);
    expect(store.skills.count()).toBe(0);
    expect(store.syncState.get().highWaterUpdatedAt).toBe(T0);
    store.close();
  });

  it('stamp their skills as listed by the full sync they belong to, and only with its number', () => {
    const { store, writePage } = open();
    const [listed, unlisted] = [makeSkill(1), makeSkill(2)];
    store.skills.upsert(unlisted, T0);
    const { fullSyncId } = store.syncState.beginOrResume('full', T0).state;
    writePage({ skills: [listed], fullSyncId }, T0);
    // An incremental page carries no number: it stamps nothing.
    writePage({ skills: [makeSkill(3)] }, T0);
    expect(store.skills.notListedBy(fullSyncId).map((s) => s.skillId).sort()).toEqual([unlisted.skill_id, makeSkill(3).skill_id].sort());
    store.close();
  });
});

describe('a page with a remote change to a locally edited skill', () => {
  const tempDir = useTempDir();

  it('is resolved by the configured strategy, read for every part', () => {
    const store = openStore(join(tempDir(), 'atom.db'));
    const edited = makeSkill(1, { updated_at: iso(T0) });
    store.skills.upsert(edited, T0);
    store.skills.markEdited(edited.skill_id, { ...edited, description: 'local' }, T0);
    let strategy: ConflictStrategy = 'manual';
    const writePage = createPageWriter(store, () => strategy);
    writePage({ skills: [makeSkill(2)] }, T0 + 1);
    strategy = 'remote_wins';
    const outcome = writePage({ skills: [{ ...edited, description: 'remote', updated_at: iso(T0 + 1000) }] }, T0 + 2);
    expect(outcome).toMatchObject({ updated: 1, detected: 1, autoResolved: 1, queued: 0 });
    expect(store.skills.get(edited.skill_id)).toMatchObject({ remote: { description: 'remote' }, locallyEdited: false });
    expect(store.conflicts.list({ resolved: true, limit: 10, offset: 0 }).items).toMatchObject([{ skillId: edited.skill_id, state: 'resolved' }]);
    store.close();
  });
});
