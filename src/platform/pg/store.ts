// The platform's data side on PostgreSQL, for N stateless replicas sharing one database.

import { randomBytes, randomUUID } from 'node:crypto';
import pg from 'pg';
import type { PlatformData } from '../data.ts';
import { NO_BROADCAST, type Broadcaster } from '../db/seq.ts';
import { createPgChanges, type PgChanges } from './changes.ts';
import { createPgCategoryRepo } from './categories.ts';
import { createPgSkillRepo, type PgSkillRepo } from './skills.ts';
import { createPgRatingRepo, type PgRatingRepo } from './ratings.ts';
import { createPgTokenRepo, type PgTokenRepo } from './tokens.ts';
import { createPgSkillLister } from './skill-list.ts';
import { startFanout, type Fanout } from './fanout.ts';
import { migrate } from './schema.ts';

export interface PgStoreOptions {
  /** postgres://user:password@host:port/database */
  url: string;
  now?: () => number;
  /** Connections this replica may hold (plus one for LISTEN). */
  poolSize?: number;
  onError?: (err: unknown, what: string) => void;
}

export interface PostgresStore extends PlatformData {
  kind: 'postgres';
  pool: pg.Pool;
  changes: PgChanges;
  skills: PgSkillRepo;
  ratings: PgRatingRepo;
  tokens: PgTokenRepo;
  /** Called with a token's hash when any replica revokes it (this one included). */
  onTokenRevoked(handler: (tokenHash: string) => void): void;
  fanout: Fanout;
  healthy(): Promise<boolean>;
  close(): Promise<void>;
}

// bigint (int8) columns hold epoch ms and seqs, far below 2^53: read them as numbers.
const TYPES = {
  getTypeParser: ((oid: number, format?: string) =>
    oid === pg.types.builtins.INT8 ? (v: string) => Number(v) : pg.types.getTypeParser(oid, format as 'text')) as pg.CustomTypesConfig['getTypeParser'],
};

export function isPostgresUrl(url: string | undefined): boolean {
  return url !== undefined && /^postgres(ql)?:\/\//i.test(url);
}

/** Connects, migrates (once across replicas), then starts listening for every replica's changes. */
export async function openPostgresStore(options: PgStoreOptions): Promise<PostgresStore> {
  const now = options.now ?? Date.now;
  const onError = options.onError ?? (() => undefined);
  const clientConfig: pg.ClientConfig = { connectionString: options.url, types: TYPES, application_name: 'atom-platform' };
  const pool = new pg.Pool({ ...clientConfig, max: options.poolSize ?? 10 });
  // An idle client that loses its server must not crash the process; the pool replaces it.
  pool.on('error', (err) => onError(err, 'an idle PostgreSQL connection failed'));
  try {
    await migrate(pool, randomUUID());
    await pool.query("INSERT INTO meta (key, value) VALUES ('db_id', $1) ON CONFLICT (key) DO NOTHING", [randomBytes(6).toString('hex')]);
    const { rows } = await pool.query<{ value: string }>("SELECT value FROM meta WHERE key = 'db_id'");
    const dbId = rows[0]?.value ?? 'unknown';
    let broadcaster: Broadcaster = NO_BROADCAST;
    const revoked: Array<(hash: string) => void> = [];
    let fanout: Fanout | undefined;
    // This replica delivers its own changes before the write is answered, as the SQLite store does.
    const changes = createPgChanges(pool, dbId, now, () => fanout?.catchUp() ?? Promise.resolve());
    fanout = await startFanout({
      pool, clientConfig, onError,
      broadcaster: () => broadcaster,
      onRevoked: (hash) => { for (const handler of revoked) handler(hash); },
    });
    const categories = createPgCategoryRepo(pool, changes, now);
    const started = fanout;
    let closing: Promise<void> | undefined;
    return {
      kind: 'postgres',
      pool,
      changes,
      fanout: started,
      categories,
      skills: createPgSkillRepo(pool, changes, categories, now),
      ratings: createPgRatingRepo(pool, changes, now),
      tokens: createPgTokenRepo(pool, changes, now),
      listSkills: createPgSkillLister(pool),
      setBroadcaster(next) {
        broadcaster = next;
      },
      onTokenRevoked(handler) {
        revoked.push(handler);
      },
      async healthy() {
        try {
          await pool.query('SELECT 1');
          return true;
        } catch {
          return false;
        }
      },
      close: () => (closing ??= started.close().then(() => pool.end())),
    };
  } catch (err) {
    await pool.end().catch(() => undefined);
    throw err;
  }
}
