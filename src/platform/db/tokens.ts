import { createHash, randomUUID } from 'node:crypto';
import type { Db } from './open.ts';
import { iso } from './rows.ts';

/** Only the sha256 of a token is stored: a copy of the database does not hand out access. */
export function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

export interface IssuedToken {
  token: string;
  instance_id: string;
  created_at: string;
  expires_at: null;
}

export interface RevokedToken {
  instance_id: string;
  revoked_at: string;
}

export interface TokenRepo {
  /** The instance a token belongs to, or undefined when it is unknown or revoked. */
  lookup(token: string): { instanceId: string } | undefined;
  issue(instanceId: string, description: string): IssuedToken;
  /** Registers a caller-chosen token; idempotent, and re-activates it if it was revoked. */
  register(token: string, instanceId: string, description: string): void;
  revoke(token: string): RevokedToken | undefined;
}

export function createTokenRepo(db: Db, now: () => number): TokenRepo {
  const lookup = db.prepare<[string], { instance_id: string }>(
    'SELECT instance_id FROM tokens WHERE token_hash = ? AND revoked_at IS NULL',
  );
  const insert = db.prepare(
    'INSERT INTO tokens (token_hash, instance_id, description, created_at) VALUES (?, ?, ?, ?)',
  );
  const upsert = db.prepare(
    `INSERT INTO tokens (token_hash, instance_id, description, created_at) VALUES (?, ?, ?, ?)
     ON CONFLICT (token_hash) DO UPDATE SET revoked_at = NULL, instance_id = excluded.instance_id`,
  );
  const find = db.prepare<[string], { instance_id: string; revoked_at: number | null }>(
    'SELECT instance_id, revoked_at FROM tokens WHERE token_hash = ?',
  );
  const revoke = db.prepare('UPDATE tokens SET revoked_at = ? WHERE token_hash = ? AND revoked_at IS NULL');

  return {
    lookup(token) {
      const row = lookup.get(hashToken(token));
      return row ? { instanceId: row.instance_id } : undefined;
    },
    issue(instanceId, description) {
      const token = randomUUID();
      const t = now();
      insert.run(hashToken(token), instanceId, description, t);
      return { token, instance_id: instanceId, created_at: iso(t), expires_at: null };
    },
    register(token, instanceId, description) {
      upsert.run(hashToken(token), instanceId, description, now());
    },
    revoke(token) {
      const hash = hashToken(token);
      return db.transaction(() => {
        const row = find.get(hash);
        if (!row) return undefined;
        // Revoking twice is not an error: the first revocation time stands.
        if (row.revoked_at === null) {
          const t = now();
          revoke.run(t, hash);
          return { instance_id: row.instance_id, revoked_at: iso(t) };
        }
        return { instance_id: row.instance_id, revoked_at: iso(row.revoked_at) };
      })();
    },
  };
}
