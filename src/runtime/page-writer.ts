import type { ConflictStrategy } from '../conflicts/index.ts';
import type { RemoteSkill, SkillTombstone } from '../contract/wire-types.ts';
import type { Store, SyncCheckpoint } from '../store/index.ts';
import { toMillis } from '../store/time.ts';
import { applyRemoteChanges, type ApplyOutcome } from './apply-remote.ts';

// How a sync page reaches the cache: the page's remote changes go through applyRemoteChanges (the
// one write path for remote changes, the WebSocket's too), in one store transaction with the
// sync's checkpoint and, for a full sync, the stamp its reconciliation goes by.

/** A page of a listing (or a part of one) as the sync writes it. */
export interface PageWrite {
  skills: readonly RemoteSkill[];
  tombstones?: readonly SkillTombstone[];
  /**
   * Where the sync goes next, written with the page so a crash resumes right after it. A page may
   * be written in parts (short transactions keep the event loop free): only its last part carries
   * the checkpoint, so a crash between parts replays the whole page, harmlessly.
   */
  checkpoint?: Omit<SyncCheckpoint, 'highWaterUpdatedAt'>;
  /** A full sync's number (SyncState.fullSyncId): the page's skills are stamped as listed by it. */
  fullSyncId?: number;
}

export type PageWriter = (page: PageWrite, now: number) => ApplyOutcome;

/**
 * Writes a page of skills (or a part of one) in one transaction, and with the part that carries it
 * the sync checkpoint: after a crash the checkpoint never points past rows that are not there, so a
 * resumed sync never skips a page. The high-water mark saved with the checkpoint covers the earlier
 * parts of the page too. Conflicts are handled by `strategy()`, read per part.
 */
export function createPageWriter(store: Store, strategy: () => ConflictStrategy): PageWriter {
  // Newest updated_at of parts committed without a checkpoint yet.
  let pendingHighWater: number | null = null;
  return (page, now) => {
    const highWater = newest(pendingHighWater, page);
    let outcome: ApplyOutcome;
    try {
      outcome = store.transaction(() => {
        const applied = applyRemoteChanges(store, page.skills, page.tombstones ?? [], strategy(), now);
        if (page.fullSyncId !== undefined) store.skills.stampListed(page.fullSyncId, page.skills.map((s) => s.skill_id));
        if (page.checkpoint) store.syncState.saveCheckpoint({ ...page.checkpoint, highWaterUpdatedAt: highWater });
        return applied;
      });
    } catch (error) {
      // The page will not be finished: the mark must not carry its parts into another page's checkpoint.
      pendingHighWater = null;
      throw error;
    }
    pendingHighWater = page.checkpoint ? null : highWater;
    return outcome;
  };
}

function newest(start: number | null, page: PageWrite): number | null {
  let highWater = start;
  for (const at of [...page.skills.map((s) => s.updated_at), ...(page.tombstones ?? []).map((t) => t.deleted_at)]) {
    const ms = toMillis(at, 'page time');
    if (highWater === null || ms > highWater) highWater = ms;
  }
  return highWater;
}
