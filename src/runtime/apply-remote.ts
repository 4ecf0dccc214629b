import { detectConflict, resolveConflict, type ConflictStrategy, type ConflictType, type Resolution } from '../conflicts/index.ts';
import { nextConflictState } from '../conflicts/row-lifecycle.ts';
import type { RemoteSkill, SkillTombstone } from '../contract/wire-types.ts';
import type { Store, UpsertOutcome } from '../store/index.ts';
import { toMillis } from '../store/time.ts';

// Every remote change, from a sync page (page-writer.ts, on the main thread or the sync worker) or
// a WebSocket message (realtime.ts), reaches the cache through applyRemoteChanges: plain upserts
// for untouched skills, and for locally edited ones conflict detection and the configured strategy.
// Callers run it inside a store transaction; every step is idempotent.

export interface ConflictCounts {
  detected: number;
  autoResolved: number;
  queued: number;
}

/** What a batch of remote changes did to the cache: rows by upsert outcome, tombstones applied, conflicts. */
export type ApplyOutcome = Record<UpsertOutcome, number> & { deleted: number } & ConflictCounts;

export function applyRemoteChanges(
  store: Store,
  skills: readonly RemoteSkill[],
  tombstones: readonly SkillTombstone[],
  strategy: ConflictStrategy,
  now: number,
): ApplyOutcome {
  const out: ApplyOutcome = { inserted: 0, updated: 0, unchanged: 0, deleted: 0, detected: 0, autoResolved: 0, queued: 0 };
  const states = store.skills.editStates(skills.map((s) => s.skill_id));
  for (const skill of skills) {
    const state = states.get(skill.skill_id);
    const newer = state !== undefined && toMillis(skill.updated_at, 'updated_at') > state.updatedAt;
    if (!state?.locallyEdited || !newer) {
      out[store.skills.upsert(skill, now, 'remote', state ?? null)] += 1;
      continue;
    }
    // Edited here and changed upstream (rare): now the base is worth reading.
    const type = detectConflict({ ...state, base: store.skills.get(skill.skill_id)?.base ?? null }, { kind: 'update', skill });
    if (type === null) {
      // Nothing the edit touched changed (a rating moved upstream): take it and build on it.
      out[store.skills.upsert(skill, now, 'remote', state)] += 1;
      store.skills.rebase(skill.skill_id);
      continue;
    }
    countConflict(out, handleConflict(store, skill.skill_id, type, skill, strategy, now));
    out.updated += 1;
  }
  for (const tombstone of tombstones) {
    const state = store.skills.editState(tombstone.skill_id);
    const type = detectConflict(state, { kind: 'delete', deletedAt: toMillis(tombstone.deleted_at, 'deleted_at') });
    if (type === null) {
      if (store.skills.applyTombstone(tombstone)) out.deleted += 1;
      continue;
    }
    const result = handleConflict(store, tombstone.skill_id, type, null, strategy, now);
    countConflict(out, result);
    if (result === 'autoResolved' && store.skills.get(tombstone.skill_id) === undefined) out.deleted += 1;
  }
  return out;
}

/** Full-sync reconciliation of edited skills the platform no longer has: each is a delete conflict. */
export function reconcileEditedDeletions(store: Store, skillIds: readonly string[], strategy: ConflictStrategy, now: number): ConflictCounts {
  const out: ConflictCounts = { detected: 0, autoResolved: 0, queued: 0 };
  for (const skillId of skillIds) countConflict(out, handleConflict(store, skillId, 'delete', null, strategy, now));
  return out;
}

type ConflictResult = 'autoResolved' | 'queued' | 'joined';

function countConflict(out: ConflictCounts, result: ConflictResult): void {
  if (result === 'joined') return;
  out.detected += 1;
  out[result] += 1;
}

function handleConflict(store: Store, skillId: string, type: ConflictType, remote: RemoteSkill | null, strategy: ConflictStrategy, now: number): ConflictResult {
  const cached = store.skills.get(skillId);
  if (!cached?.local) return 'joined'; // nothing local left to protect (raced with a resolution)
  // A conflict already waiting for an operator absorbs newer remote changes instead of opening another.
  const open = store.conflicts.openForSkill(skillId);
  if (open) {
    store.conflicts.updateRemote(open.id, remote);
    if (remote) store.skills.upsert(remote, now);
    return 'joined';
  }
  const id = store.conflicts.record({ skillId, conflictType: type, base: cached.base, local: cached.local, remote }, now);
  const resolution = resolveConflict(strategy, { type, base: cached.base, local: cached.local, remote });
  applyResolution(store, skillId, resolution, remote, now);
  // A new row is `detected` (conflictRow chart); from there the strategy's answer decides alone.
  if (resolution.action === 'queue') {
    store.conflicts.setState(id, 'awaitingOperator');
    return 'queued';
  }
  store.conflicts.resolve(id, { strategy, resolvedBy: 'auto', result: resolution.result }, now);
  return 'autoResolved';
}

/** What a resolution does to the cache. `remote` is the incoming version, or null for a deletion. */
export function applyResolution(store: Store, skillId: string, resolution: Resolution, remote: RemoteSkill | null, now: number): void {
  switch (resolution.action) {
    case 'acceptRemote':
      store.skills.upsert(resolution.result, now);
      store.skills.clearEdit(skillId);
      return;
    case 'keepLocal':
      if (remote) {
        store.skills.upsert(remote, now);
        store.skills.rebase(skillId);
      } else {
        store.skills.convertToLocal(skillId);
      }
      return;
    case 'applyMerged':
      if (remote) store.skills.upsert(remote, now);
      store.skills.rebase(skillId);
      store.skills.markEdited(skillId, resolution.result, now);
      return;
    case 'delete':
      store.skills.remove(skillId);
      return;
    case 'queue':
      // The remote version is recorded in the conflict; the cache keeps the local edit on its old base.
      if (remote) store.skills.upsert(remote, now);
      return;
  }
}

/**
 * An operator's decision on a queued conflict (`conflict.resolve {id, strategy}`). Returns false
 * when the conflict is unknown, already resolved, or the strategy is `manual`.
 */
export function resolveQueuedConflict(store: Store, id: number, strategy: Exclude<ConflictStrategy, 'manual'>, now: number): boolean {
  return store.transaction(() => {
    const conflict = store.conflicts.get(id);
    if (!conflict || nextConflictState(conflict.state, 'conflict.resolve') === undefined) return false;
    const cached = store.skills.get(conflict.skillId);
    const local = cached?.local ?? conflict.local;
    if (!local) return false;
    const resolution = resolveConflict(strategy, { type: conflict.conflictType, base: conflict.base, local, remote: conflict.remote });
    if (cached) applyResolution(store, conflict.skillId, resolution, conflict.remote, now);
    return store.conflicts.resolve(id, { strategy, resolvedBy: 'operator', result: resolution.result }, now);
  });
}
