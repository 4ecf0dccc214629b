// Three platform replicas (real processes) on one PostgreSQL and one Redis, behind nginx running
// deploy/nginx.conf: fan-out in seq order across replicas, a replica killed with SIGKILL,
// per-instance limits across replicas, revocation everywhere, and migrations run once.

import { connect as tcpConnect, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import pg from 'pg';
import { startPostgres, type PostgresServer } from '../support/postgres-server.ts';
import { startRedis, type RedisServer } from '../support/redis-server.ts';
import { startNginx, type NginxServer } from '../support/nginx-server.ts';
import { startReplica, type Replica } from '../support/platform-replicas.ts';
import { freePort, waitUntil } from '../support/free-port.ts';
import { eventually } from '../support/eventually.ts';
import type { PushMessage } from '../../src/platform/push/types.ts';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createAgent, type Agent } from '../../src/runtime/create-agent.ts';
import { agentConfig } from '../support/config.ts';

const ADMIN = 'replicas-admin-token-0123456789';
const AGENT = 'replicas-agent-token-0123456789';

let postgres: PostgresServer;
let redis: RedisServer;
let nginx: NginxServer;
let replicas: Replica[] = [];
let databaseUrl: string;
const sockets: WebSocket[] = [];
// The real agent, connected through nginx like any Atom instance.
let agent: Agent;
let agentDir: string;
const publishedIds: string[] = [];

beforeAll(async () => {
  [postgres, redis] = await Promise.all([startPostgres(), startRedis()]);
  databaseUrl = await postgres.createDatabase('replicas');
  const ports = await Promise.all([freePort(), freePort(), freePort()]);
  // Started together on an empty database: the migration must run exactly once.
  replicas = await Promise.all(ports.map((port) =>
    startReplica({ port, databaseUrl, redisUrl: redis.url, adminToken: ADMIN, devToken: AGENT })));
  nginx = await startNginx(ports);
  agentDir = mkdtempSync(join(tmpdir(), 'atom-replicas-agent-'));
  agent = createAgent({ config: agentConfig(agentDir, {
    ATOM_SAAS_API_URL: nginx.url, ATOM_SAAS_WS_URL: nginx.wsUrl, ATOM_SAAS_API_TOKEN: AGENT,
  }) });
  await agent.start();
  await eventually(() => agent.actors.connection?.getSnapshot().hasTag('realtime'), 30_000, 'the agent in real time');
}, 120_000);

/** The agent holds every published skill and has seen every seq up to `seq`. */
async function agentCaughtUp(seq: number): Promise<void> {
  await eventually(() => agent.store.syncState.get().highWaterSeq >= seq
    && publishedIds.every((id) => agent.store.skills.get(id) !== undefined), 30_000, `the agent at seq ${seq}`);
}

afterAll(async () => {
  await agent?.stop();
  if (agentDir) rmSync(agentDir, { recursive: true, force: true });
  for (const ws of sockets) ws.terminate();
  await Promise.all(replicas.map((r) => r.kill('SIGKILL')));
  await nginx?.stop();
  await redis?.stop();
  await postgres?.stop();
});

