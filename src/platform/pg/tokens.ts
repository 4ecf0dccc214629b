import { randomUUID } from 'node:crypto';
import { hashToken, type IssuedToken, type RevokedToken } from '../db/tokens.ts';
import { iso } from '../db/rows.ts';
import { REVOCATIONS_CHANNEL, type PgChanges } from './changes.ts';
import { first, type Queryable } from './query.ts';

export interface PgTokenRepo {
  lookup(token: string): Promise<{ instanceId: string } | undefined>;
  issue(instanceId: string, description: string): Promise<IssuedToken>;
  register(token: string, instanceId: string, description: string): Promise<void>;
  /** Revokes and, at commit, tells every replica (NOTIFY with the hash) to close its sockets. */
  revoke(token: string): Promise<RevokedToken | undefined>;
}

export function createPgTokenRepo(db: Queryable, changes: PgChanges, now: () => number): PgTokenRepo {
  return {
    async lookup(token) {
      const row = await first<{ instance_id: string }>(db,
        'SELECT instance_id FROM tokens WHERE token_hash = $1 AND revoked_at IS NULL', [hashToken(token)]);
      return row ? { instanceId: row.instance_id } : undefined;
    },
    async issue(instanceId, description) {
      const token = randomUUID();
      const t = now();
      await db.query('INSERT INTO tokens (token_hash, instance_id, description, created_at) VALUES ($1, $2, $3, $4)',
        [hashToken(token), instanceId, description, t]);
      return { token, instance_id: instanceId, created_at: iso(t), expires_at: null };
    },
    async register(token, instanceId, description) {
      await db.query(`INSERT INTO tokens (token_hash, instance_id, description, created_at) VALUES ($1, $2, $3, $4)
        ON CONFLICT (token_hash) DO UPDATE SET revoked_at = NULL, instance_id = excluded.instance_id`,
      [hashToken(token), instanceId, description, now()]);
    },
    revoke: (token) => changes.transaction(async (tx) => {
      const hash = hashToken(token);
      const row = await first<{ instance_id: string; revoked_at: number | null }>(tx,
        'SELECT instance_id, revoked_at FROM tokens WHERE token_hash = $1 FOR UPDATE', [hash]);
      if (!row) return undefined;
      // Every replica closes the token's sockets, including on a repeated revocation.
      await tx.query('SELECT pg_notify($1, $2)', [REVOCATIONS_CHANNEL, hash]);
      if (row.revoked_at !== null) return { instance_id: row.instance_id, revoked_at: iso(row.revoked_at) };
      const t = now();
      await tx.query('UPDATE tokens SET revoked_at = $1 WHERE token_hash = $2', [t, hash]);
      return { instance_id: row.instance_id, revoked_at: iso(t) };
    }),
  };
}
