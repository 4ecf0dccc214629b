import type { Migration } from './migration.ts';

// Full-sync reconciliation by evidence, not by clock: each full sync gets a number, and its pages
// stamp the rows they list with it. A row not stamped by the finished sync was not listed; whether it
// still exists is then decided by its age or by asking the platform (runtime/sync-run.ts). Comparing
// synced_at with the sync's start kept skills deleted upstream when the clock stood still, and when a
// resumed sync's window included WebSocket updates of skills deleted later.
export const fullSyncSeen: Migration = {
  version: 3,
  name: 'full sync stamps',
  up: `
    ALTER TABLE skill_cache ADD COLUMN full_sync_seen INTEGER;
    ALTER TABLE sync_state ADD COLUMN full_sync_id INTEGER NOT NULL DEFAULT 0;
  `,
};
