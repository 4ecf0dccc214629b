import { describe, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { fileURLToPath } from 'node:url';
import { openStore } from '../../../src/store/index.ts';
import { syncWorkerModule, TSX_ENTRY } from '../../../src/runtime/sync-worker/bundle.ts';
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

describe('the sync worker module', () => {
  const tempDir = useTempDir();

  it('is one bundle in node_modules/.cache, reused while the sources do not change', async () => {
    const first = await syncWorkerModule();
    expect(first).not.toEqual(TSX_ENTRY);
    expect(fileURLToPath(first)).toMatch(/node_modules[/\\]\.cache[/\\]atom-saas-sync[/\\]sync-worker-[0-9a-f]{16}\.mjs$/);
    expect(existsSync(first)).toBe(true);
    expect(await syncWorkerModule()).toEqual(first);
  });

  it.each([['the bundle', syncWorkerModule], ['the tsx fallback', async () => TSX_ENTRY]])('runs the sync runner from %s', async (_, module) => {
    const answer = await failedRun(await module(), tempDir());
    expect(answer).toMatchObject({ type: 'failed', id: 7, failure: { kind: 'transient', status: null } });
  });
});
