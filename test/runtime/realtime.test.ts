import { describe, expect, it } from 'vitest';
import { SimulatedClock, waitFor } from 'xstate';
import { WebSocketServer } from 'ws';
import type { AddressInfo } from 'node:net';
import { createAgent, type Agent } from '../../src/runtime/create-agent.ts';
import { createLogger } from '../../src/logging/logger.ts';
import { buildApp } from '../../src/http/app.ts';
import type { RunningPlatform } from '../../src/platform/server.ts';
import { adminCall, INSTANCE_TOKEN, startSeededPlatform } from '../support/platform.ts';
import { agentConfig } from '../support/config.ts';
import { useTempDir } from '../support/temp-dir.ts';
import { useCleanups } from '../support/cleanups.ts';
import { eventually } from '../support/eventually.ts';
import { makeSkill } from '../support/skills.ts';

// The platform's own pings would come on its real clock; the agent's watchdog runs on a simulated
// one. Platform pings are left an hour apart so only the simulated clock decides staleness.
const QUIET_PUSH = { pingIntervalMs: 3_600_000, pongTimeoutMs: 3_600_000 };

describe('real-time updates from the reference platform', () => {
  const tempDir = useTempDir();
  const cleanups = useCleanups();

  async function setup(options: { skills?: number; env?: Record<string, string>; wsUrl?: string } = {}) {
    const dir = tempDir();
    const platform = await startSeededPlatform(dir, options.skills ?? 20, { push: QUIET_PUSH });
    cleanups.push(() => platform.close());
    const clock = new SimulatedClock();
    clock.set(Date.now());
    const lines: string[] = [];
    const logger = createLogger({ level: 'warn', destination: { write: (l: string) => void lines.push(l) } });
    const config = agentConfig(dir, {
      ATOM_SAAS_API_URL: platform.url, ATOM_SAAS_API_TOKEN: INSTANCE_TOKEN, ...(options.wsUrl ? { ATOM_SAAS_WS_URL: options.wsUrl } : {}), ...options.env,
    });
    const agent = createAgent({ config, clock, logger });
    cleanups.push(() => agent.stop());
    await agent.start();
    return { dir, platform, clock, agent, lines, config };
  }

  const connection = (agent: Agent) => agent.actors.connection!;
  const isOpen = (agent: Agent) => connection(agent).getSnapshot().hasTag('realtime');
  const nextSeq = (platform: RunningPlatform) => platform.app.platform.store.changes.current() + 1;

  it('connects after the initial sync and applies a published skill within milliseconds', async () => {
    const { platform, agent } = await setup();
    await eventually(() => isOpen(agent), 5000, 'the socket to open');
    expect(agent.mode()).toBe('realtime');
    expect(agent.store.websocketState.get()).toMatchObject({ state: 'open', connected: true, reconnectAttempts: 1 });

    const published = await adminCall(platform, 'POST', '/api/v1/skills', {
      name: 'Pushed Skill', description: 'arrives by WebSocket', version: '1.0.0', code: 'x', command: 'python', category: 'automation',
      python_packages: [], npm_packages: [], tags: [], metadata: {},
    });
    const started = Date.now();
    await eventually(() => agent.store.skills.get(published.json.skill_id), 2000, 'the pushed skill');
    expect(Date.now() - started).toBeLessThan(1000);
    expect(agent.store.syncState.get().highWaterSeq).toBe(platform.app.platform.store.changes.current());
  });

  it('declares the link stale when pings stop, backs off 1 s, and reconnects', async () => {
    const { clock, agent } = await setup();
    await eventually(() => isOpen(agent), 5000, 'the socket to open');
    clock.increment(40_000);
    // GET /health answers: only the link failed, the spec's schedule applies.
    await eventually(() => connection(agent).getSnapshot().value === 'backingOff', 5000, 'the check to find the platform up');
    expect(connection(agent).getSnapshot().context.failureCause).toBe('socket');
    expect(agent.store.websocketState.get()).toMatchObject({ state: 'backingOff', connected: false, lastDisconnectReason: 'heartbeat timeout' });
    expect(agent.mode()).toBe('polling');
    clock.increment(1000);
    await eventually(() => isOpen(agent), 5000, 'the socket to reopen');
  });

  it('caps a flood of 1,000 messages at 100, counts the rest, warns once, and keeps answering its admin API', async () => {
    const adminToken = 'flood-test-admin-token-0123';
    const { platform, agent, lines, config } = await setup({ env: { ATOM_ADMIN_TOKEN: adminToken } });
    const shell = buildApp(agent, config);
    cleanups.push(() => shell.close());
    await eventually(() => isOpen(agent), 5000, 'the socket to open');
    const first = nextSeq(platform);
    const skill = makeSkill(900);
    for (let i = 0; i < 1000; i += 1) {
      platform.hub!.broadcast({ type: 'skill_update', data: { ...skill, description: `v${i}`, updated_at: new Date(Date.UTC(2026, 0, 1) + i).toISOString() }, timestamp: new Date().toISOString(), seq: first + i });
    }
    // The simulated clock stands still, so the bucket never refills: exactly its capacity gets through.
    // While the frames arrive, the admin API answers.
    const during = await shell.inject({ method: 'GET', url: '/api/admin/actors', headers: { authorization: `Bearer ${adminToken}` } });
    expect(during.statusCode).toBe(200);
    expect(during.json().map((a: { id: string }) => a.id)).toContain('connection');
    await eventually(() => agent.realtime.received.skill_update + agent.realtime.dropped.rate_limited === 1000, 5000, 'all 1000 frames');
    expect(agent.realtime.received.skill_update).toBe(100);
    expect(agent.realtime.dropped.rate_limited).toBe(900);
    expect(lines.filter((l) => l.includes('excess dropped'))).toHaveLength(1);
    expect(isOpen(agent)).toBe(true);
    expect(agent.store.skills.get(skill.skill_id)?.remote.description).toBe('v99');
  });

  it('drops a 2 MB frame (1009), counts it and reconnects cleanly; a rating of 7 is dropped without a reconnect', async () => {
    const { platform, clock, agent } = await setup();
    await eventually(() => isOpen(agent), 5000, 'the socket to open');
    platform.hub!.broadcast({ type: 'rating_update', data: { skill_id: makeSkill(1).skill_id, rating: 7, average_rating: 4, rating_count: 1, updated_at: new Date().toISOString() }, timestamp: new Date().toISOString(), seq: nextSeq(platform) });
    await eventually(() => agent.realtime.dropped.invalid === 1, 2000, 'the invalid rating to be counted');
    expect(isOpen(agent)).toBe(true);

    platform.hub!.broadcast({ type: 'skill_update', data: { ...makeSkill(2), code: 'x'.repeat(2 * 1024 * 1024) }, timestamp: new Date().toISOString(), seq: nextSeq(platform) });
    await eventually(() => connection(agent).getSnapshot().value === 'backingOff', 5000, 'the oversize frame to close the socket');
    expect(agent.realtime.dropped.too_large).toBe(1);
    expect(connection(agent).getSnapshot().context.lastDisconnectReason).toMatch(/^1009/);
    clock.increment(1000);
    await eventually(() => isOpen(agent), 5000, 'the socket to reopen');
  });

  it('an update published while the agent was disconnected is in the cache after the reconnect', async () => {
    const { dir, platform, clock, agent } = await setup();
    await eventually(() => isOpen(agent), 5000, 'the socket to open');
    const port = Number(new URL(platform.url).port);
    await platform.close();
    await eventually(() => connection(agent).getSnapshot().value === 'backingOff', 5000, 'the agent to notice');

    const restarted = await startSeededPlatform(dir, 0, { push: QUIET_PUSH, port });
    cleanups.push(() => restarted.close());
    const published = await adminCall(restarted, 'POST', '/api/v1/skills', {
      name: 'Published During Downtime', description: 'missed by the socket', version: '1.0.0', code: 'x', command: 'python', category: 'automation',
      python_packages: [], npm_packages: [], tags: [], metadata: {},
    });
    expect(agent.store.skills.get(published.json.skill_id)).toBeUndefined();
    clock.increment(1000);
    await eventually(() => isOpen(agent), 5000, 'the socket to reopen');
    // The reopen asked for a catch-up over HTTP.
    await eventually(() => agent.store.skills.get(published.json.skill_id), 5000, 'the missed skill');
  });

  it('converges to the newest version when pushes arrive duplicated and out of order', async () => {
    const { platform, agent } = await setup();
    await eventually(() => isOpen(agent), 5000, 'the socket to open');
    const skill = makeSkill(901);
    const version = (n: number) => ({ ...skill, version: `1.${n}.0`, updated_at: new Date(Date.UTC(2026, 0, 1, 0, n)).toISOString() });
    let seq = nextSeq(platform);
    for (const n of [3, 1, 3, 2, 1]) platform.hub!.broadcast({ type: 'skill_update', data: version(n), timestamp: new Date().toISOString(), seq: seq++ });
    await eventually(() => agent.realtime.received.skill_update === 5, 2000, 'all five');
    expect(agent.store.skills.get(skill.skill_id)?.remote.version).toBe('1.3.0');
  });

  it('catches up over HTTP when a message\'s seq skips', async () => {
    const { platform, agent } = await setup();
    await eventually(() => isOpen(agent), 5000, 'the socket to open');
    await waitFor(agent.actors.syncCycle!, (s) => s.matches('idle'));
    const before = agent.store.syncState.get().totalSyncs;
    platform.hub!.broadcast({ type: 'skill_update', data: { ...makeSkill(3) }, timestamp: new Date().toISOString(), seq: nextSeq(platform) + 5 });
    await eventually(() => agent.realtime.seqGaps === 1, 2000, 'the gap');
    await eventually(() => agent.store.syncState.get().totalSyncs > before, 5000, 'the catch-up');
  });

  it('goes to unauthorized the moment the platform revokes the token of its open socket', async () => {
    const { platform, clock, agent } = await setup();
    await eventually(() => isOpen(agent), 5000, 'the socket to open');
    expect((await adminCall(platform, 'DELETE', `/api/v1/tokens/${INSTANCE_TOKEN}`)).status).toBe(200);
    await eventually(() => connection(agent).getSnapshot().value === 'unauthorized', 5000, 'unauthorized');
    expect(agent.store.websocketState.get()).toMatchObject({ state: 'unauthorized', lastDisconnectReason: '4401 token revoked' });
    clock.increment(3_600_000);
    expect(connection(agent).getSnapshot().value).toBe('unauthorized');
  });

  it('goes to unauthorized when the token is revoked, without a retry storm', async () => {
    const { platform, clock, agent } = await setup();
    await eventually(() => isOpen(agent), 5000, 'the socket to open');
    expect((await adminCall(platform, 'DELETE', `/api/v1/tokens/${INSTANCE_TOKEN}`)).status).toBe(200);
    connection(agent).send({ type: 'connection.reconnect' });
    await eventually(() => connection(agent).getSnapshot().value === 'unauthorized', 5000, 'unauthorized');
    expect(agent.store.websocketState.get()).toMatchObject({ state: 'unauthorized', lastDisconnectReason: 'HTTP 401 on upgrade' });
    clock.increment(3_600_000);
    expect(connection(agent).getSnapshot().value).toBe('unauthorized');
  });

  it('drops malformed JSON from a misbehaving peer and keeps the connection', async () => {
    const peer = new WebSocketServer({ host: '127.0.0.1', port: 0 });
    await new Promise((resolve) => peer.once('listening', resolve));
    cleanups.push(() => new Promise((resolve) => peer.close(() => resolve(undefined))));
    peer.on('connection', (socket) => {
      socket.send('{"type": "skill_update", "data": ');
      socket.send('definitely not json');
    });
    const { agent } = await setup({ wsUrl: `ws://127.0.0.1:${(peer.address() as AddressInfo).port}/ws` });
    await eventually(() => agent.realtime.dropped.malformed === 2, 5000, 'both frames counted');
    expect(isOpen(agent)).toBe(true);
  });
});

