import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { openStore, type Store } from '../../src/store/index.ts';
import { applyRemoteChanges, reconcileEditedDeletions, resolveQueuedConflict } from '../../src/runtime/apply-remote.ts';
import type { ConflictStrategy } from '../../src/conflicts/index.ts';
import { makeSkill, iso } from '../support/skills.ts';
import { useTempDir } from '../support/temp-dir.ts';

const T0 = Date.parse('2026-03-01T00:00:00Z');
const base = makeSkill(1, { version: '1.0.0', description: 'base', tags: ['x'], code: 'base code', updated_at: iso(T0) });
const local = { ...base, description: 'local text', tags: ['x', 'mine'], code: 'local code' };
const versionBump = { ...base, version: '2.0.0', description: 'remote text', tags: ['x', 'theirs'], code: 'remote code', updated_at: iso(T0 + 1000) };
const contentChange = { ...versionBump, version: '1.0.0' };
const deletion = { skill_id: base.skill_id, deleted_at: iso(T0 + 1000) };

describe('applying remote changes to locally edited skills', () => {
  const tempDir = useTempDir();
  const edited = (): Store => {
    const store = openStore(join(tempDir(), 'atom.db'));
    store.skills.upsert(base, T0);
    store.skills.markEdited(base.skill_id, local, T0 + 1);
    return store;
  };
  const apply = (store: Store, strategy: ConflictStrategy, change: 'content' | 'version' | 'delete') =>
    store.transaction(() =>
      change === 'delete'
        ? applyRemoteChanges(store, [], [deletion], strategy, T0 + 2)
        : applyRemoteChanges(store, [change === 'version' ? versionBump : contentChange], [], strategy, T0 + 2),
    );

  it('leaves skills without local edits to plain upserts', () => {
    const store = openStore(join(tempDir(), 'atom.db'));
    store.skills.upsert(base, T0);
    expect(applyRemoteChanges(store, [versionBump], [], 'manual', T0 + 2)).toMatchObject({ updated: 1, detected: 0 });
    expect(store.conflicts.list({ limit: 10, offset: 0 }).total).toBe(0);
  });

  it.each(['content', 'version'] as const)('%s conflict, remote_wins: the remote version replaces the edit', (change) => {
    const store = edited();
    expect(apply(store, 'remote_wins', change)).toMatchObject({ detected: 1, autoResolved: 1 });
    const skill = store.skills.get(base.skill_id)!;
    expect(skill.locallyEdited).toBe(false);
    expect(skill.remote.code).toBe('remote code');
    const [conflict] = store.conflicts.list({ limit: 1, offset: 0 }).items;
    expect(conflict).toMatchObject({ conflictType: change, state: 'resolved', strategy: 'remote_wins', resolvedBy: 'auto', base, local });
  });

  it.each(['content', 'version'] as const)('%s conflict, local_wins: the edit stays, now based on the remote version', (change) => {
    const store = edited();
    apply(store, 'local_wins', change);
    const skill = store.skills.get(base.skill_id)!;
    expect(skill.local).toEqual(local);
    expect(skill.baseUpdatedAt).toBe(T0 + 1000);
    // The same remote version again is no new conflict.
    expect(apply(store, 'local_wins', change).detected).toBe(0);
  });

  it.each(['content', 'version'] as const)('%s conflict, merge: local code, union of tags, both descriptions', (change) => {
    const store = edited();
    apply(store, 'merge', change);
    const skill = store.skills.get(base.skill_id)!;
    expect(skill.local).toMatchObject({ code: 'local code', tags: ['x', 'theirs', 'mine'], description: 'local text\n\nremote text', version: change === 'version' ? '2.0.0' : '1.0.0' });
  });

  it.each(['content', 'version', 'delete'] as const)('%s conflict, manual: queued for an operator, local edit untouched', (change) => {
    const store = edited();
    expect(apply(store, 'manual', change)).toMatchObject({ detected: 1, queued: 1 });
    expect(store.skills.get(base.skill_id)?.local).toEqual(local);
    expect(store.conflicts.list({ resolved: false, limit: 10, offset: 0 }).items[0]).toMatchObject({ state: 'awaitingOperator', conflictType: change });
  });

  it('delete conflict: remote_wins deletes; local_wins and merge keep the skill as a local one', () => {
    for (const [strategy, survives] of [['remote_wins', false], ['local_wins', true], ['merge', true]] as const) {
      const store = edited();
      apply(store, strategy, 'delete');
      const skill = store.skills.get(base.skill_id);
      expect(skill !== undefined, strategy).toBe(survives);
      if (skill) expect(skill.origin).toBe('local');
      store.close();
    }
  });

  it('a newer remote change joins the conflict already waiting instead of opening another', () => {
    const store = edited();
    apply(store, 'manual', 'content');
    const newer = { ...versionBump, description: 'even newer', updated_at: iso(T0 + 5000) };
    expect(applyRemoteChanges(store, [newer], [], 'manual', T0 + 6).detected).toBe(0);
    const { items, total } = store.conflicts.list({ limit: 10, offset: 0 });
    expect(total).toBe(1);
    expect(items[0]?.remote?.description).toBe('even newer');
  });

  it('an operator resolves a queued conflict once; a second resolution is refused', () => {
    const store = edited();
    apply(store, 'manual', 'version');
    const id = store.conflicts.list({ limit: 1, offset: 0 }).items[0]!.id;
    expect(resolveQueuedConflict(store, id, 'merge', T0 + 10)).toBe(true);
    expect(store.skills.get(base.skill_id)?.local).toMatchObject({ code: 'local code', version: '2.0.0' });
    expect(store.conflicts.get(id)).toMatchObject({ state: 'resolved', resolvedBy: 'operator', strategy: 'merge' });
    expect(resolveQueuedConflict(store, id, 'remote_wins', T0 + 11)).toBe(false);
    expect(resolveQueuedConflict(store, 999, 'remote_wins', T0 + 11)).toBe(false);
  });

  it('full-sync reconciliation turns edited skills the platform no longer lists into delete conflicts', () => {
    const store = edited();
    expect(reconcileEditedDeletions(store, [base.skill_id], 'remote_wins', T0 + 200)).toEqual({ detected: 1, autoResolved: 1, queued: 0 });
    expect(store.skills.get(base.skill_id)).toBeUndefined();
  });
});

describe('remote changes that leave the content alone', () => {
  const tempDir = useTempDir();

  it('a rating that moved upstream (updated_at bumped, content the same) is no conflict: taken, and the edit kept', () => {
    const store = openStore(join(tempDir(), 'atom.db'));
    store.skills.upsert(base, T0);
    store.skills.markEdited(base.skill_id, local, T0 + 1);
    const rated = { ...base, average_rating: 4.9, rating_count: 99, updated_at: iso(T0 + 5000) };
    expect(applyRemoteChanges(store, [rated], [], 'manual', T0 + 6)).toMatchObject({ updated: 1, detected: 0 });
    const skill = store.skills.get(base.skill_id)!;
    expect(skill.local).toEqual(local);
    expect(skill.remote.rating_count).toBe(99);
    expect(skill.baseUpdatedAt).toBe(T0 + 5000);
    // A real content change afterwards is still a conflict.
    expect(applyRemoteChanges(store, [{ ...rated, description: 'changed', updated_at: iso(T0 + 9000) }], [], 'manual', T0 + 10).detected).toBe(1);
  });
});
