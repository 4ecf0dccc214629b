import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { Agent, type Dispatcher } from 'undici';
import { openStore } from '../../src/store/index.ts';
import { createPlatformClient } from '../../src/marketplace/http/client.ts';
import { createRatingUploader, hashUserId, RATING_RETRY } from '../../src/runtime/rating-upload.ts';
import { INSTANCE_TOKEN, platformCatalog, startSeededPlatform } from '../support/platform.ts';
import { manualClock } from '../support/manual-clock.ts';
import { useTempDir } from '../support/temp-dir.ts';
import { useCleanups } from '../support/cleanups.ts';

/**
 * A real undici agent that lets every `lossEvery`-th request reach the platform and complete there,
 * then loses the response: the worst case for exactly-once delivery.
 */
function responseLosingAgent(lossEvery: number): Dispatcher {
  let count = 0;
  return new Agent().compose((dispatch) => (options, handler) => {
    count += 1;
    if (count % lossEvery !== 0) return dispatch(options, handler);
    const lost = Object.assign(new Error('connection reset after the request was sent (injected)'), { code: 'ECONNRESET' });
    const inner = handler as Dispatcher.DispatchHandler;
    // The platform answers (and commits); the client sees the connection reset instead.
    return dispatch(options, {
      onRequestStart: (controller, context) => inner.onRequestStart?.(controller, context),
      onResponseStart: () => {},
      onResponseData: () => {},
      onResponseEnd: (controller) => inner.onResponseError?.(controller, lost),
      onResponseError: (controller, error) => inner.onResponseError?.(controller, error),
    });
  });
}

describe('rating uploads against the reference platform', () => {
  const tempDir = useTempDir();
  const cleanups = useCleanups();

  async function setup(dispatcher?: Dispatcher) {
    const dir = tempDir();
    const platform = await startSeededPlatform(dir, 20);
    cleanups.push(() => platform.close());
    const store = openStore(join(dir, 'agent.db'));
    cleanups.push(() => store.close());
    const client = createPlatformClient({ baseUrl: platform.url, token: INSTANCE_TOKEN, timeoutMs: 10_000, ...(dispatcher ? { dispatcher } : {}) });
    cleanups.push(() => client.close());
    const clock = manualClock(Date.now());
    const skillIds = [...platformCatalog(platform).keys()];
    const countRatings = () => platform.app.platform.store.db.prepare('SELECT count(*) AS n FROM ratings').get() as { n: number };
    const seeded = countRatings().n;
    /** Ratings the platform holds beyond the seeded ones. */
    const platformRatings = () => ({ n: countRatings().n - seeded });
    return { platform, store, client, clock, skillIds, platformRatings };
  }

  it('uploads every rating exactly once even when responses are lost and uploads retried', async () => {
    const { store, client, clock, skillIds, platformRatings } = await setup(responseLosingAgent(3));
    for (let i = 0; i < 30; i += 1) {
      store.ratings.rate({ skillId: skillIds[i % skillIds.length]!, userId: `user${i}@example.com`, rating: 1 + (i % 5), comment: `c${i}`, clientRatingId: `client-${i}` }, clock.now());
    }
    const upload = createRatingUploader({ store, client, clock });
    const first = await upload({ replayFailed: false });
    expect(first.uploaded + first.failed).toBe(30);
    expect(first.failed).toBeGreaterThan(0);
    // Every upload reached the platform, lost responses included, and each was counted once.
    expect(platformRatings().n).toBe(30);

    // Retries happen only when due; each retried upload carries the same client id.
    expect(await upload({ replayFailed: false })).toEqual({ uploaded: 0, failed: 0, deadLettered: 0 });
    for (let round = 0; round < 6 && store.ratings.statusCounts().synced < 30; round += 1) {
      clock.advance(RATING_RETRY.maxMs);
      await upload({ replayFailed: false });
    }
    expect(store.ratings.statusCounts()).toEqual({ pending: 0, synced: 30, failed: 0, dead: 0 });
    expect(platformRatings().n).toBe(30);
    expect(store.ratings.failedUploads(100)).toEqual([]);
  });

  it('sends hashed user ids, never the local ones', async () => {
    const { platform, store, client, clock, skillIds } = await setup();
    store.ratings.rate({ skillId: skillIds[0]!, userId: 'alice@example.com', rating: 5, clientRatingId: 'k-alice' }, clock.now());
    await createRatingUploader({ store, client, clock })({ replayFailed: false });
    const users = platform.app.platform.store.db.prepare('SELECT user_id FROM ratings').pluck().all() as string[];
    expect(users).not.toContain('alice@example.com');
    expect(users).toContain(hashUserId(store.syncState.get().deviceId, 'alice@example.com'));
  });

  it('keeps 4xx refusals as dead letters with the reason; ratings.retry replays them', async () => {
    const { store, client, clock, skillIds } = await setup();
    const unknownSkill = '00000000-0000-4000-8000-00000000dead';
    store.ratings.rate({ skillId: unknownSkill, userId: 'bob', rating: 4, clientRatingId: 'k-unknown' }, clock.now());
    store.ratings.rate({ skillId: skillIds[1]!, userId: 'bob', rating: 4, clientRatingId: 'k-ok' }, clock.now());
    const upload = createRatingUploader({ store, client, clock });
    expect(await upload({ replayFailed: false })).toEqual({ uploaded: 1, failed: 0, deadLettered: 1 });
    const [dead] = store.ratings.failedUploads(10);
    expect(dead).toMatchObject({ skillId: unknownSkill, errorKind: 'invalid', deadLetter: true, nextRetryAt: null });
    expect(dead?.reason).toMatch(/404/);
    expect(await upload({ replayFailed: true })).toEqual({ uploaded: 0, failed: 0, deadLettered: 1 });
    expect(store.ratings.failedUploads(10)[0]?.retryCount).toBe(2);
  });

  it('stops the round on 401 with an auth failure and leaves the outbox intact', async () => {
    const { platform, store, clock, skillIds } = await setup();
    const bad = createPlatformClient({ baseUrl: platform.url, token: 'revoked-or-wrong-token', timeoutMs: 5000 });
    cleanups.push(() => bad.close());
    for (let i = 0; i < 15; i += 1) store.ratings.rate({ skillId: skillIds[i]!, userId: `u${i}`, rating: 3, clientRatingId: `k${i}` }, clock.now());
    await expect(createRatingUploader({ store, client: bad, clock })({ replayFailed: false })).rejects.toMatchObject({ kind: 'auth', status: 401 });
    expect(store.ratings.statusCounts().pending).toBe(15);
  });
});
