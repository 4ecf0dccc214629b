import type pg from 'pg';

/**
 * The PostgreSQL schema: the same model as the SQLite one (db/schema.ts). Times are bigint epoch
 * ms; identifiers that keyset cursors and listings order by use the "C" collation, so their order
 * is byte order, as in SQLite, whatever the database's locale. `search` is the full-text index
 * document, built by the application (search.ts) from the same words FTS5 would index.
 */
const MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE meta (key text PRIMARY KEY, value text NOT NULL);

  -- One row: every change takes its row lock in its own transaction, so writers are serialised
  -- and commit order equals seq order across replicas.
  CREATE TABLE seq_counter (id boolean PRIMARY KEY DEFAULT true CHECK (id), value bigint NOT NULL);
  INSERT INTO seq_counter (id, value) VALUES (true, 0);

  -- The durable fan-out log: a replica delivers from its last delivered seq, so a missed NOTIFY
  -- or a restart is caught up from here.
  CREATE TABLE change_log (seq bigint PRIMARY KEY, message text NOT NULL, created_at bigint NOT NULL);

  CREATE TABLE categories (
    name        text COLLATE "C" PRIMARY KEY,
    description text NOT NULL DEFAULT '',
    icon_url    text,
    skill_count integer NOT NULL DEFAULT 0,
    created_at  bigint NOT NULL,
    updated_at  bigint NOT NULL
  );

  CREATE TABLE skills (
    id              bigserial PRIMARY KEY,
    skill_id        text COLLATE "C" NOT NULL UNIQUE,
    name            text NOT NULL,
    description     text NOT NULL,
    version         text NOT NULL,
    code            text NOT NULL,
    command         text NOT NULL,
    python_packages text NOT NULL DEFAULT '[]',
    npm_packages    text NOT NULL DEFAULT '[]',
    tags            text NOT NULL DEFAULT '[]',
    metadata        text NOT NULL DEFAULT '{}',
    category        text COLLATE "C" NOT NULL REFERENCES categories(name),
    rating_sum      integer NOT NULL DEFAULT 0,
    rating_count    integer NOT NULL DEFAULT 0,
    average_rating  double precision NOT NULL DEFAULT 0,
    created_at      bigint NOT NULL,
    updated_at      bigint NOT NULL,
    search          tsvector NOT NULL
  );
  CREATE INDEX skills_by_updated ON skills (updated_at, skill_id);
  CREATE INDEX skills_by_category ON skills (category, updated_at, skill_id);
  CREATE INDEX skills_search ON skills USING gin (search);

  CREATE TABLE ratings (
    id               bigserial PRIMARY KEY,
    rating_id        text NOT NULL UNIQUE,
    skill_ref        bigint NOT NULL REFERENCES skills(id) ON DELETE CASCADE,
    user_id          text NOT NULL,
    rating           integer NOT NULL CHECK (rating BETWEEN 1 AND 5),
    comment          text,
    client_rating_id text UNIQUE,
    created_at       bigint NOT NULL,
    updated_at       bigint NOT NULL,
    UNIQUE (skill_ref, user_id)
  );
  CREATE INDEX ratings_by_skill_updated ON ratings (skill_ref, updated_at);

  CREATE TABLE rating_receipts (
    client_rating_id text PRIMARY KEY,
    fingerprint      text NOT NULL,
    status           integer NOT NULL,
    response         text NOT NULL,
    created_at       bigint NOT NULL
  );

  CREATE TABLE tombstones (
    skill_id   text COLLATE "C" PRIMARY KEY,
    category   text COLLATE "C" NOT NULL,
    deleted_at bigint NOT NULL
  );
  CREATE INDEX tombstones_by_deleted ON tombstones (deleted_at, skill_id);
  CREATE INDEX tombstones_by_category ON tombstones (category, deleted_at, skill_id);

  CREATE TABLE tokens (
    token_hash  text PRIMARY KEY,
    instance_id text NOT NULL,
    description text NOT NULL DEFAULT '',
    created_at  bigint NOT NULL,
    revoked_at  bigint
  );
  `,
];

/** Any constant shared by every replica: the key of the advisory lock that serialises migrations. */
const MIGRATION_LOCK = 0x61746f6d; // "atom"

/**
 * Brings the schema to the latest version. Several replicas may start at once: each takes the
 * same transaction-scoped advisory lock, so exactly one applies each migration and the others
 * find it done. `schema_migrations` records who applied what.
 */
export async function migrate(pool: pg.Pool, appliedBy: string): Promise<number> {
  const client = await pool.connect();
  let applied = 0;
  try {
    await client.query('BEGIN');
    await client.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
    await client.query(`CREATE TABLE IF NOT EXISTS schema_migrations (
      version integer PRIMARY KEY, applied_at bigint NOT NULL, applied_by text NOT NULL)`);
    const { rows } = await client.query<{ v: number | null }>('SELECT max(version) AS v FROM schema_migrations');
    for (let version = rows[0]?.v ?? 0; version < MIGRATIONS.length; version++) {
      await client.query(MIGRATIONS[version] ?? '');
      await client.query('INSERT INTO schema_migrations (version, applied_at, applied_by) VALUES ($1, $2, $3)',
        [version + 1, Date.now(), appliedBy]);
      applied += 1;
    }
    await client.query('COMMIT');
  } catch (err) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw err;
  } finally {
    client.release();
  }
  return applied;
}

export const PG_SCHEMA_VERSION = MIGRATIONS.length;
