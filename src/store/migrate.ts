import type { Database } from 'better-sqlite3';
import { initialSchema } from './migrations/001-initial.ts';
import { ratingUpdatedAt } from './migrations/002-rating-updated-at.ts';
import { fullSyncSeen } from './migrations/003-full-sync-seen.ts';
import { journalPayloads } from './migrations/004-journal-payloads.ts';

/** One schema step. `version` is what PRAGMA user_version holds once it has been applied. */
export interface Migration {
  version: number;
  name: string;
  up: string | ((db: Database) => void);
}

/** Every migration, oldest first. Append only: a shipped migration never changes. */
export const MIGRATIONS: readonly Migration[] = [initialSchema, ratingUpdatedAt, fullSyncSeen, journalPayloads];

export const LATEST_VERSION = MIGRATIONS.at(-1)?.version ?? 0;

/** The database was written by a newer atom-sync than this one; opening it could corrupt it. */
export class SchemaTooNewError extends Error {
  readonly found: number;
  readonly supported: number;

  constructor(found: number, supported: number, path: string) {
    super(
      `database ${path} has schema version ${found}, newer than this atom-sync supports (${supported}); ` +
        'upgrade atom-sync, or point ATOM_DB_PATH at another file',
    );
    this.found = found;
    this.supported = supported;
    this.name = 'SchemaTooNewError';
  }
}

export interface MigrationReport {
  from: number;
  to: number;
  applied: string[];
}

export function schemaVersion(db: Database): number {
  return db.pragma('user_version', { simple: true }) as number;
}

/**
 * Brings the schema up to LATEST_VERSION. Each step and its version bump commit together,
 * so a crash mid-migration leaves the previous version intact, and running again is a no-op.
 */
export function migrate(db: Database, migrations: readonly Migration[] = MIGRATIONS): MigrationReport {
  const latest = migrations.at(-1)?.version ?? 0;
  const from = schemaVersion(db);
  if (from > latest) throw new SchemaTooNewError(from, latest, db.name);
  const applied: string[] = [];
  for (const migration of migrations) {
    if (migration.version <= schemaVersion(db)) continue;
    db.transaction(() => {
      if (typeof migration.up === 'string') db.exec(migration.up);
      else migration.up(db);
      db.pragma(`user_version = ${migration.version}`);
    }).immediate();
    applied.push(`${migration.version} ${migration.name}`);
  }
  return { from, to: schemaVersion(db), applied };
}
