import type { Database } from 'better-sqlite3';
import type { RemoteSkill, SkillTombstone } from '../marketplace/types.ts';
import type { SkillRepository } from './skills.ts';
import type { SyncCheckpoint, SyncStateRepository } from './sync-state.ts';
import { toMillis } from './time.ts';

export interface SkillPage {
  skills: readonly RemoteSkill[];
  tombstones?: readonly SkillTombstone[];
  /** Where the sync goes next, written with the page so a crash resumes right after it. */
  checkpoint: Omit<SyncCheckpoint, 'highWaterUpdatedAt'>;
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
 * Writes a page of skills and the sync checkpoint in one transaction: after a crash either both
 * are there or neither, so a resumed sync never skips a page and never re-counts one.
 */
export function createPageWriter(db: Database, syncState: SyncStateRepository, apply: ApplyRows) {
  return db.transaction((page: SkillPage, now: number): PageCounts => {
    const tombstones = page.tombstones ?? [];
    const counts = apply(page.skills, tombstones, now);
    let highWater: number | null = null;
    for (const at of [...page.skills.map((s) => s.updated_at), ...tombstones.map((t) => t.deleted_at)]) {
      const ms = toMillis(at, 'page time');
      if (highWater === null || ms > highWater) highWater = ms;
    }
    syncState.saveCheckpoint({ ...page.checkpoint, highWaterUpdatedAt: highWater });
    return counts;
  });
}
