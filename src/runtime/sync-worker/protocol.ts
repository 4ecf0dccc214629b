import type { SyncKind, SyncRunResult } from '../../../machines/syncCycle.ts';
import type { ConflictStrategy } from '../../conflicts/index.ts';
import type { Failure } from '../../../machines/failure.ts';
import type { SyncProgress } from '../sync-run.ts';

// Messages between the agent and its sync worker (worker_threads structured clone: plain data only).

/** What the worker needs to build its own store connection and platform client. */
export interface SyncWorkerData {
  dbPath: string;
  baseUrl: string;
  token: string;
  timeoutMs: number;
  pageSize: number;
}

export type ToWorker = { type: 'run'; id: number; kind: SyncKind; strategy: ConflictStrategy };

export type FromWorker =
  | { type: 'progress'; id: number; progress: SyncProgress }
  | { type: 'rejected'; id: number; reasons: string[] }
  | { type: 'done'; id: number; result: SyncRunResult }
  /** `failure` keeps the kind the syncCycle chart's guards match (auth, rateLimited, transient, invalid). */
  | { type: 'failed'; id: number; failure: Failure };
