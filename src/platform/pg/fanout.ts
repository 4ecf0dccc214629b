// Fan-out across replicas: every replica LISTENs for the seq of each committed change and then
// reads the durable change log from the last seq it delivered, in seq order, so each of its
// sockets gets every change exactly once, after commit. A missed notification (the listening
// connection dropped, the replica restarted) costs nothing: the next read starts from the log.

import pg from 'pg';
import type { Broadcaster } from '../db/seq.ts';
import type { PushMessage } from '../push/types.ts';
import { CHANGES_CHANNEL, REVOCATIONS_CHANNEL } from './changes.ts';

const READ_BATCH = 1000;
const RECONNECT_MIN_MS = 200;
const RECONNECT_MAX_MS = 5_000;
/**
 * The log keeps the last this many changes: far more than a replica falls behind while it
 * restarts. Older entries are never read (clients older than that catch up over HTTP anyway).
 */
export const CHANGE_LOG_KEEP = 100_000;
const PRUNE_EVERY_MS = 5 * 60_000;

export interface FanoutOptions {
  pool: pg.Pool;
  clientConfig: pg.ClientConfig;
  broadcaster: () => Broadcaster;
  onRevoked: (tokenHash: string) => void;
  onError: (err: unknown, what: string) => void;
}

export interface Fanout {
  /** Delivers every committed change after the last delivered one; resolves when done. */
  catchUp(): Promise<void>;
  lastDelivered(): number;
  close(): Promise<void>;
}

/** LISTENs, then starts delivering from the seq committed at that moment (older changes are history). */
export async function startFanout(options: FanoutOptions): Promise<Fanout> {
  let last = 0;
  // Notifications that arrive before the starting seq is known are history: ignore them.
  let started = false;
  let closed = false;
  let listener: pg.Client | undefined;
  let reconnectDelay = RECONNECT_MIN_MS;
  let reconnectTimer: NodeJS.Timeout | undefined;
  // One read at a time, in order; a request made while a read runs queues exactly one more.
  let running: Promise<void> = Promise.resolve();
  let queued: Promise<void> | undefined;

  const deliver = async (): Promise<void> => {
    for (;;) {
      const { rows } = await options.pool.query<{ seq: number; message: string }>(
        'SELECT seq, message FROM change_log WHERE seq > $1 ORDER BY seq LIMIT $2', [last, READ_BATCH]);
      const target = options.broadcaster();
      for (const row of rows) {
        last = row.seq;
        try {
          target.broadcast(JSON.parse(row.message) as PushMessage);
        } catch (err) {
          options.onError(err, 'push broadcast failed');
        }
      }
      if (rows.length < READ_BATCH) return;
    }
  };

  const catchUp = (): Promise<void> => {
    if (closed || !started) return Promise.resolve();
    if (queued) return queued;
    const next = running.then(() => {
      queued = undefined;
      return deliver();
    }).catch((err) => options.onError(err, 'reading the change log failed'));
    queued = next;
    running = next;
    return next;
  };

  const connect = async (): Promise<void> => {
    const client = new pg.Client(options.clientConfig);
    client.on('notification', (n) => {
      if (n.channel === CHANGES_CHANNEL) void catchUp();
      else if (n.channel === REVOCATIONS_CHANNEL && n.payload) options.onRevoked(n.payload);
    });
    client.on('error', (err) => options.onError(err, 'the LISTEN connection failed'));
    client.on('end', () => {
      if (listener === client) listener = undefined;
      scheduleReconnect();
    });
    await client.connect();
    await client.query(`LISTEN ${CHANGES_CHANNEL}`);
    await client.query(`LISTEN ${REVOCATIONS_CHANNEL}`);
    listener = client;
    reconnectDelay = RECONNECT_MIN_MS;
  };

  const scheduleReconnect = (): void => {
    if (closed || reconnectTimer) return;
    reconnectTimer = setTimeout(() => {
      reconnectTimer = undefined;
      connect()
        // Whatever committed while nobody listened is in the log.
        .then(() => catchUp())
        .catch((err) => {
          options.onError(err, 'reconnecting the LISTEN connection failed');
          reconnectDelay = Math.min(RECONNECT_MAX_MS, reconnectDelay * 2);
          scheduleReconnect();
        });
    }, reconnectDelay);
    reconnectTimer.unref();
  };

  await connect();
  // Every replica prunes; the statement is idempotent and cheap on the primary key.
  const prune = setInterval(() => {
    options.pool.query('DELETE FROM change_log WHERE seq <= (SELECT max(seq) FROM change_log) - $1', [CHANGE_LOG_KEEP])
      .catch((err: unknown) => options.onError(err, 'pruning the change log failed'));
  }, PRUNE_EVERY_MS);
  prune.unref();
  const { rows } = await options.pool.query<{ value: number }>('SELECT value FROM seq_counter');
  last = rows[0]?.value ?? 0;
  started = true;

  return {
    catchUp,
    lastDelivered: () => last,
    async close() {
      closed = true;
      clearInterval(prune);
      if (reconnectTimer) clearTimeout(reconnectTimer);
      const client = listener;
      listener = undefined;
      await running.catch(() => undefined);
      if (client) await client.end().catch(() => undefined);
    },
  };
}
