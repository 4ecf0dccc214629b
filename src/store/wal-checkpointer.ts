import { Worker } from 'node:worker_threads';
import type { Database } from 'better-sqlite3';
import type { Logger } from '../logging/logger.ts';

// SQLite checkpoints the WAL automatically inside the commit that crosses 1,000 pages: during a full
// sync that commit held the agent's event loop for 60–150 ms (the copy plus an fsync), and every
// admin request waiting behind it. The agent turns automatic checkpoints off on its connection and
// runs PASSIVE checkpoints from a worker thread with its own connection instead.

/** SQLite's default, restored when the worker cannot run. */
const SQLITE_AUTOCHECKPOINT_PAGES = 1000;
/** After a checkpoint resets the WAL, its file is truncated back to this size. */
const WAL_SIZE_LIMIT_BYTES = 64 * 1024 * 1024;

export interface WalCheckpointStats {
  /** Checkpoints that copied at least one frame. */
  checkpoints: number;
  framesCheckpointed: number;
  /** False once the worker failed and SQLite's own checkpoints took over again. */
  background: boolean;
}

export interface WalCheckpointer {
  readonly stats: WalCheckpointStats;
  /** Resolves once the worker has run a last checkpoint and closed its connection. */
  stop(): Promise<void>;
}

export interface WalCheckpointerOptions {
  intervalMs?: number;
  logger?: Logger;
}

/** Moves WAL checkpoints of the database at `path` (opened as `db` here) onto a worker thread. */
export function startWalCheckpointer(db: Database, path: string, options: WalCheckpointerOptions = {}): WalCheckpointer {
  const stats: WalCheckpointStats = { checkpoints: 0, framesCheckpointed: 0, background: false };
  if (path === ':memory:' || db.memory) return { stats, stop: async () => {} };

  const worker = new Worker(new URL('./wal-checkpoint-worker.js', import.meta.url), {
    workerData: { path, intervalMs: options.intervalMs ?? 250 },
  });
  // The agent stops it; a forgotten checkpointer must not keep the process alive.
  worker.unref();
  db.pragma(`journal_size_limit = ${WAL_SIZE_LIMIT_BYTES}`);
  db.pragma('wal_autocheckpoint = 0');
  stats.background = true;

  let stopping = false;
  const fallBack = (reason: unknown) => {
    if (!stats.background) return;
    stats.background = false;
    if (db.open) db.pragma(`wal_autocheckpoint = ${SQLITE_AUTOCHECKPOINT_PAGES}`);
    options.logger?.warn({ err: reason }, 'WAL checkpoint worker stopped; SQLite checkpoints inside commits again');
  };
  worker.on('message', (message: { type: string; frames?: number }) => {
    if (message.type !== 'checkpointed') return;
    stats.checkpoints += 1;
    stats.framesCheckpointed += message.frames ?? 0;
  });
  worker.on('error', fallBack);
  const exited = new Promise<void>((resolve) => {
    worker.once('exit', (code) => {
      if (!stopping) fallBack(new Error(`worker exited with code ${code}`));
      resolve();
    });
  });

  return {
    stats,
    stop() {
      if (!stopping) {
        stopping = true;
        // Unref'd, the worker's exit would not keep an otherwise idle process alive long enough to wait for it.
        worker.ref();
        worker.postMessage('stop');
      }
      return exited;
    },
  };
}
