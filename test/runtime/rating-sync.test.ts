import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { createActor, SimulatedClock, waitFor } from 'xstate';
import { openStore } from '../../src/store/index.ts';
import { startPlatform } from '../../src/platform/server.ts';
import { seedCatalog } from '../../src/platform/seed/seed.ts';
import { createPlatformClient } from '../../src/marketplace/http/client.ts';
import { createRatingUploader } from '../../src/runtime/rating-upload.ts';
import { provideRatingSync } from '../../src/runtime/rating-sync.ts';
import { INSTANCE_TOKEN, PLATFORM_ADMIN, platformCatalog } from '../support/platform.ts';
import { useTempDir } from '../support/temp-dir.ts';
import { useCleanups } from '../support/cleanups.ts';

describe('the rating outbox at the platform\'s rate limit', () => {
  const tempDir = useTempDir();
  const cleanups = useCleanups();

  it('reports what a round uploaded before a 429 stopped it, and the whole flush once it resumes', async () => {
    const dir = tempDir();
    const clock = new SimulatedClock();
    clock.set(Date.parse('2026-06-01T00:00:00Z'));
    // The real platform, with a budget of 81 requests a minute on the same simulated clock.
    const platform = await startPlatform({ db: join(dir, 'platform.db'), adminToken: PLATFORM_ADMIN, port: 0, push: false, rateLimit: { limit: 81 }, now: () => clock.now() });
    cleanups.push(() => platform.close());
    platform.app.platform.store.tokens.register(INSTANCE_TOKEN, 'agent-under-test', 'test');
    seedCatalog(platform.app.platform.store.db, 20, () => clock.now());
    const store = openStore(join(dir, 'agent.db'));
    cleanups.push(() => store.close());
    const client = createPlatformClient({ baseUrl: platform.url, token: INSTANCE_TOKEN, timeoutMs: 10_000 });
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

    actor.send({ type: 'ratings.flush' });
    await waitFor(actor, (s) => s.matches('rateLimited'), { timeout: 10_000 });
    expect(actor.getSnapshot().context).toMatchObject({
      lastError: { kind: 'rateLimited', retryAfterMs: 60_000 },
      lastReport: { uploaded: 81, failed: 0, deadLettered: 0 },
    });
    expect(store.ratings.statusCounts()).toMatchObject({ synced: 81, pending: 19 });

    clock.increment(60_000);
    await waitFor(actor, (s) => s.matches('idle'), { timeout: 10_000 });
    expect(actor.getSnapshot().context).toMatchObject({ lastError: null, lastReport: { uploaded: 100, failed: 0, deadLettered: 0 } });
    expect(store.ratings.statusCounts()).toMatchObject({ synced: 100, pending: 0 });
  });
});
