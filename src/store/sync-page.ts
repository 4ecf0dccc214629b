import type { Database } from 'better-sqlite3';
import type { RemoteSkill, SkillTombstone } from '../marketplace/types.ts';
import type { SkillRepository, UpsertOutcome } from './skills.ts';
import type { SyncCheckpoint, SyncStateRepository } from './sync-state.ts';
import { toMillis } from './time.ts';

export interface SkillPage {
  skills: readonly RemoteSkill[];
  tombstones?: readonly SkillTombstone[];
  /** Where the sync goes next, written with the page so a crash resumes right after it. */
  checkpoint: Omit<SyncCheckpoint, 'highWaterUpdatedAt'>;
}

export interface PageResult extends Record<UpsertOutcome, number> {
  deleted: number;
}

/**
 * Writes a page of skills and the sync checkpoint in one transaction: after a crash either both
 * are there or neither, so a resumed sync never skips a page and never re-counts one.
 */
export function createPageWriter(db: Database, skills: SkillRepository, syncState: SyncStateRepository) {
  return db.transaction((page: SkillPage, now: number): PageResult => {
    const counts = skills.upsertMany(page.skills, now);
    let deleted = 0;
    for (const tombstone of page.tombstones ?? []) if (skills.applyTombstone(tombstone)) deleted += 1;
    let highWater: number | null = null;
    for (const skill of page.skills) {
      const at = toMillis(skill.updated_at, 'updated_at');
      if (highWater === null || at > highWater) highWater = at;
    }
    for (const tombstone of page.tombstones ?? []) {
      const at = toMillis(tombstone.deleted_at, 'deleted_at');
      if (highWater === null || at > highWater) highWater = at;
    }
    syncState.saveCheckpoint({ ...page.checkpoint, highWaterUpdatedAt: highWater });
    return { ...counts, deleted };
  });
}
