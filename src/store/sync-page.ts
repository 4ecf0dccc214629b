import type { Database } from 'better-sqlite3';
import type { RemoteSkill, SkillTombstone } from '../contract/wire-types.ts';
import type { SkillRepository } from './skills.ts';
import type { SyncCheckpoint, SyncStateRepository } from './sync-state.ts';
import { toMillis } from './time.ts';

export interface SkillPage {
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

export interface PageCounts {
  inserted: number;
  updated: number;
  unchanged: number;
  deleted: number;
}

/** How a page's rows reach the cache; the runtime plugs in conflict detection here. */
export type ApplyRows = (skills: readonly RemoteSkill[], tombstones: readonly SkillTombstone[], now: number) => PageCounts;

/** The plain apply step: upserts and tombstones, no conflict handling. */
export function plainApply(skills: SkillRepository): ApplyRows {
  return (rows, tombstones, now) => {
    const counts = skills.upsertMany(rows, now);
    let deleted = 0;
    for (const tombstone of tombstones) if (skills.applyTombstone(tombstone)) deleted += 1;
    return { ...counts, deleted };
  };
}

/**
 * Writes a page of skills (or a part of one) in one transaction, and with the part that carries it
 * the sync checkpoint: after a crash the checkpoint never points past rows that are not there, so a
 * resumed sync never skips a page. The high-water mark saved with the checkpoint covers the earlier
 * parts of the page too.
 */
export function createPageWriter(db: Database, syncState: SyncStateRepository, apply: ApplyRows) {
  // Newest updated_at of parts committed without a checkpoint yet.
  let pendingHighWater: number | null = null;
  const stamp = db.prepare<[number, string]>('UPDATE skill_cache SET full_sync_seen = ? WHERE skill_id = ?');
  const write = db.transaction((page: SkillPage, now: number, highWater: number | null): PageCounts => {
    const counts = apply(page.skills, page.tombstones ?? [], now);
    if (page.fullSyncId !== undefined) for (const skill of page.skills) stamp.run(page.fullSyncId, skill.skill_id);
    if (page.checkpoint) syncState.saveCheckpoint({ ...page.checkpoint, highWaterUpdatedAt: highWater });
    return counts;
  });
  return (page: SkillPage, now: number): PageCounts => {
    const highWater = newest(pendingHighWater, page);
    let counts: PageCounts;
    try {
      counts = write.immediate(page, now, highWater); // immediate: see Store.transaction
    } catch (error) {
      // The page will not be finished: the mark must not carry its parts into another page's checkpoint.
      pendingHighWater = null;
      throw error;
    }
    pendingHighWater = page.checkpoint ? null : highWater;
    return counts;
  };
}

function newest(start: number | null, page: SkillPage): number | null {
  let highWater = start;
  for (const at of [...page.skills.map((s) => s.updated_at), ...(page.tombstones ?? []).map((t) => t.deleted_at)]) {
    const ms = toMillis(at, 'page time');
    if (highWater === null || ms > highWater) highWater = ms;
  }
  return highWater;
}
