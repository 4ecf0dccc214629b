import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { openStore } from '../../../src/store/index.ts';
import { NATIVE_ENTRY, nativeTypeScript, syncWorkerModule, TSX_ENTRY } from '../../../src/runtime/sync-worker/module.ts';
import type { FromWorker } from '../../../src/runtime/sync-worker/protocol.ts';
import type { BudgetRequest } from '../../../src/runtime/sync-worker/budget-port.ts';
import { useTempDir } from '../../support/temp-dir.ts';

/** Runs one sync in a worker loaded from `module` against a port nothing listens on: the failure comes back. */
async function failedRun(module: URL, dir: string): Promise<FromWorker> {
  const store = openStore(join(dir, 'agent.db'));
  const worker = new Worker(module, { workerData: { dbPath: store.path, baseUrl: 'http://127.0.0.1:9', token: 'token-0123456789abcdef', timeoutMs: 2000, pageSize: 10 } });
  try {
    const answer = new Promise<FromWorker>((resolve, reject) => {
      worker.on('message', (m: FromWorker | BudgetRequest) => {
        // Every request of the worker's client asks this thread's budget first: grant at once.
        if (m.type === 'acquire') worker.postMessage({ type: 'permit', request: m.request });
        if (m.type === 'failed') resolve(m);
      });
      worker.on('error', reject);
    });
    worker.postMessage({ type: 'run', id: 7, kind: 'full', strategy: 'remote_wins' });
    return await answer;
  } finally {
    await worker.terminate();
    store.close();
  }
}

const native = nativeTypeScript;

describe('the sync worker module', () => {
  const tempDir = useTempDir();

  it('is serve.ts itself where Node strips types, entry.mjs (tsx) elsewhere', () => {
    expect(syncWorkerModule(true)).toEqual(NATIVE_ENTRY);
    expect(syncWorkerModule(false)).toEqual(TSX_ENTRY);
    expect(syncWorkerModule()).toEqual(native ? NATIVE_ENTRY : TSX_ENTRY);
  });

  it('runs the sync runner through tsx', async () => {
    const answer = await failedRun(TSX_ENTRY, tempDir());
    expect(answer).toMatchObject({ type: 'failed', id: 7, failure: { kind: 'transient', status: null } });
  });

  it.runIf(native)('runs the sync runner from serve.ts with no loader', async () => {
    const answer = await failedRun(NATIVE_ENTRY, tempDir());
    expect(answer).toMatchObject({ type: 'failed', id: 7, failure: { kind: 'transient', status: null } });
  });
});
