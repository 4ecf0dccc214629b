import type { Database } from 'better-sqlite3';
import { CACHE_TTL_MS } from './time.ts';

export interface ExpiryReport {
  skills: number;
  categories: number;
}

// A successful sync (full or incremental) confirms the whole remote catalog as of that moment, so a
// row's lease runs until the later of its own expiry and the last successful sync + 24 h. Rows thus
// expire only after a day without any successful sync, and no sync has to rewrite 100k leases.
const LEASE_END = `max(expires_at, coalesce((SELECT last_successful_sync_at FROM sync_state), 0) + ${CACHE_TTL_MS})`;

/**
 * Removes cached rows whose 24 h lease has run out. Never removes a locally edited skill,
 * a locally imported one, or one whose ratings still wait for upload: that would lose local work.
 */
export function createExpiryCleaner(db: Database) {
  const skills = db.prepare<[number]>(`
    DELETE FROM skill_cache
    WHERE ${LEASE_END} <= ? AND origin = 'remote' AND locally_edited = 0
      AND NOT EXISTS (
        SELECT 1 FROM skill_rating r
        WHERE r.skill_id = skill_cache.skill_id AND r.sync_status IN ('pending', 'failed')
      )
  `);
  const categories = db.prepare<[number]>(`DELETE FROM category_cache WHERE ${LEASE_END} <= ?`);
  const expiredCount = db.prepare<[number], { n: number }>(
    `SELECT count(*) AS n FROM skill_cache WHERE ${LEASE_END} <= ? AND origin = 'remote' AND locally_edited = 0`,
  );

  return {
    cleanup(now: number): ExpiryReport {
      return db.transaction(() => ({ skills: skills.run(now).changes, categories: categories.run(now).changes })).immediate();
    },
    /** Remote skills past their lease that cleanup may remove (some may still be spared for pending ratings). */
    expiredSkills(now: number): number {
      return expiredCount.get(now)?.n ?? 0;
    },
  };
}
