import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { Agent, type Dispatcher } from 'undici';
import { openStore, type Store } from '../../src/store/index.ts';
import { createPlatformClient } from '../../src/marketplace/http/client.ts';
import { createSyncRunner, type SyncProgress } from '../../src/runtime/sync-run.ts';
import { systemClock } from '../../src/runtime/clock.ts';
import type { RunningPlatform } from '../../src/platform/server.ts';
import { adminCall, INSTANCE_TOKEN, platformCatalog, startSeededPlatform } from '../support/platform.ts';
import { useTempDir } from '../support/temp-dir.ts';
import { useCleanups } from '../support/cleanups.ts';

/** The cache as id → (version, updated_at), to compare with the platform's catalog. */
function cacheCatalog(store: Store): Map<string, { version: string; updated_at: string }> {
  const rows = store.db.prepare('SELECT skill_id, version, updated_at FROM skill_cache').all() as { skill_id: string; version: string; updated_at: number }[];
  return new Map(rows.map((r) => [r.skill_id, { version: r.version, updated_at: new Date(r.updated_at).toISOString() }]));
}

/** A real undici agent whose `failAt`-th request fails with a connection reset: a fault on the real HTTP path. */
function failingAgent(failAt: number): { dispatcher: Dispatcher; requests: () => number } {
  let count = 0;
  const agent = new Agent().compose((dispatch) => (options, handler) => {
    count += 1;
    if (count === failAt) {
      const error = Object.assign(new Error('socket hang up (injected)'), { code: 'ECONNRESET' });
      (handler as Dispatcher.DispatchHandler).onResponseError?.(null as never, error);
      return true;
    }
    return dispatch(options, handler);
  });
  return { dispatcher: agent, requests: () => count };
}

