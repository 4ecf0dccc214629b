import type { Migration } from './migration.ts';

// The agent's tables (DESIGN.md "Data") with the indexes of spec 002 "Database Indexing".
// Times are integer milliseconds since the epoch: they compare correctly, unlike ISO strings of
// mixed precision. `skill_id`, `category_name` and `device_id` are keyed by the unique indexes spec
// 002 names rather than by a primary key, so each key has exactly one index to maintain.
export const initialSchema: Migration = {
  version: 1,
  name: 'initial schema',
  up: `
    CREATE TABLE skill_cache (
      skill_id        TEXT    NOT NULL,
      name            TEXT    NOT NULL,
      description     TEXT    NOT NULL DEFAULT '',
      version         TEXT    NOT NULL DEFAULT '',
      category        TEXT    NOT NULL DEFAULT '',
      average_rating  REAL    NOT NULL DEFAULT 0,
      rating_count    INTEGER NOT NULL DEFAULT 0,
      skill_data      TEXT    NOT NULL,            -- the remote skill as last synced (JSON)
      updated_at      INTEGER NOT NULL,            -- remote updated_at; upserts never move it back
      origin          TEXT    NOT NULL DEFAULT 'remote' CHECK (origin IN ('remote', 'local')),
      synced_at       INTEGER NOT NULL,
      expires_at      INTEGER NOT NULL,
      locally_edited  INTEGER NOT NULL DEFAULT 0 CHECK (locally_edited IN (0, 1)),
      local_data      TEXT,                        -- the local edit (JSON), when locally_edited
      edited_at       INTEGER,
      base_version    TEXT,                        -- remote version the local edit started from
      base_updated_at INTEGER,
      base_data       TEXT                         -- remote skill the local edit started from (JSON)
    );
    CREATE UNIQUE INDEX idx_skill_cache_skill_id ON skill_cache(skill_id);
    CREATE INDEX idx_skill_cache_expires_at ON skill_cache(expires_at);
    CREATE INDEX idx_skill_cache_category ON skill_cache(category);

    CREATE TABLE category_cache (
      category_name TEXT    NOT NULL,
      description   TEXT    NOT NULL DEFAULT '',
      skill_count   INTEGER NOT NULL DEFAULT 0,
      icon_url      TEXT,
      category_data TEXT    NOT NULL,
      updated_at    INTEGER NOT NULL,
      synced_at     INTEGER NOT NULL,
      expires_at    INTEGER NOT NULL
    );
    CREATE UNIQUE INDEX idx_category_cache_name ON category_cache(category_name);

    -- One row: the sync checkpoint and counters of this agent (device).
    CREATE TABLE sync_state (
      device_id               TEXT    NOT NULL,
      status                  TEXT    NOT NULL DEFAULT 'idle',
      sync_kind               TEXT,                -- 'full' | 'incremental' while a sync runs
      sync_started_at         INTEGER,             -- start of the running (or interrupted) sync
      cursor                  TEXT,                -- next page of the running full sync
      page                    INTEGER,             -- next page when the platform has no cursor support
      pages_done              INTEGER NOT NULL DEFAULT 0,
      skills_done             INTEGER NOT NULL DEFAULT 0,
      high_water_updated_at   INTEGER,             -- newest remote updated_at applied: incremental checkpoint
      high_water_seq          INTEGER NOT NULL DEFAULT 0,  -- last WebSocket seq applied
      last_sync_at            INTEGER,
      last_successful_sync_at INTEGER,
      last_full_sync_at       INTEGER,
      last_error              TEXT,
      total_syncs             INTEGER NOT NULL DEFAULT 0,
      successful_syncs        INTEGER NOT NULL DEFAULT 0,
      failed_syncs            INTEGER NOT NULL DEFAULT 0
    );
    CREATE UNIQUE INDEX idx_sync_state_device_id ON sync_state(device_id);

    -- One row (id = 1): the WebSocket link as the connection chart last left it.
    CREATE TABLE websocket_state (
      id                     INTEGER PRIMARY KEY CHECK (id = 1),
      state                  TEXT    NOT NULL DEFAULT 'disabled',
      connected              INTEGER NOT NULL DEFAULT 0,
      connected_at           INTEGER,
      last_connected_at      INTEGER,
      last_disconnected_at   INTEGER,
      last_message_at        INTEGER,
      last_disconnect_reason TEXT,
      reconnect_attempts     INTEGER NOT NULL DEFAULT 0,
      consecutive_failures   INTEGER NOT NULL DEFAULT 0,
      fallback_to_polling    INTEGER NOT NULL DEFAULT 0,
      fallback_until         INTEGER,
      next_attempt_at        INTEGER,
      updated_at             INTEGER NOT NULL
    );

    CREATE TABLE conflict_log (
      id            INTEGER PRIMARY KEY AUTOINCREMENT,
      skill_id      TEXT    NOT NULL,
      conflict_type TEXT    NOT NULL CHECK (conflict_type IN ('content', 'version', 'delete')),
      state         TEXT    NOT NULL DEFAULT 'detected' CHECK (state IN ('detected', 'awaitingOperator', 'resolved')),
      resolved      INTEGER NOT NULL DEFAULT 0 CHECK (resolved IN (0, 1)),
      strategy      TEXT,                          -- the strategy that resolved it
      resolved_by   TEXT,                          -- 'auto' | 'operator'
      base_data     TEXT,
      local_data    TEXT,
      remote_data   TEXT,                          -- null for a remote delete
      result_data   TEXT,                          -- what the cache holds after resolution
      detected_at   INTEGER NOT NULL,
      resolved_at   INTEGER
    );
    CREATE INDEX idx_conflict_log_skill_id ON conflict_log(skill_id);
    CREATE INDEX idx_conflict_log_resolved ON conflict_log(resolved);

    -- The rating outbox: local ratings waiting for (or done with) upload.
    CREATE TABLE skill_rating (
      id               INTEGER PRIMARY KEY AUTOINCREMENT,
      client_rating_id TEXT    NOT NULL,           -- idempotency key of the current version
      skill_id         TEXT    NOT NULL,
      user_id          TEXT    NOT NULL,           -- local id; hashed before upload
      rating           INTEGER NOT NULL CHECK (rating BETWEEN 1 AND 5),
      comment          TEXT CHECK (comment IS NULL OR length(comment) <= 1000),
      created_at       INTEGER NOT NULL,
      updated_at       INTEGER NOT NULL,
      sync_status      TEXT    NOT NULL DEFAULT 'pending' CHECK (sync_status IN ('pending', 'synced', 'failed', 'dead')),
      synced_at        INTEGER,
      remote_rating_id TEXT
    );
    CREATE UNIQUE INDEX idx_skill_rating_client_id ON skill_rating(client_rating_id);
    CREATE UNIQUE INDEX idx_skill_rating_skill_user ON skill_rating(skill_id, user_id);
    CREATE INDEX idx_skill_rating_status ON skill_rating(sync_status);

    -- Uploads that failed: retried with a schedule (transient) or kept as dead letters (4xx).
    CREATE TABLE failed_rating_upload (
      id            INTEGER PRIMARY KEY AUTOINCREMENT,
      rating_id     INTEGER NOT NULL REFERENCES skill_rating(id) ON DELETE CASCADE,
      error_kind    TEXT    NOT NULL,              -- auth | rateLimited | transient | invalid
      reason        TEXT    NOT NULL,
      retry_count   INTEGER NOT NULL DEFAULT 0,
      next_retry_at INTEGER,                       -- null for a dead letter
      dead_letter   INTEGER NOT NULL DEFAULT 0 CHECK (dead_letter IN (0, 1)),
      created_at    INTEGER NOT NULL,
      updated_at    INTEGER NOT NULL
    );
    CREATE UNIQUE INDEX idx_failed_rating_upload_rating ON failed_rating_upload(rating_id);
    CREATE INDEX idx_failed_rating_upload_next ON failed_rating_upload(dead_letter, next_retry_at);

    CREATE TABLE actor_snapshot (
      actor_id   TEXT    PRIMARY KEY,
      machine    TEXT    NOT NULL,
      snapshot   TEXT    NOT NULL,
      updated_at INTEGER NOT NULL
    );

    CREATE TABLE transition_journal (
      id         INTEGER PRIMARY KEY AUTOINCREMENT,
      at         INTEGER NOT NULL,
      actor_id   TEXT    NOT NULL,
      event_type TEXT    NOT NULL,
      from_state TEXT,
      to_state   TEXT    NOT NULL
    );
    CREATE INDEX idx_transition_journal_actor ON transition_journal(actor_id, id);

    -- The singleton rows exist from the start, so repositories only ever UPDATE them.
    INSERT INTO sync_state (device_id) VALUES (lower(hex(randomblob(16))));
    INSERT INTO websocket_state (id, updated_at) VALUES (1, 0);
  `,
};
