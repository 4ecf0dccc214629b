import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { openStore, SchemaTooNewError, LATEST_VERSION } from '../../src/store/index.ts';
import { migrate, schemaVersion } from '../../src/store/migrate.ts';
import { useTempDir } from '../support/temp-dir.ts';

const TABLES = [
  'actor_snapshot', 'category_cache', 'conflict_log', 'failed_rating_upload', 'skill_cache',
  'skill_rating', 'sync_state', 'transition_journal', 'websocket_state',
];
// Spec 002 "Database Indexing".
const SPEC_INDEXES = [
  'idx_skill_cache_skill_id', 'idx_skill_cache_expires_at', 'idx_category_cache_name',
  'idx_sync_state_device_id', 'idx_conflict_log_skill_id', 'idx_conflict_log_resolved',
];

describe('migrations', () => {
  const tempDir = useTempDir();

  it('creates every table and the indexes of spec 002 on an empty database, in WAL mode', () => {
    const path = join(tempDir(), 'nested', 'atom.db');
    const store = openStore(path);
    const names = (type: string) =>
      (store.db.prepare('SELECT name FROM sqlite_master WHERE type = ?').all(type) as { name: string }[]).map((r) => r.name);
    expect(names('table')).toEqual(expect.arrayContaining(TABLES));
    expect(names('index')).toEqual(expect.arrayContaining(SPEC_INDEXES));
    expect(store.db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(store.migration?.applied).toHaveLength(LATEST_VERSION);
    expect(store.migrationsApplied()).toBe(true);
    expect(store.syncState.get().deviceId).toMatch(/^[0-9a-f]{32}$/);
    store.close();
  });

  it('is idempotent: opening again applies nothing and keeps the data', () => {
    const path = join(tempDir(), 'atom.db');
    const first = openStore(path);
    const deviceId = first.syncState.get().deviceId;
    first.close();
    const second = openStore(path);
    expect(second.migration).toEqual({ from: LATEST_VERSION, to: LATEST_VERSION, applied: [] });
    expect(second.syncState.get().deviceId).toBe(deviceId);
    expect(second.db.prepare('SELECT count(*) AS n FROM sync_state').get()).toEqual({ n: 1 });
    second.close();
  });

  it('refuses a database written by a newer version, without touching it', () => {
    const path = join(tempDir(), 'atom.db');
    openStore(path).close();
    const raw = new BetterSqlite3(path);
    raw.pragma(`user_version = ${LATEST_VERSION + 5}`);
    raw.close();
    expect(() => openStore(path)).toThrow(SchemaTooNewError);
    expect(() => openStore(path)).toThrow(/newer than this atom-sync supports/);
    const after = new BetterSqlite3(path);
    expect(after.pragma('user_version', { simple: true })).toBe(LATEST_VERSION + 5);
    after.close();
  });

  it('rolls back a failing migration step as a whole, leaving the previous version', () => {
    const db = new BetterSqlite3(':memory:');
    const steps = [
      { version: 1, name: 'ok', up: 'CREATE TABLE a (x INTEGER);' },
      { version: 2, name: 'broken', up: 'CREATE TABLE b (y INTEGER); INSERT INTO missing VALUES (1);' },
    ];
    expect(() => migrate(db, steps)).toThrow(/no such table: missing/);
    expect(schemaVersion(db)).toBe(1);
    expect(db.prepare("SELECT count(*) AS n FROM sqlite_master WHERE name = 'b'").get()).toEqual({ n: 0 });
    db.close();
  });

  it('reports integrity ok on a fresh database', () => {
    const store = openStore(join(tempDir(), 'atom.db'));
    expect(store.integrity('full')).toEqual({ ok: true, problems: [] });
    store.close();
  });
});