async function api(base: string, method: string, path: string, token: string, body?: unknown): Promise<{ status: number; json: any; headers: Headers }> {
  const res = await fetch(`${base}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, json: text ? JSON.parse(text) : undefined, headers: res.headers };
}

interface Client {
  ws: WebSocket;
  messages: PushMessage[];
  closed: Promise<number>;
}

async function subscribe(url: string, token = AGENT): Promise<Client> {
  const ws = new WebSocket(`${url}?token=${token}`);
  sockets.push(ws);
  const messages: PushMessage[] = [];
  ws.on('message', (data) => {
    const msg = JSON.parse(String(data)) as PushMessage;
    if ((msg.type as string) !== 'ping') messages.push(msg);
  });
  const closed = new Promise<number>((resolve) => ws.once('close', (code) => resolve(code)));
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  return { ws, messages, closed };
}

function expectConsecutive(messages: PushMessage[], from: number, to: number): void {
  expect(messages.map((m) => m.seq)).toEqual(Array.from({ length: to - from + 1 }, (_, i) => from + i));
}

async function highWater(): Promise<number> {
  return (await api(nginx.url, 'GET', '/api/v1/skills?page_size=1', AGENT)).json.high_water_seq as number;
}

describe('three replicas behind nginx', () => {
  it('migrated the schema once although the replicas started together', async () => {
    const client = new pg.Client({ connectionString: databaseUrl });
    await client.connect();
    const { rows } = await client.query('SELECT version, count(*)::int AS n FROM schema_migrations GROUP BY version');
    await client.end();
    expect(rows).toEqual([{ version: 1, n: 1 }]);
  });

  it('delivers updates published through any replica to every socket, in seq order, none missing', async () => {
    // Through nginx (least_conn spreads them) and directly on each replica, so every replica has sockets.
    const clients = await Promise.all([
      ...replicas.map((r) => subscribe(r.url.replace('http', 'ws') + '/ws')),
      subscribe(nginx.wsUrl), subscribe(nginx.wsUrl), subscribe(nginx.wsUrl),
    ]);
    const start = await highWater();
    expect((await api(replicas[0]!.url, 'POST', '/api/v1/categories', ADMIN, { name: 'fanout' })).status).toBe(201);
    const published = 30;
    // Three at a time, one per replica, concurrent: the admin token has 10 in-flight slots too.
    for (let i = 0; i < published; i += 3) {
      const statuses = await Promise.all([0, 1, 2].map((r) =>
        api(replicas[r]!.url, 'POST', '/api/v1/skills', ADMIN, { name: `Skill ${i + r}`, category: 'fanout' })));
      expect(statuses.map((res) => res.status)).toEqual([201, 201, 201]);
      publishedIds.push(...statuses.map((res) => res.json.skill_id as string));
    }
    const end = await highWater();
    // A category, and per skill a skill_update and a category_update.
    expect(end - start).toBe(1 + published * 2);
    for (const c of clients) {
      await eventually(() => c.messages.length >= end - start, 20_000, 'every change on every socket');
      expectConsecutive(c.messages, start + 1, end);
    }
    for (const c of clients) c.ws.close();
    await agentCaughtUp(end);
  });

  it('a replica killed with SIGKILL: its sockets reconnect through nginx to the others and catch up', async () => {
    // The victim is the replica the agent's socket is on (the test's own sockets are closed by now).
    const sockets = async (r: Replica) => Number(/^atom_saas_websocket_connections (\d+)/m.exec(await (await fetch(`${r.url}/metrics`)).text())?.[1] ?? 0);
    let victimIndex = -1;
    await waitUntil(async () => {
      const counts = await Promise.all(replicas.map(sockets));
      victimIndex = counts.indexOf(1);
      return counts.reduce((a, b) => a + b, 0) === 1;
    }, 10_000, 'only the agent connected');
    const victim = replicas[victimIndex]!;
    const onVictim = await subscribe(victim.url.replace('http', 'ws') + '/ws');
    onVictim.messages.length = 0;
    await victim.kill('SIGKILL');
    await onVictim.closed;
    // Changes committed while the client was away...
    for (let i = 0; i < 5; i++) {
      const res = await api(nginx.url, 'POST', '/api/v1/skills', ADMIN, { name: `Gap ${i}`, category: 'fanout' });
      expect(res.status).toBe(201);
      publishedIds.push(res.json.skill_id);
    }
    // ...then the reconnect through nginx, which routes around the dead replica.
    const again = await subscribe(nginx.wsUrl);
    const listing = await api(nginx.url, 'GET', `/api/v1/skills?page_size=1000&category=fanout`, AGENT);
    expect(listing.status).toBe(200);
    expect(listing.json.skills.map((s: any) => s.name)).toEqual(expect.arrayContaining(['Gap 0', 'Gap 4']));
    const last = listing.json.high_water_seq as number;
    for (let i = 0; i < 5; i++) {
      const res = await api(nginx.url, 'POST', '/api/v1/skills', ADMIN, { name: `After ${i}`, category: 'fanout' });
      expect(res.status).toBe(201);
      publishedIds.push(res.json.skill_id);
    }
    await eventually(() => again.messages.length >= 10, 20_000, 'changes after the reconnect');
    // Pushes continue exactly where the catch-up listing left off.
    expectConsecutive(again.messages, last + 1, last + 10);
    again.ws.close();
    // The agent, wherever nginx had put it, ends with everything (its socket, if it was on the
    // dead replica, reconnected through nginx and caught up over HTTP).
    await agentCaughtUp(last + 10);
    replicas = replicas.filter((r) => r !== victim);
  });

  it('holds 100 requests a minute and 10 in flight per instance across the replicas', async () => {
    const token = (await api(nginx.url, 'POST', '/api/v1/tokens', ADMIN, { instance_id: 'limited' })).json.token as string;
    const statuses: number[] = [];
    for (let i = 0; i < 120; i++) statuses.push((await api(replicas[i % 2]!.url, 'GET', '/api/v1/categories', token)).status);
    expect(statuses.filter((s) => s === 200)).toHaveLength(100);
    expect(statuses.slice(100).every((s) => s === 429)).toBe(true);

    // In flight: requests whose body never arrives hold their slot; the 11th and 12th are refused at once.
    const held = (await api(nginx.url, 'POST', '/api/v1/tokens', ADMIN, { instance_id: 'held' })).json.token as string;
    const answers: string[] = [];
    const open: Socket[] = [];
    for (let i = 0; i < 12; i++) {
      const port = replicas[i % 2]!.port;
      const socket = tcpConnect(port, '127.0.0.1');
      open.push(socket);
      socket.on('data', (d) => answers.push(d.toString()));
      socket.on('error', () => undefined);
      await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
      socket.write(`POST /api/v1/ratings HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${held}\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n`);
      // One at a time, so "first ten" is well defined.
      await new Promise((r) => setTimeout(r, 100));
    }
    await eventually(() => answers.length >= 2, 10_000, 'two refusals');
    await new Promise((r) => setTimeout(r, 300));
    expect(answers).toHaveLength(2);
    for (const a of answers) expect(a).toMatch(/^HTTP\/1\.1 429/);
    for (const s of open) s.destroy();
  });

  it('closes a revoked token’s sockets on every replica', async () => {
    const token = (await api(nginx.url, 'POST', '/api/v1/tokens', ADMIN, { instance_id: 'revoked' })).json.token as string;
    const clients = await Promise.all(replicas.map((r) => subscribe(r.url.replace('http', 'ws') + '/ws', token)));
    expect((await api(replicas[0]!.url, 'DELETE', `/api/v1/tokens/${token}`, ADMIN)).status).toBe(200);
    const codes = await Promise.all(clients.map((c) => c.closed));
    expect(codes).toEqual(replicas.map(() => 4401));
  });
});
