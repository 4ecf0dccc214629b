import { describe, expect, it } from 'vitest';
import { SimulatedClock } from 'xstate';
import { useShells } from '../helpers.ts';

const MIN = 60_000;

describe('GET /health/live', () => {
  const shell = useShells();

  it('answers 200 healthy with a timestamp', async () => {
    const { request } = await shell({ start: false });
    const res = await request({ method: 'GET', url: '/health/live' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ status: 'healthy', timestamp: expect.stringMatching(/^\d{4}-\d\d-\d\dT/) });
  });
});

describe('GET /health/ready', () => {
  const shell = useShells();

  it('is ready with a migrated database and free disk space', async () => {
    const { request } = await shell();
    const res = await request({ method: 'GET', url: '/health/ready' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ status: 'ready', database: 'connected', disk_space_gb: expect.any(Number), migrations_applied: true, failing: [] });
  });

  it('answers 503 naming the failing checks once the database is closed', async () => {
    // Not started: a running agent would journal its own shutdown into the closed database.
    const { request, agent } = await shell({ start: false });
    agent.store.close();
    const res = await request({ method: 'GET', url: '/health/ready' });
    expect(res.statusCode).toBe(503);
    expect(res.json()).toMatchObject({ status: 'not_ready', database: 'disconnected', migrations_applied: false, failing: ['database', 'migrations'] });
  });
});

describe('GET /health/sync', () => {
  const shell = useShells();

  it('is healthy in local-only mode', async () => {
    const { request } = await shell();
    const res = await request({ method: 'GET', url: '/health/sync' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ status: 'healthy', mode: 'local-only', sync: { last_sync_at: null } });
  });

  it('is healthy right after a successful sync with the WebSocket disabled', async () => {
    const { request } = await shell({ skills: 20 });
    const body = (await request({ method: 'GET', url: '/health/sync' })).json();
    expect(body).toMatchObject({
      status: 'healthy', mode: 'polling',
      sync: { state: 'idle', last_sync_at: expect.any(String), minutes_since_last_sync: 0 },
      websocket: { enabled: false, connected: false },
      checks: { database: true, sync_fresh: true, last_sync_ok: true, authorized: true, websocket_ok: true },
      reasons: [],
    });
  });

  it('is degraded (200) while the WebSocket cannot connect and the agent polls', async () => {
    // The platform runs without its push hub: every connection attempt fails.
    const { request } = await shell({ skills: 5, env: { ATOM_SAAS_WS_ENABLED: 'true' } });
    const res = await request({ method: 'GET', url: '/health/sync' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ status: 'degraded', websocket: { enabled: true, connected: false }, checks: { websocket_ok: false } });
  });

  it('turns unhealthy (503) an hour after the platform died', async () => {
    const clock = new SimulatedClock();
    clock.set(Date.now());
    const { request, platform } = await shell({ skills: 10, clock });
    expect((await request({ method: 'GET', url: '/health/sync' })).json().status).toBe('healthy');
    await platform!.close();

    // Past the 30 min freshness: scheduled syncs fail against the dead platform; still serving.
    clock.increment(31 * MIN);
    const degraded = await request({ method: 'GET', url: '/health/sync' });
    expect(degraded.statusCode).toBe(200);
    expect(degraded.json().status).toBe('degraded');

    clock.increment(30 * MIN);
    const res = await request({ method: 'GET', url: '/health/sync' });
    expect(res.statusCode).toBe(503);
    const body = res.json();
    expect(body).toMatchObject({ status: 'unhealthy', sync: { minutes_since_last_success: 61 }, checks: { sync_fresh: false } });
    expect(body.reasons.join()).toMatch(/no successful sync for 61 min/);
  });

  it('is unhealthy when the platform refuses the token', async () => {
    const { request, agent } = await shell({ skills: 5, env: { ATOM_SAAS_API_TOKEN: 'not-a-registered-token-0123456789' } });
    expect(agent.actors.syncCycle?.getSnapshot().value).toBe('unauthorized');
    const res = await request({ method: 'GET', url: '/health/sync' });
    expect(res.statusCode).toBe(503);
    expect(res.json()).toMatchObject({ status: 'unhealthy', sync: { state: 'unauthorized' }, checks: { authorized: false } });
  });
});
