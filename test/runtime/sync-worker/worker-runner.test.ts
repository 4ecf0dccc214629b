import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { openStore, type Store } from '../../../src/store/index.ts';
import { createWorkerSyncRunner } from '../../../src/runtime/sync-worker/worker-runner.ts';
import { createAgent } from '../../../src/runtime/create-agent.ts';
import { createRequestBudget } from '../../../src/marketplace/http/request-budget.ts';
import { systemClock } from '../../../src/runtime/clock.ts';
import type { SyncProgress } from '../../../src/runtime/sync-run.ts';
import { INSTANCE_TOKEN, platformCatalog, startSeededPlatform } from '../../support/platform.ts';
import { agentConfig } from '../../support/config.ts';
import { useTempDir } from '../../support/temp-dir.ts';
import { useCleanups } from '../../support/cleanups.ts';

const cacheIds = (store: Store) => new Set((store.db.prepare('SELECT skill_id FROM skill_cache').all() as { skill_id: string }[]).map((r) => r.skill_id));

describe('sync runs on a worker thread', () => {
  const tempDir = useTempDir();
  const cleanups = useCleanups();

  async function setup(skills: number, token = INSTANCE_TOKEN) {
    const dir = tempDir();
    const platform = await startSeededPlatform(dir, skills, { push: true });
    cleanups.push(() => platform.close());
    // The agent's connection migrates the database before the worker opens its own.
    const store = openStore(join(dir, 'agent.db'));
    cleanups.push(() => store.close());
    const progress: SyncProgress[] = [];
    const rejected: string[][] = [];
    const budget = createRequestBudget({ clock: systemClock });
    const runner = createWorkerSyncRunner({
      dbPath: store.path, baseUrl: platform.url, token, timeoutMs: 10_000, pageSize: 40, budget,
      strategy: () => 'remote_wins', onProgress: (p) => progress.push(p), onRejected: (r) => rejected.push(r),
    });
    cleanups.push(() => runner.close());
    return { platform, store, runner, progress, rejected, budget };
  }

  it('write the platform catalog into the agent database, reporting each page to this thread', async () => {
    const { platform, store, runner, progress, budget } = await setup(300);
    const result = await runner.run('full');
    expect(result).toMatchObject({ kind: 'full', skills: 300, pages: 8 });
    // Every request of the worker's client took its permit from this thread's budget: categories + 8 pages.
    expect(budget.status().requests.sync).toEqual({ ok: 9, throttled: 0, failed: 0 });
    expect(budget.status()).toMatchObject({ inFlight: 0, limit: 1_000_000 });
    expect(cacheIds(store)).toEqual(new Set(platformCatalog(platform).keys()));
    expect(progress.map((p) => p.pagesDone)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(progress.at(-1)).toMatchObject({ kind: 'full', skillsDone: 300, total: 300, resumed: false });
    // The worker wrote what the main-thread runner writes: the finished sync and the push seq high water.
    const state = store.syncState.get();
    expect(state).toMatchObject({ status: 'idle', successfulSyncs: 1 });
    expect(state.lastFullSyncAt).not.toBeNull();
    expect(state.highWaterSeq).toBeGreaterThanOrEqual(0);
    // A second run reuses the worker: an incremental catch-up (the listing is inclusive of the
    // high-water instant, so the newest row may come again, harmlessly).
    const again = await runner.run('incremental');
    expect(again.kind).toBe('incremental');
    expect(again.skills).toBeLessThan(5);
    expect(store.skills.count()).toBe(300);
  });

  it('reject with the failure the syncCycle chart classifies (a refused token is `auth`, not a crash)', async () => {
    const { runner, store } = await setup(10, 'not-a-registered-token-0123456789');
    await expect(runner.run('full')).rejects.toEqual({ kind: 'auth', status: 401, message: expect.any(String) });
    expect(store.skills.count()).toBe(0);
  });

  it('abandon a run when closed, as a killed process would, and refuse new runs', async () => {
    const { runner } = await setup(2000);
    const running = runner.run('full');
    await runner.close();
    await expect(running).rejects.toMatchObject({ kind: 'transient', message: 'the agent stopped' });
    await expect(runner.run('full')).rejects.toMatchObject({ kind: 'transient' });
  });

  it('serve an agent created with syncThread: worker, while its own connection writes too', async () => {
    const dir = tempDir();
    const platform = await startSeededPlatform(dir, 500, { push: true });
    cleanups.push(() => platform.close());
    const agent = createAgent({
      config: agentConfig(dir, { ATOM_SAAS_API_URL: platform.url, ATOM_SAAS_API_TOKEN: INSTANCE_TOKEN, ATOM_SAAS_SYNC_BATCH_SIZE: '50' }),
      syncThread: 'worker',
    });
    cleanups.push(() => agent.stop());
    await agent.start();
    expect(cacheIds(agent.store)).toEqual(new Set(platformCatalog(platform).keys()));
    expect(agent.actors.syncCycle!.getSnapshot().value).toBe('idle');
    // The main thread journals the transitions and persists snapshots through its own connection
    // while the worker wrote pages: both landed.
    expect(agent.store.journal.recent(10, 'syncCycle').length).toBeGreaterThan(0);
  });
});
