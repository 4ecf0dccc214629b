import type { Database } from 'better-sqlite3';

/**
 * The platform's tables. Times are integer milliseconds since the epoch so that the keyset order
 * (updated_at, skill_id) is an index range scan; they are formatted as ISO 8601 only at the edge.
 * Arrays and metadata are JSON text: they are only ever read whole.
 */
const MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value ANY NOT NULL
  ) STRICT;

  -- skill_count is recounted (not incremented) in the transaction of every change that can move it.
  CREATE TABLE categories (
    name        TEXT PRIMARY KEY,
    description TEXT NOT NULL DEFAULT '',
    icon_url    TEXT,
    skill_count INTEGER NOT NULL DEFAULT 0,
    created_at  INTEGER NOT NULL,
    updated_at  INTEGER NOT NULL
  ) STRICT;

  -- id is the rowid the FTS index points at; skill_id is the public UUID.
  CREATE TABLE skills (
    id              INTEGER PRIMARY KEY,
    skill_id        TEXT NOT NULL UNIQUE,
    name            TEXT NOT NULL,
    description     TEXT NOT NULL,
    version         TEXT NOT NULL,
    code            TEXT NOT NULL,
    command         TEXT NOT NULL,
    python_packages TEXT NOT NULL DEFAULT '[]',
    npm_packages    TEXT NOT NULL DEFAULT '[]',
    tags            TEXT NOT NULL DEFAULT '[]',
    metadata        TEXT NOT NULL DEFAULT '{}',
    category        TEXT NOT NULL REFERENCES categories(name),
    rating_sum      INTEGER NOT NULL DEFAULT 0,
    rating_count    INTEGER NOT NULL DEFAULT 0,
    -- Stored as computed (and rounded) by the application, so every response shows the same value.
    average_rating  REAL NOT NULL DEFAULT 0,
    created_at      INTEGER NOT NULL,
    updated_at      INTEGER NOT NULL
  ) STRICT;
  CREATE INDEX skills_by_updated ON skills(updated_at, skill_id);
  CREATE INDEX skills_by_category ON skills(category, updated_at, skill_id);

  -- External-content FTS5: the text lives once, in skills; triggers keep the index in step.
  CREATE VIRTUAL TABLE skills_fts USING fts5(
    name, description, tags,
    content = 'skills', content_rowid = 'id',
    tokenize = 'unicode61 remove_diacritics 2'
  );
  CREATE TRIGGER skills_fts_insert AFTER INSERT ON skills BEGIN
    INSERT INTO skills_fts(rowid, name, description, tags) VALUES (new.id, new.name, new.description, new.tags);
  END;
  CREATE TRIGGER skills_fts_delete AFTER DELETE ON skills BEGIN
    INSERT INTO skills_fts(skills_fts, rowid, name, description, tags)
      VALUES ('delete', old.id, old.name, old.description, old.tags);
  END;
  -- Only text changes touch the index: a rating bumps updated_at without reindexing.
  CREATE TRIGGER skills_fts_update AFTER UPDATE OF name, description, tags ON skills BEGIN
    INSERT INTO skills_fts(skills_fts, rowid, name, description, tags)
      VALUES ('delete', old.id, old.name, old.description, old.tags);
    INSERT INTO skills_fts(rowid, name, description, tags) VALUES (new.id, new.name, new.description, new.tags);
  END;

  -- skill_ref is the skill's integer rowid: a quarter of the index size of the UUID, and a bulk
  -- load inserts in key order.
  CREATE TABLE ratings (
    id               INTEGER PRIMARY KEY,
    rating_id        TEXT NOT NULL UNIQUE,
    skill_ref        INTEGER NOT NULL REFERENCES skills(id) ON DELETE CASCADE,
    user_id          TEXT NOT NULL,
    rating           INTEGER NOT NULL CHECK (rating BETWEEN 1 AND 5),
    comment          TEXT,
    client_rating_id TEXT UNIQUE,
    created_at       INTEGER NOT NULL,
    updated_at       INTEGER NOT NULL,
    UNIQUE (skill_ref, user_id)
  ) STRICT;
  CREATE INDEX ratings_by_skill_updated ON ratings(skill_ref, updated_at);

  -- The idempotency store of POST /ratings: the first successful answer to a client_rating_id,
  -- replayed verbatim on a retry. Kept apart from ratings because a newer rating replaces the row.
  CREATE TABLE rating_receipts (
    client_rating_id TEXT PRIMARY KEY,
    fingerprint      TEXT NOT NULL,
    status           INTEGER NOT NULL,
    response         TEXT NOT NULL,
    created_at       INTEGER NOT NULL
  ) STRICT;

  CREATE TABLE tombstones (
    skill_id   TEXT PRIMARY KEY,
    category   TEXT NOT NULL,
    deleted_at INTEGER NOT NULL
  ) STRICT;
  CREATE INDEX tombstones_by_deleted ON tombstones(deleted_at, skill_id);
  CREATE INDEX tombstones_by_category ON tombstones(category, deleted_at, skill_id);

  CREATE TABLE tokens (
    token_hash  TEXT PRIMARY KEY,
    instance_id TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    created_at  INTEGER NOT NULL,
    revoked_at  INTEGER
  ) STRICT;
  `,
];

/** Brings the schema to the latest version; `PRAGMA user_version` records how far it got. */
export function migrate(db: Database): void {
  const current = db.pragma('user_version', { simple: true }) as number;
  for (let version = current; version < MIGRATIONS.length; version++) {
    db.transaction(() => {
      db.exec(MIGRATIONS[version] ?? '');
      db.pragma(`user_version = ${version + 1}`);
    }).immediate();
  }
}

export const SCHEMA_VERSION = MIGRATIONS.length;
