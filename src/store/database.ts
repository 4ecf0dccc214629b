import BetterSqlite3, { type Database } from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { migrate, type MigrationReport } from './migrate.ts';

export type { Database } from 'better-sqlite3';

export interface OpenOptions {
  /** Skip migrations (tests of the migration runner itself). */
  migrate?: boolean;
}

/**
 * Opens (creating folder and file if needed) the agent database in WAL mode and migrates it.
 * WAL lets the HTTP shell read while a sync writes; synchronous=NORMAL is durable across
 * process crashes in WAL mode, which is the failure we guard against (kill -9 mid-sync).
 */
export function openDatabase(path: string, options: OpenOptions = {}): { db: Database; migration: MigrationReport | undefined } {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const db = new BetterSqlite3(path);
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.pragma('foreign_keys = ON');
    db.pragma('busy_timeout = 5000');
    const migration = options.migrate === false ? undefined : migrate(db);
    return { db, migration };
  } catch (error) {
    db.close();
    throw error;
  }
}

export interface IntegrityReport {
  ok: boolean;
  problems: string[];
}

/**
 * PRAGMA quick_check (or the full integrity_check): what readiness and crash-recovery tests ask.
 * quick_check skips index-content verification, so it stays cheap enough for a probe.
 */
export function checkIntegrity(db: Database, mode: 'quick' | 'full' = 'quick'): IntegrityReport {
  const rows = db.pragma(mode === 'quick' ? 'quick_check' : 'integrity_check') as { quick_check?: string; integrity_check?: string }[];
  const problems = rows.map((r) => r.quick_check ?? r.integrity_check ?? '').filter((r) => r !== 'ok');
  const fk = db.pragma('foreign_key_check') as unknown[];
  if (fk.length > 0) problems.push(`${fk.length} foreign key violation(s)`);
  return { ok: problems.length === 0, problems };
}
