import type { Migration } from './migration.ts';

// rating_update messages change a skill's rating summary without changing the skill's version, so
// the summary gets its own no-regression stamp: an older rating_update never overwrites a newer one.
export const ratingUpdatedAt: Migration = {
  version: 2,
  name: 'rating summary stamp',
  up: 'ALTER TABLE skill_cache ADD COLUMN rating_updated_at INTEGER;',
};
