import { Worker } from 'node:worker_threads';
import type { SyncKind, SyncRunResult } from '../../../machines/syncCycle.ts';
import type { ConflictStrategy } from '../../conflicts/index.ts';
import type { SyncProgress } from '../sync-run.ts';
import type { FromWorker, SyncWorkerData, ToWorker } from './protocol.ts';
import { syncWorkerModule } from './module.ts';
import { serveBudget } from './budget-port.ts';
import type { BudgetGate } from '../../marketplace/http/request-budget.ts';

// The agent's side of the sync worker: the `runSync` effect of the syncCycle chart, answered by a
// worker thread (serve.ts) instead of this event loop. A full sync of 100,000 skills kept this loop
// busy most of its 10 s, so admin requests waited behind page writes and response parsing.

export interface WorkerSyncRunnerOptions extends SyncWorkerData {
  strategy: () => ConflictStrategy;
  onProgress?: (progress: SyncProgress) => void;
  onRejected?: (reasons: string[]) => void;
  /** The agent's request budget: the worker's requests draw their permits from it. */
  budget: BudgetGate;
}

export interface WorkerSyncRunner {
  /** One sync run in the worker; rejects with a Failure value (kind, message, status) as the chart expects. */
  run(kind: SyncKind): Promise<SyncRunResult>;
  /** Ends the worker; a run in progress is abandoned like a killed process (its checkpoint resumes it). */
  close(): Promise<void>;
}

interface Pending {
  resolve(result: SyncRunResult): void;
  reject(failure: unknown): void;
}

export function createWorkerSyncRunner(options: WorkerSyncRunnerOptions): WorkerSyncRunner {
  const { strategy, onProgress, onRejected, budget, ...data } = options;
  const pending = new Map<number, Pending>();
  let nextId = 1;
  let worker: Promise<Worker> | undefined;
  let closed = false;

  const failAll = (reason: string) => {
    for (const [id, run] of pending) {
      pending.delete(id);
      run.reject({ kind: 'transient', message: reason, status: null });
    }
  };

  async function startWorker(): Promise<Worker> {
    const started = new Worker(syncWorkerModule(), { workerData: data satisfies SyncWorkerData });
    // Idle, the worker must not keep the process alive; running, it must (a pending promise does not).
    started.unref();
    const permits = serveBudget(started, budget);
    started.on('message', (message: FromWorker) => {
      if (permits.onMessage(message)) return;
      const run = pending.get(message.id);
      if (message.type === 'progress') onProgress?.(message.progress);
      else if (message.type === 'rejected') onRejected?.(message.reasons);
      else if (run) {
        pending.delete(message.id);
        if (pending.size === 0) started.unref();
        if (message.type === 'done') run.resolve(message.result);
        else run.reject(message.failure);
      }
    });
    // A crashed worker fails its run (the chart retries: a fresh worker starts on the next run).
    started.on('error', (error) => failAll(`sync worker failed: ${error.message}`));
    started.on('exit', (code) => {
      worker = undefined;
      failAll(closed ? 'the agent stopped' : `sync worker exited with code ${code}`);
    });
    return started;
  }
  // Started with the runner, so loading it overlaps the agent's boot instead of delaying the first sync.
  const ensureWorker = () => (worker ??= startWorker());
  ensureWorker().catch(() => {});

  return {
    run(kind) {
      if (closed) return Promise.reject({ kind: 'transient', message: 'the sync worker is closed', status: null });
      const id = nextId++;
      return new Promise<SyncRunResult>((resolve, reject) => {
        pending.set(id, { resolve, reject });
        ensureWorker().then(
          (started) => {
            started.ref();
            started.postMessage({ type: 'run', id, kind, strategy: strategy() } satisfies ToWorker);
          },
          (error: Error) => failAll(`sync worker did not start: ${error.message}`),
        );
      });
    },
    async close() {
      closed = true;
      const running = worker;
      worker = undefined;
      if (running) await (await running.catch(() => undefined))?.terminate();
      failAll('the agent stopped');
    },
  };
}
