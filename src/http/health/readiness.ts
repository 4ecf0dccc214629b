import { statfs } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import type { Store } from '../../store/index.ts';

// GET /health/ready (spec 002 "Readiness Probe"): the database answers, its schema is the one
// this build expects, and its filesystem has room to keep writing.

/** Spec 002: 1 GB free on the database's filesystem (GiB, as `df -h` shows it). */
export const MIN_FREE_BYTES = 1024 ** 3;

export interface Readiness {
  ready: boolean;
  database: 'connected' | 'disconnected';
  migrationsApplied: boolean;
  /** Free space in GiB (one decimal); null when the filesystem could not be asked. */
  diskSpaceGb: number | null;
  failing: string[];
}

/** The verdict from what was measured: pure, so thresholds are tested without filling a disk. */
export function readinessOf(facts: { databaseOk: boolean; migrationsApplied: boolean; freeBytes: number | null }): Readiness {
  const failing: string[] = [];
  if (!facts.databaseOk) failing.push('database');
  if (!facts.migrationsApplied) failing.push('migrations');
  if (facts.freeBytes === null || facts.freeBytes < MIN_FREE_BYTES) failing.push('disk_space');
  return {
    ready: failing.length === 0,
    database: facts.databaseOk ? 'connected' : 'disconnected',
    migrationsApplied: facts.migrationsApplied,
    diskSpaceGb: facts.freeBytes === null ? null : Math.round((facts.freeBytes / 1024 ** 3) * 10) / 10,
    failing,
  };
}

/** Measures: a trivial query, the schema version, and statfs of the folder holding the file. */
export async function probeReadiness(store: Store): Promise<Readiness> {
  let databaseOk = false;
  try {
    databaseOk = store.db.prepare('SELECT 1 AS ok').get() !== undefined;
  } catch {
    databaseOk = false;
  }
  let migrationsApplied = false;
  try {
    migrationsApplied = databaseOk && store.migrationsApplied();
  } catch {
    migrationsApplied = false;
  }
  let freeBytes: number | null = null;
  try {
    const folder = store.path === ':memory:' ? process.cwd() : dirname(resolve(store.path));
    const stats = await statfs(folder);
    freeBytes = stats.bavail * stats.bsize;
  } catch {
    freeBytes = null;
  }
  return readinessOf({ databaseOk, migrationsApplied, freeBytes });
}
