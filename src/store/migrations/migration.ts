import type { Database } from 'better-sqlite3';

/** One schema step. `version` is what PRAGMA user_version holds once it has been applied. */
export interface Migration {
  version: number;
  name: string;
  up: string | ((db: Database) => void);
}