describe('sync runs against the reference platform', () => {
  const tempDir = useTempDir();
  const cleanups = useCleanups();

  async function setup(skills: number, options: { dispatcher?: Dispatcher; pageSize?: number } = {}) {
    const dir = tempDir();
    const platform: RunningPlatform = await startSeededPlatform(dir, skills);
    cleanups.push(() => platform.close());
    const store = openStore(join(dir, 'agent.db'));
    cleanups.push(() => store.close());
    const client = createPlatformClient({ baseUrl: platform.url, token: INSTANCE_TOKEN, timeoutMs: 10_000, ...(options.dispatcher ? { dispatcher: options.dispatcher } : {}) });
    cleanups.push(() => client.close());
    const progress: SyncProgress[] = [];
    const runner = createSyncRunner({ store, client, clock: systemClock, pageSize: options.pageSize ?? 50, strategy: () => 'remote_wins', onProgress: (p) => progress.push(p) });
    return { dir, platform, store, client, runner, progress };
  }

  it('a full sync leaves the cache equal to the platform catalog, categories included', async () => {
    const { platform, store, runner, progress } = await setup(230);
    const result = await runner.run('full');
    expect(result).toMatchObject({ kind: 'full', skills: 230, pages: 5 });
    expect(cacheCatalog(store)).toEqual(platformCatalog(platform));
    expect(store.categories.count()).toBeGreaterThanOrEqual(20);
    expect(progress.map((p) => p.pagesDone)).toEqual([1, 2, 3, 4, 5]);
    expect(store.syncState.get()).toMatchObject({ status: 'idle', successfulSyncs: 1, cursor: null, lastFullSyncAt: expect.any(Number) });
  });

  it('an incremental catch-up brings publish, update and delete, and nothing else', async () => {
    const { platform, store, runner } = await setup(120);
    await runner.run('full');
    const published = await adminCall(platform, 'POST', '/api/v1/skills', {
      name: 'Fresh Skill', description: 'new', version: '1.0.0', code: 'x', command: 'python', category: 'automation',
      python_packages: [], npm_packages: [], tags: ['new'], metadata: {},
    });
    expect(published.status).toBe(201);
    const [victim, changed] = [...platformCatalog(platform).keys()].filter((id) => id !== published.json.skill_id);
    expect((await adminCall(platform, 'PUT', `/api/v1/skills/${changed}`, { description: 'updated upstream' })).status).toBe(200);
    expect((await adminCall(platform, 'DELETE', `/api/v1/skills/${victim}`)).status).toBeLessThan(300);

    const result = await runner.run('incremental');
    expect(result.kind).toBe('incremental');
    expect(result.skills).toBeLessThanOrEqual(3); // the two changes, plus rows at the high-water instant
    expect(result.deleted).toBe(1);
    expect(cacheCatalog(store)).toEqual(platformCatalog(platform));
    expect(store.skills.get(changed!)?.remote.description).toBe('updated upstream');

    // Nothing changed since: the next run sees only the rows at the high-water instant again, and
    // from then on the high-water mark stands still, so the same listing is answered with a 304.
    const settle = await runner.run('incremental');
    expect(settle.pages).toBe(1);
    expect(settle.skills).toBeLessThanOrEqual(1);
    expect(await runner.run('incremental')).toMatchObject({ skills: 0, pages: 0 });
    expect(cacheCatalog(store)).toEqual(platformCatalog(platform));
  });

  it('a full sync removes skills the platform no longer has', async () => {
    const { platform, store, runner } = await setup(60);
    await runner.run('full');
    const gone = [...platformCatalog(platform).keys()][7]!;
    await adminCall(platform, 'DELETE', `/api/v1/skills/${gone}`);
    const result = await runner.run('full');
    expect(result.deleted).toBe(1);
    expect(store.skills.get(gone)).toBeUndefined();
    expect(cacheCatalog(store)).toEqual(platformCatalog(platform));
  });

  it('a sync interrupted mid-way resumes from its checkpoint instead of starting over', async () => {
    // Request 1 is categories, 2.. are pages: the 5th request (page 4) fails.
    const fault = failingAgent(5);
    const { platform, store, client, runner } = await setup(300, { dispatcher: fault.dispatcher });
    await expect(runner.run('full')).rejects.toMatchObject({ kind: 'transient' });
    const checkpoint = store.syncState.get();
    expect(checkpoint).toMatchObject({ status: 'syncing', syncKind: 'full', pagesDone: 3, skillsDone: 150 });
    expect(checkpoint.cursor).toEqual(expect.any(String));

    const before = fault.requests();
    const result = await runner.run('full');
    // Categories again, then only pages 4..6 (page 5's prefetch rode along with page 4), then the
    // resumed sync's sweep of what changed since it began (nothing: one request).
    expect(fault.requests() - before).toBe(1 + 3 + 1);
    expect(result).toMatchObject({ skills: 300, pages: 6 });
    expect(cacheCatalog(store)).toEqual(platformCatalog(platform));
    expect(store.integrity('full').ok).toBe(true);
    void client;
  });

  // Found by the fc.commands run (seed -1713355932, path 17:29:21): a row a failed attempt listed
  // (and stamped) and the platform deleted before the resume stays cached. The resumed listing does
  // not list it again, reconciliation trusts the earlier stamp, and the resumed pages move the
  // high-water mark past its tombstone, so no catch-up removes it either.
  it('a resumed full sync removes a row an earlier attempt listed and the platform deleted since', async () => {
    const fault = failingAgent(5);
    const { platform, store, runner } = await setup(300, { dispatcher: fault.dispatcher });
    await expect(runner.run('full')).rejects.toMatchObject({ kind: 'transient' });
    const listed = store.db.prepare('SELECT skill_id FROM skill_cache ORDER BY skill_id LIMIT 1').get() as { skill_id: string };
    expect((await adminCall(platform, 'DELETE', `/api/v1/skills/${listed.skill_id}`)).status).toBe(200);
    // An edit after the delete lists that skill last: the resumed pages carry the high-water mark past the tombstone.
    const edited = [...platformCatalog(platform).keys()].find((id) => id !== listed.skill_id)!;
    expect((await adminCall(platform, 'PUT', `/api/v1/skills/${edited}`, { description: 'edited after the delete' })).status).toBe(200);

    const result = await runner.run('full');
    expect(store.skills.get(listed.skill_id)).toBeUndefined();
    expect(result.deleted).toBe(1);
    expect(cacheCatalog(store)).toEqual(platformCatalog(platform));
  });

  it('turns a 401 into an auth failure and an unreachable platform into a transient one', async () => {
    const { platform, store } = await setup(5);
    const badClient = createPlatformClient({ baseUrl: platform.url, token: 'not-a-token-at-all', timeoutMs: 5000 });
    cleanups.push(() => badClient.close());
    const runner = createSyncRunner({ store, client: badClient, clock: systemClock, pageSize: 50, strategy: () => 'remote_wins' });
    await expect(runner.run('full')).rejects.toMatchObject({ kind: 'auth', status: 401 });
    const message = await runner.run('full').catch((e: Error) => e.message);
    expect(message).not.toContain('not-a-token-at-all');

    const url = platform.url;
    await platform.close();
    const offline = createPlatformClient({ baseUrl: url, token: INSTANCE_TOKEN, timeoutMs: 5000 });
    cleanups.push(() => offline.close());
    const offlineRunner = createSyncRunner({ store, client: offline, clock: systemClock, pageSize: 50, strategy: () => 'remote_wins' });
    await expect(offlineRunner.run('full')).rejects.toMatchObject({ kind: 'transient', status: null });
  });
});
