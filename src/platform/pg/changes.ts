import type pg from 'pg';
import type { PushMessage, PushType } from '../push/types.ts';

/** NOTIFY channels: the payload is only a seq or a token hash, never a change or a token. */
export const CHANGES_CHANNEL = 'atom_platform_changes';
export const REVOCATIONS_CHANNEL = 'atom_platform_revocations';

/** Records one change inside a mutation: allocates its seq and writes it to the change log. */
export type PgEmit = (type: PushType, data: Record<string, unknown>, timestamp: string) => Promise<void>;

export type Tx = pg.PoolClient;

export interface PgChanges {
  current(): Promise<number>;
  dbId(): string;
  /**
   * Runs `fn` in one transaction that first takes the seq counter's row lock: writers queue there,
   * so seqs are allocated and committed in the same order on every replica. Each `emit` takes the
   * next seq and appends the message to the change log; the NOTIFY that wakes every replica's
   * fan-out is delivered by PostgreSQL at commit, and only if it commits. `afterCommit` runs once
   * the transaction committed (this replica delivers its own changes before answering).
   */
  mutate<T>(fn: (tx: Tx, emit: PgEmit) => Promise<T>): Promise<T>;
  /** A transaction with no seq (token administration). */
  transaction<T>(fn: (tx: Tx) => Promise<T>): Promise<T>;
  /** Allocates a seq with no message (bulk imports): clients see a gap and catch up over HTTP. */
  bump(): Promise<number>;
}

export function createPgChanges(pool: pg.Pool, dbId: string, now: () => number, afterCommit: () => Promise<void>): PgChanges {
  const transaction = async <T>(fn: (tx: Tx) => Promise<T>): Promise<T> => {
    const tx = await pool.connect();
    try {
      await tx.query('BEGIN');
      const result = await fn(tx);
      await tx.query('COMMIT');
      return result;
    } catch (err) {
      await tx.query('ROLLBACK').catch(() => undefined);
      throw err;
    } finally {
      tx.release();
    }
  };
  return {
    async current() {
      const { rows } = await pool.query<{ value: number }>('SELECT value FROM seq_counter');
      return rows[0]?.value ?? 0;
    },
    dbId: () => dbId,
    transaction,
    bump: () => transaction(async (tx) => {
      const { rows } = await tx.query<{ value: number }>('UPDATE seq_counter SET value = value + 1 RETURNING value');
      return rows[0]?.value ?? 0;
    }),
    async mutate(fn) {
      let emitted = 0;
      const result = await transaction(async (tx) => {
        await tx.query('SELECT value FROM seq_counter FOR UPDATE');
        const emit: PgEmit = async (type, data, timestamp) => {
          const { rows } = await tx.query<{ value: number }>('UPDATE seq_counter SET value = value + 1 RETURNING value');
          const seq = rows[0]?.value;
          if (seq === undefined) throw new Error('seq_counter row is missing');
          const message: PushMessage = { type, data, timestamp, seq };
          await tx.query('INSERT INTO change_log (seq, message, created_at) VALUES ($1, $2, $3)', [seq, JSON.stringify(message), now()]);
          await tx.query('SELECT pg_notify($1, $2)', [CHANGES_CHANNEL, String(seq)]);
          emitted += 1;
        };
        return fn(tx, emit);
      });
      if (emitted > 0) await afterCommit();
      return result;
    },
  };
}
