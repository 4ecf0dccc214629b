import { openDatabase, checkIntegrity, type Database, type IntegrityReport } from './database.ts';
import { createSkillRepository } from './skills.ts';
import { createCategoryRepository } from './categories.ts';
import { createSyncStateRepository } from './sync-state.ts';
import { createWebSocketStateRepository } from './websocket-state.ts';
import { createConflictRepository } from './conflicts.ts';
import { createRatingRepository } from './ratings.ts';
import { createSnapshotRepository } from './snapshots.ts';
import { createJournalRepository } from './journal.ts';
import { createExpiryCleaner } from './expiry.ts';
import { schemaVersion, LATEST_VERSION, type MigrationReport } from './migrate.ts';

export type { CachedSkill, UpsertOutcome } from './skills.ts';
export type { CachedCategory } from './categories.ts';
export type { SyncState, SyncCheckpoint } from './sync-state.ts';
export type { WebSocketState } from './websocket-state.ts';
export type { ConflictRecord, ConflictState, ConflictFilter } from './conflicts.ts';
export type { LocalRating, FailedUpload, RatingStatus } from './ratings.ts';
export type { JournalEntry } from './journal.ts';
export type { IntegrityReport } from './database.ts';
export { SchemaTooNewError, LATEST_VERSION } from './migrate.ts';
export { CACHE_TTL_MS } from './time.ts';

/** The agent's database with one repository per table group. */
export interface Store {
  readonly db: Database;
  readonly path: string;
  readonly migration: MigrationReport | undefined;
  readonly skills: ReturnType<typeof createSkillRepository>;
  readonly categories: ReturnType<typeof createCategoryRepository>;
  readonly syncState: ReturnType<typeof createSyncStateRepository>;
  readonly websocketState: ReturnType<typeof createWebSocketStateRepository>;
  readonly conflicts: ReturnType<typeof createConflictRepository>;
  readonly ratings: ReturnType<typeof createRatingRepository>;
  readonly snapshots: ReturnType<typeof createSnapshotRepository>;
  readonly journal: ReturnType<typeof createJournalRepository>;
  readonly expiry: ReturnType<typeof createExpiryCleaner>;
  /**
   * Runs `fn` in one transaction (nested calls become savepoints). BEGIN IMMEDIATE: the sync worker
   * writes through its own connection, and a deferred transaction that read first could not take
   * the write lock after the other connection committed (SQLITE_BUSY_SNAPSHOT, no busy wait).
   */
  transaction<T>(fn: () => T): T;
  /** Schema at the version this build expects (readiness). */
  migrationsApplied(): boolean;
  integrity(mode?: 'quick' | 'full'): IntegrityReport;
  close(): void;
}

export function openStore(path: string): Store {
  const { db, migration } = openDatabase(path);
  return {
    db,
    path,
    migration,
    skills: createSkillRepository(db),
    categories: createCategoryRepository(db),
    syncState: createSyncStateRepository(db),
    websocketState: createWebSocketStateRepository(db),
    conflicts: createConflictRepository(db),
    ratings: createRatingRepository(db),
    snapshots: createSnapshotRepository(db),
    journal: createJournalRepository(db),
    expiry: createExpiryCleaner(db),
    transaction: <T>(fn: () => T): T => db.transaction(fn).immediate(),
    migrationsApplied: () => db.open && schemaVersion(db) === LATEST_VERSION,
    integrity: (mode = 'quick') => checkIntegrity(db, mode),
    close: () => {
      if (db.open) db.close();
    },
  };
}
