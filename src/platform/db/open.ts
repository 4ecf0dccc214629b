import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { randomBytes } from 'node:crypto';
import Database from 'better-sqlite3';
import { migrate } from './schema.ts';

export type Db = Database.Database;

/**
 * Opens (creating if needed) the platform's SQLite file in WAL mode and migrates it.
 * `:memory:` works too, for throwaway use; tests prefer a temp file so a restart can be simulated.
 */
export function openPlatformDb(path: string): Db {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  // NORMAL in WAL mode loses at most the last commits on power loss, never consistency.
  db.pragma('synchronous = NORMAL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  migrate(db);
  // db_id distinguishes two files that happen to be at the same seq (ETags must not collide).
  const init = db.prepare('INSERT OR IGNORE INTO meta (key, value) VALUES (?, ?)');
  db.transaction(() => {
    init.run('seq', 0);
    init.run('db_id', randomBytes(6).toString('hex'));
  })();
  return db;
}
