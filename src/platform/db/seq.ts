import type { Db } from './open.ts';
import type { PushMessage, PushType } from '../push/types.ts';

/** Where committed changes go: the push hub, or a no-op until one is attached. */
export interface Broadcaster {
  broadcast(msg: PushMessage): void;
}

export const NO_BROADCAST: Broadcaster = { broadcast: () => undefined };

/** Records one change inside a mutation: allocates its seq now, broadcasts it after commit. */
export type Emit = (type: PushType, data: Record<string, unknown>, timestamp: string) => void;

export interface Changes {
  /** The last allocated seq (the high-water mark a query ran at). */
  current(): number;
  /** Identifies this database file; part of every ETag. */
  dbId(): string;
  /**
   * Runs `fn` in one immediate write transaction. Every `emit` allocates the next seq inside that
   * transaction, so a seq exists only if its change committed; messages go out after the commit,
   * in seq order, so a client never sees a change it could not read back.
   */
  mutate<T>(fn: (emit: Emit) => T): T;
  /** Allocates a seq with no message (bulk imports): clients see a gap and catch up over HTTP. */
  bump(): number;
}

export function createChanges(db: Db, broadcaster: () => Broadcaster, onBroadcastError: (err: unknown) => void): Changes {
  const next = db.prepare<[], number>("UPDATE meta SET value = value + 1 WHERE key = 'seq' RETURNING value").pluck();
  const current = db.prepare<[], number>("SELECT value FROM meta WHERE key = 'seq'").pluck();
  const dbId = db.prepare<[], string>("SELECT value FROM meta WHERE key = 'db_id'").pluck();
  const id = dbId.get() ?? 'unknown';
  return {
    current: () => current.get() ?? 0,
    dbId: () => id,
    bump: () => db.transaction(() => next.get() ?? 0).immediate(),
    mutate<T>(fn: (emit: Emit) => T): T {
      const pending: PushMessage[] = [];
      const emit: Emit = (type, data, timestamp) => {
        const seq = next.get();
        if (seq === undefined) throw new Error('meta.seq row is missing');
        pending.push({ type, data, timestamp, seq });
      };
      const result = db.transaction(() => fn(emit)).immediate();
      const target = broadcaster();
      for (const msg of pending) {
        // The change is committed: a failing push must not turn it into an error response.
        try {
          target.broadcast(msg);
        } catch (err) {
          onBroadcastError(err);
        }
      }
      return result;
    },
  };
}
