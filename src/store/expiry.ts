import type { Database } from 'better-sqlite3';

export interface ExpiryReport {
  skills: number;
  categories: number;
}

/**
 * Removes cached rows whose 24 h lease has run out. Never removes a locally edited skill,
 * a locally imported one, or one whose ratings still wait for upload: that would lose local work.
 */
export function createExpiryCleaner(db: Database) {
  const skills = db.prepare<[number]>(`
    DELETE FROM skill_cache
    WHERE expires_at <= ? AND origin = 'remote' AND locally_edited = 0
      AND NOT EXISTS (
        SELECT 1 FROM skill_rating r
        WHERE r.skill_id = skill_cache.skill_id AND r.sync_status IN ('pending', 'failed')
      )
  `);
  const categories = db.prepare<[number]>('DELETE FROM category_cache WHERE expires_at <= ?');
  const expiredCount = db.prepare<[number], { n: number }>('SELECT count(*) AS n FROM skill_cache WHERE expires_at <= ?');

  return {
    cleanup(now: number): ExpiryReport {
      return db.transaction(() => ({ skills: skills.run(now).changes, categories: categories.run(now).changes }))();
    },
    expiredSkills(now: number): number {
      return expiredCount.get(now)?.n ?? 0;
    },
  };
}
