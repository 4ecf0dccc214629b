import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { createActor, SimulatedClock, waitFor } from 'xstate';
import { openStore } from '../../src/store/index.ts';
import { startPlatform } from '../../src/platform/server.ts';
import { seedCatalog } from '../../src/platform/seed/seed.ts';
import { createPlatformClient } from '../../src/marketplace/http/client.ts';
import { createRequestBudget } from '../../src/marketplace/http/request-budget.ts';
import { createRatingUploader } from '../../src/runtime/rating-upload.ts';
import { provideRatingSync } from '../../src/runtime/rating-sync.ts';
import { startFaultProxy, type Fault } from '../support/fault-proxy.ts';
import { eventually } from '../support/eventually.ts';
import { INSTANCE_TOKEN, PLATFORM_ADMIN, platformCatalog } from '../support/platform.ts';
import { useTempDir } from '../support/temp-dir.ts';
import { useCleanups } from '../support/cleanups.ts';

type Plan = (index: number, method: string, path: string) => Fault;

describe('the rating outbox at the platform\'s rate limit', () => {
  const tempDir = useTempDir();
  const cleanups = useCleanups();

  /**
   * The real platform with a budget of `limit` requests a minute, 100 pending ratings, and the rating-sync
   * chart, all on one simulated clock; `plan` lets a fault proxy answer in the platform's place.
   */
  async function outboxAtTheLimit(limit: number, plan: Plan = () => ({ kind: 'pass' })) {
    const dir = tempDir();
    const clock = new SimulatedClock();
    clock.set(Date.parse('2026-06-01T00:00:00Z'));
    const platform = await startPlatform({ db: join(dir, 'platform.db'), adminToken: PLATFORM_ADMIN, port: 0, push: false, rateLimit: { limit }, now: () => clock.now() });
    cleanups.push(() => platform.close());
    platform.app.platform.store.tokens.register(INSTANCE_TOKEN, 'agent-under-test', 'test');
    seedCatalog(platform.app.platform.store.db, 20, () => clock.now());
    const proxy = await startFaultProxy(platform.url, plan);
    cleanups.push(() => proxy.close());
    const store = openStore(join(dir, 'agent.db'));
    cleanups.push(() => store.close());
    // The instance's budget runs on the test's clock: waiting for the next window is simulated time.
    const budget = createRequestBudget({ clock });
    cleanups.push(() => budget.close());
    const client = createPlatformClient({ baseUrl: proxy.url, token: INSTANCE_TOKEN, timeoutMs: 10_000, budget, now: () => clock.now() });
    cleanups.push(() => client.close());
    const skillIds = [...platformCatalog(platform).keys()];
    for (let i = 0; i < 100; i += 1) {
      store.ratings.rate({ skillId: skillIds[i % skillIds.length]!, userId: `user${i}@example.com`, rating: 1 + (i % 5), clientRatingId: `client-${i}` }, clock.now());
    }
    const actor = createActor(provideRatingSync({ clock, uploadRatings: createRatingUploader({ store, client, clock }) }), {
      clock, input: { intervalMs: 30 * 60_000, schedulerEnabled: false },
    });
    actor.start();
    cleanups.push(() => actor.stop());
    return { clock, store, actor, proxy };
  }

  it('a flush larger than the window waits for the next one (no 429, no failure) and reports the whole flush', async () => {
    const { clock, store, actor, proxy } = await outboxAtTheLimit(81);
    actor.send({ type: 'ratings.flush' });
    // 81 go up in this window; the budget holds the other 19 for the next one instead of meeting a 429.
    await eventually(() => store.ratings.statusCounts().synced === 81, 10_000, '81 ratings synced');
    expect(store.ratings.statusCounts()).toMatchObject({ synced: 81, pending: 19 });
    expect(actor.getSnapshot().matches('uploading')).toBe(true);
    clock.increment(60_000);
    await waitFor(actor, (s) => s.matches('idle'), { timeout: 10_000 });
    expect(actor.getSnapshot().context).toMatchObject({ lastError: null, lastReport: { uploaded: 100, failed: 0, deadLettered: 0 } });
    expect(store.ratings.statusCounts()).toMatchObject({ synced: 100, pending: 0 });
    expect(proxy.seen.filter((s) => s.startsWith('POST /api/v1/ratings'))).toHaveLength(100);
  });

  it('reports what a round uploaded before a 429 it cannot wait for stopped it, and the whole flush once it resumes', async () => {
    // Another process spending the same token's budget, which this agent's budget cannot see: the 82nd
    // upload is refused for an hour, longer than the client waits (10 min), so the round stops as rateLimited.
    let uploads = 0;
    let refusing = true;
    const plan: Plan = (_i, method, path) =>
      method === 'POST' && path === '/api/v1/ratings' && ++uploads > 81 && refusing
        ? { kind: 'status', status: 429, headers: { 'retry-after': '3600' }, body: { error: 'Rate limit exceeded', message: 'more than 81 requests' } }
        : { kind: 'pass' };
    const { clock, store, actor } = await outboxAtTheLimit(1000, plan);
    actor.send({ type: 'ratings.flush' });
    await waitFor(actor, (s) => s.matches('rateLimited'), { timeout: 10_000 });
    expect(actor.getSnapshot().context).toMatchObject({
      lastError: { kind: 'rateLimited', retryAfterMs: 3_600_000 },
      lastReport: { uploaded: 81, failed: 0, deadLettered: 0 },
    });
    expect(store.ratings.statusCounts()).toMatchObject({ synced: 81, pending: 19 });

    refusing = false;
    clock.increment(3_600_000);
    await waitFor(actor, (s) => s.matches('idle'), { timeout: 10_000 });
    expect(actor.getSnapshot().context).toMatchObject({ lastError: null, lastReport: { uploaded: 100, failed: 0, deadLettered: 0 } });
    expect(store.ratings.statusCounts()).toMatchObject({ synced: 100, pending: 0 });
  });
});
