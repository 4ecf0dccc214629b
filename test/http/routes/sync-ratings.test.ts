import { describe, expect, it } from 'vitest';
import { waitFor } from 'xstate';
import { ADMIN, useShells } from '../helpers.ts';
import type { Agent } from '../../../src/runtime/create-agent.ts';

const get = (url: string) => ({ method: 'GET' as const, url, headers: ADMIN });
const post = (url: string) => ({ method: 'POST' as const, url, headers: ADMIN });

function someSkill(agent: Agent): string {
  return agent.store.db.prepare('SELECT skill_id FROM skill_cache ORDER BY skill_id LIMIT 1').pluck().get() as string;
}

/** A rating whose upload failed (the store's own failure path), waiting for a retry in an hour. */
function failedRating(agent: Agent, userId: string) {
  const rating = agent.rateSkill({ skillId: someSkill(agent), userId, rating: 4 });
  const now = agent.clock.now();
  agent.store.ratings.markFailed(rating, { kind: 'transient', reason: 'platform answered 503', nextRetryAt: now + 3_600_000 }, now);
  return rating;
}

describe('/api/admin/sync/ratings', () => {
  const shell = useShells();

  it('POST flushes the outbox (202) and status counts it uploaded, with the last report', async () => {
    const { request, agent } = await shell({ skills: 3 });
    agent.rateSkill({ skillId: someSkill(agent), userId: 'user-1', rating: 5 });
    expect((await request(get('/api/admin/sync/ratings/status'))).json()).toEqual({ success: true, state: 'idle', pending: 1, synced: 0, failed: 0, dead: 0, last_upload: null });
    const res = await request(post('/api/admin/sync/ratings'));
    expect(res.statusCode).toBe(202);
    expect(res.json()).toEqual({ success: true, accepted: true, event: 'ratings.flush', state: 'uploading' });
    await waitFor(agent.actors.ratingSync!, (s) => s.matches('idle') && s.context.lastReport !== null, { timeout: 5000 });
    expect((await request(get('/api/admin/sync/ratings/status'))).json()).toEqual({
      success: true, state: 'idle', pending: 0, synced: 1, failed: 0, dead: 0, last_upload: { uploaded: 1, failed: 0, deadLettered: 0 },
    });
  });

  it('lists failed uploads in snake_case and pages them', async () => {
    const { request, agent } = await shell({ skills: 3 });
    const rating = failedRating(agent, 'user-a');
    failedRating(agent, 'user-b');
    const res = await request(get('/api/admin/sync/ratings/failed-uploads?limit=1'));
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({
      success: true, limit: 1, offset: 0,
      items: [{
        id: expect.any(Number), rating_id: rating.id, client_rating_id: rating.clientRatingId, skill_id: rating.skillId,
        error_kind: 'transient', reason: 'platform answered 503', retry_count: 1, next_retry_at: expect.any(String), dead_letter: false,
        created_at: expect.any(String), updated_at: expect.any(String),
      }],
    });
    expect((await request(get('/api/admin/sync/ratings/failed-uploads?offset=1'))).json().items).toHaveLength(1);
    expect((await request(get('/api/admin/sync/ratings/failed-uploads?limit=101'))).statusCode).toBe(400);
  });

  it('retries one failed upload: requeued and flushed, then synced; 404 for an unknown id', async () => {
    const { request, agent } = await shell({ skills: 3 });
    const rating = failedRating(agent, 'user-a');
    const [failed] = agent.store.ratings.failedUploads(10);
    const res = await request(post(`/api/admin/sync/ratings/failed-uploads/${failed!.id}/retry`));
    expect(res.statusCode).toBe(202);
    expect(res.json()).toEqual({ success: true, requeued: true, rating_id: rating.id, flushed: true, state: 'uploading' });
    await waitFor(agent.actors.ratingSync!, (s) => s.matches('idle') && s.context.lastReport !== null, { timeout: 5000 });
    expect(agent.store.ratings.get(rating.id)?.syncStatus).toBe('synced');
    expect((await request(post('/api/admin/sync/ratings/failed-uploads/999/retry'))).statusCode).toBe(404);
    expect((await request(post('/api/admin/sync/ratings/failed-uploads/abc/retry'))).statusCode).toBe(400);
  });

  it('answers 503 for the actions in local-only mode; status still counts the outbox', async () => {
    const { request } = await shell();
    expect((await request(post('/api/admin/sync/ratings'))).statusCode).toBe(503);
    expect((await request(post('/api/admin/sync/ratings/failed-uploads/1/retry'))).statusCode).toBe(503);
    expect((await request(get('/api/admin/sync/ratings/status'))).json()).toMatchObject({ state: 'local-only', pending: 0, last_upload: null });
  });
});
