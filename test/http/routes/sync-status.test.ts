import { describe, expect, it } from 'vitest';
import { waitFor } from 'xstate';
import { ADMIN, useShells } from '../helpers.ts';
import { adminCall, INSTANCE_TOKEN } from '../../support/platform.ts';
import type { Agent } from '../../../src/runtime/create-agent.ts';
import { manualClock } from '../../support/manual-clock.ts';

const get = (url: string) => ({ method: 'GET' as const, url, headers: ADMIN });
const post = (url: string) => ({ method: 'POST' as const, url, headers: ADMIN });
const isoTime = expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);

describe('GET /api/admin/sync/status', () => {
  const shell = useShells();

  it('answers the spec 002 shape after the initial sync, with the mode', async () => {
    const { request } = await shell({ skills: 12 });
    const res = await request(get('/api/admin/sync/status'));
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({
      success: true,
      mode: 'polling',
      sync: { status: 'idle', last_sync_at: isoTime, last_successful_sync_at: isoTime, total_syncs: 1, successful_syncs: 1, failed_syncs: 0, throttled_until: null },
      // The initial sync spent categories + one page of the platform's (test-sized) budget.
      platform_budget: { limit: 1_000_000, remaining: expect.any(Number), resets_at: isoTime, in_flight: 0, blocked_until: null, throttled_seconds: 0, requests: { ok: 2, throttled: 0, failed: 0 } },
      websocket: { connected: false, last_connected_at: null, last_message_at: null, fallback_to_polling: expect.any(Boolean), reconnect_attempts: 0 },
      cache: { skills_count: 12, categories_count: expect.any(Number) },
    });
    expect(res.json().cache.categories_count).toBeGreaterThan(0);
  });

  it('says local-only when sync is off', async () => {
    const { request } = await shell();
    const body = (await request(get('/api/admin/sync/status'))).json();
    expect(body).toMatchObject({ success: true, mode: 'local-only', sync: { status: 'local-only', total_syncs: 0, last_sync_at: null, throttled_until: null }, platform_budget: null, cache: { skills_count: 0 } });
  });

  it('reports unauthorized when the platform revokes the token', async () => {
    const { request, agent, platform } = await shell({ skills: 3 });
    expect((await adminCall(platform!, 'DELETE', `/api/v1/tokens/${INSTANCE_TOKEN}`)).status).toBe(200);
    expect((await request(post('/api/admin/sync/trigger'))).statusCode).toBe(202);
    await waitFor(agent.actors.syncCycle!, (s) => s.matches('unauthorized'), { timeout: 5000 });
    const body = (await request(get('/api/admin/sync/status'))).json();
    expect(body.sync).toMatchObject({ status: 'unauthorized', total_syncs: 2, failed_syncs: 1 });
  });
});

describe('POST /api/admin/sync/trigger and /sync/skills', () => {
  const shell = useShells();

  it.each(['/api/admin/sync/trigger', '/api/admin/sync/skills'])('%s starts a full sync: 202 with success', async (url) => {
    const { request, agent } = await shell({ skills: 5 });
    const res = await request(post(url));
    expect(res.statusCode).toBe(202);
    expect(res.json()).toEqual({ success: true, accepted: true, event: 'sync.trigger', state: 'syncing' });
    const done = await waitFor(agent.actors.syncCycle!, (s) => s.matches('idle'), { timeout: 5000 });
    expect(done.context.lastResult?.kind).toBe('full');
    expect(agent.store.syncState.get().totalSyncs).toBe(2);
  });

  it('answers 503 in local-only mode: sync is disabled', async () => {
    const { request } = await shell();
    for (const url of ['/api/admin/sync/trigger', '/api/admin/sync/skills']) {
      const res = await request(post(url));
      expect(res.statusCode).toBe(503);
      expect(res.json()).toEqual({ error: 'Service Unavailable', message: expect.stringContaining('sync is disabled') });
    }
  });
});

describe('GET /api/admin/sync/config', () => {
  const shell = useShells();

  it('shows the configuration with the tokens masked', async () => {
    const { request, config } = await shell({ skills: 1 });
    const res = await request(get('/api/admin/sync/config'));
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.success).toBe(true);
    expect(body.config.saas).toMatchObject({ enabled: true, apiUrl: config.saas.apiUrl, syncIntervalMinutes: 15, conflictStrategy: config.saas.conflictStrategy });
    expect(body.config.saas.apiToken).not.toBe(config.saas.apiToken);
    expect(body.config.http.adminToken).not.toBe(config.http.adminToken);
    expect(body.config.scheduler).toEqual({ enabled: true });
  });
});

