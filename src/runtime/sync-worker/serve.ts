import { parentPort, workerData } from 'node:worker_threads';
import { failureOf } from '../../../machines/failure.ts';
import { createPlatformClient } from '../../marketplace/http/client.ts';
import { openStore } from '../../store/index.ts';
import type { ConflictStrategy } from '../../conflicts/index.ts';
import { systemClock } from '../clock.ts';
import { createSyncRunner } from '../sync-run.ts';
import type { FromWorker, SyncWorkerData, ToWorker } from './protocol.ts';
import { lowerThisThreadPriority } from './thread-priority.ts';
import { budgetOverPort } from './budget-port.ts';

// The sync worker: the same sync runner as the main thread's, with its own connection to the agent
// database and its own platform client. Fetching, parsing, validating and writing 100,000 skills
// happen here, so the agent's event loop (its HTTP shell, its WebSocket, its actors) only sees one
// progress message per page, and its thread runs at a lower CPU priority than the event loop's.
// Runs are serialised by the syncCycle chart: one at a time.

lowerThisThreadPriority();
const data = workerData as SyncWorkerData;
const port = parentPort!;
const store = openStore(data.dbPath);
// Permits come from the agent's one request budget over the port (budget-port.ts).
const client = createPlatformClient({ baseUrl: data.baseUrl, token: data.token, timeoutMs: data.timeoutMs, budget: budgetOverPort(port) });
let strategy: ConflictStrategy = 'remote_wins';
let runId = 0;
const post = (message: FromWorker) => port.postMessage(message);
const runner = createSyncRunner({
  store, client, clock: systemClock, pageSize: data.pageSize,
  strategy: () => strategy,
  onProgress: (progress) => post({ type: 'progress', id: runId, progress }),
  onRejected: (reasons) => post({ type: 'rejected', id: runId, reasons }),
  // Written here, as the main-thread runner would: everything up to this push seq is in the cache.
  onHighWaterSeq: (seq) => store.syncState.advanceSeq(seq),
});

port.on('message', async (message: ToWorker | { type: 'permit' }) => {
  if (message.type !== 'run') return;
  runId = message.id;
  strategy = message.strategy;
  try {
    const result = await runner.run(message.kind);
    post({ type: 'done', id: message.id, result });
  } catch (error) {
    const { kind, message: text, status, retryAfterMs } = failureOf(error);
    post({ type: 'failed', id: message.id, failure: { kind, message: text, status, retryAfterMs } });
  }
});