describe('/api/admin/sync/jobs', () => {
  const shell = useShells();

  it('lists the two periodic jobs with their next run from the actors deadlines', async () => {
    const { request, agent } = await shell({ skills: 2 });
    const res = await request(get('/api/admin/sync/jobs'));
    expect(res.statusCode).toBe(200);
    const nextSync = agent.actors.syncCycle!.getSnapshot().context.nextSyncAt!;
    const nextFlush = agent.actors.ratingSync!.getSnapshot().context.nextFlushAt!;
    expect(res.json()).toEqual({
      success: true,
      jobs: [
        { id: 'skill-sync-atom-saas', name: 'Skill Sync with Atom SaaS', next_run_time: new Date(nextSync).toISOString(), trigger: 'interval', minutes: 15 },
        { id: 'rating-sync-atom-saas', name: 'Rating Sync with Atom SaaS', next_run_time: new Date(nextFlush).toISOString(), trigger: 'interval', minutes: 30 },
      ],
    });
  });

  it('is empty with ENABLE_SCHEDULER=false and in local-only mode', async () => {
    const off = await shell({ skills: 1, env: { ENABLE_SCHEDULER: 'false' } });
    expect((await off.request(get('/api/admin/sync/jobs'))).json()).toEqual({ success: true, jobs: [] });
    const local = await shell();
    expect((await local.request(get('/api/admin/sync/jobs'))).json()).toEqual({ success: true, jobs: [] });
  });

  it('DELETE pauses both periodic jobs (they leave the list), POST resumes them; 503 in local-only mode', async () => {
    const { request, agent } = await shell({ skills: 2 });
    const res = await request({ method: 'DELETE', url: '/api/admin/sync/jobs', headers: ADMIN });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ success: true, event: 'schedule.pause', paused: true });
    expect(agent.actors.syncCycle!.getSnapshot().context.schedulerEnabled).toBe(false);
    expect(agent.actors.ratingSync!.getSnapshot().context.schedulerEnabled).toBe(false);
    expect((await request(get('/api/admin/sync/jobs'))).json()).toEqual({ success: true, jobs: [] });
    // Manual triggers still run while paused.
    expect((await request(post('/api/admin/sync/trigger'))).statusCode).toBe(202);
    await waitFor(agent.actors.syncCycle!, (s) => s.matches('idle'), { timeout: 5000 });
    const resumed = await request(post('/api/admin/sync/jobs'));
    expect(resumed.json()).toEqual({ success: true, event: 'schedule.resume', paused: false });
    expect((await request(get('/api/admin/sync/jobs'))).json().jobs).toHaveLength(2);

    const local = await shell();
    expect((await local.request({ method: 'DELETE', url: '/api/admin/sync/jobs', headers: ADMIN })).statusCode).toBe(503);
  });
});

describe('GET /api/admin/sync/errors', () => {
  const shell = useShells();

  it('lists failed effects from the journal, the newest with the actor lastError, plus sync_state.last_error', async () => {
    const { request, agent, platform } = await shell({ skills: 3 });
    expect((await request(get('/api/admin/sync/errors'))).json()).toEqual({ success: true, errors: [], last_sync_error: null });
    await adminCall(platform!, 'DELETE', `/api/v1/tokens/${INSTANCE_TOKEN}`);
    agent.actors.syncCycle!.send({ type: 'sync.trigger' });
    await waitFor(agent.actors.syncCycle!, (s) => s.matches('unauthorized'), { timeout: 5000 });
    const body = (await request(get('/api/admin/sync/errors?limit=5'))).json();
    expect(body.errors).toHaveLength(1);
    expect(body.errors[0]).toEqual({
      id: expect.any(Number), at: isoTime, actor: 'syncCycle', event: 'xstate.error.actor.runSync', from: 'syncing', to: 'unauthorized',
      error: { kind: 'auth', message: expect.any(String), status: 401 },
    });
    expect(body.last_sync_error).toMatch(/^auth: /);
  });

  it.each(['0', '101', 'x'])('rejects limit=%s with 400', async (limit) => {
    const { request } = await shell();
    const res = await request(get(`/api/admin/sync/errors?limit=${limit}`));
    expect(res.statusCode).toBe(400);
    expect(res.json().message).toContain('limit');
  });
});

describe('DELETE /api/admin/sync/cache/expired', () => {
  const shell = useShells();

  it('removes rows past their 24 h lease, keeping locally edited skills', async () => {
    const clock = manualClock(Date.now());
    const { request, agent } = await shell({ skills: 4, clock, env: { ENABLE_SCHEDULER: 'false' } });
    const del = { method: 'DELETE' as const, url: '/api/admin/sync/cache/expired', headers: ADMIN };
    expect((await request(del)).json()).toEqual({ success: true, skills_removed: 0, categories_removed: 0 });
    agent.editSkill(firstSkillId(agent), { description: 'kept locally' });
    clock.advance(25 * 60 * 60 * 1000);
    const res = (await request(del)).json();
    expect(res.skills_removed).toBe(3);
    expect(res.categories_removed).toBeGreaterThan(0);
    expect(agent.store.skills.count()).toBe(1);
  });
});

function firstSkillId(agent: Agent): string {
  return agent.store.db.prepare('SELECT skill_id FROM skill_cache ORDER BY skill_id LIMIT 1').pluck().get() as string;
}
