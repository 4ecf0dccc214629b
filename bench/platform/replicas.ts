// One replica against three, on PostgreSQL + Redis, in the same run:
//  1. publish → received latency for REPLICA_SOCKETS WebSocket clients (default 5,000), all on one
//     replica, then spread evenly over three (each publish goes through the next replica in turn);
//  2. GET /api/v1/skills page throughput against one replica, then round-robin over three.
//
//   node bin/run-ts.js bench/platform/replicas.ts
//
// Replicas are real `atom-sync platform --database-url --redis-url` processes; PostgreSQL,
// redis-server and the client fleet run on the same machine, so on a small box the three replicas
// share its cores with everything else: the figures show what fan-out across replicas costs, not
// what more machines would buy.

import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import { hashToken } from '../../src/platform/db/tokens.ts';
import { startPostgres } from '../../test/support/postgres-server.ts';
import { startRedis } from '../../test/support/redis-server.ts';
import { startReplica, type Replica } from '../../test/support/platform-replicas.ts';
import { freePort } from '../../test/support/free-port.ts';
import { formatNumber, summarize } from '../lib/percentiles.ts';
import { ClientFleet, monotonicMicros } from '../lib/ws-client-fleet.ts';

const SOCKETS = Number(process.env.REPLICA_SOCKETS ?? 5000);
const PUBLISHES = Number(process.env.REPLICA_PUBLISHES ?? 40);
const PUBLISH_INTERVAL_MS = 100;
const SKILLS = 5000;
const PAGE_SECONDS = Number(process.env.REPLICA_PAGE_SECONDS ?? 8);
const PAGE_WORKERS = 12;
const ADMIN = 'bench-replicas-admin-0123456789';
// The push hub admits 10 connection attempts per token per minute: one token per 10 sockets.
const tokens = Array.from({ length: Math.ceil(SOCKETS / 10) }, (_, i) => `bench-replica-token-${i}-0123456789`);

async function api(url: string, method: string, path: string, token: string, body?: unknown): Promise<number> {
  const res = await fetch(`${url}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  await res.arrayBuffer();
  return res.status;
}

async function fanout(fleet: ClientFleet, targets: Replica[], skillId: string): Promise<{ p50: number; p99: number; missing: number }> {
  const urls = Array.from({ length: SOCKETS }, (_, i) => `${targets[i % targets.length]!.url.replace('http', 'ws')}/ws?token=${tokens[Math.floor(i / 10)]}`);
  await fleet.connect(urls);
  await sleep(500);
  const { results } = await fleet.arm(PUBLISHES, 60_000);
  for (let i = 0; i < PUBLISHES; i++) {
    const via = targets[i % targets.length]!;
    const status = await api(via.url, 'PUT', `/api/v1/skills/${skillId}`, ADMIN, { metadata: { sent_us: monotonicMicros() } });
    if (status !== 200) throw new Error(`publish answered ${status}`);
    await sleep(PUBLISH_INTERVAL_MS);
  }
  const got = await results;
  await fleet.disconnect();
  // Sockets are spread by token; give the attempt windows no chance to matter between runs.
  const ms = summarize(got.latenciesUs.map((us) => us / 1000));
  return { p50: ms.p50, p99: ms.p99, missing: got.expected - got.received };
}

async function pages(targets: Replica[]): Promise<number> {
  const deadline = performance.now() + PAGE_SECONDS * 1000;
  let done = 0;
  await Promise.all(Array.from({ length: PAGE_WORKERS }, async (_, w) => {
    // One token per worker: each instance may have 10 requests in flight.
    const token = tokens[w]!;
    let n = 0;
    while (performance.now() < deadline) {
      const via = targets[(w + n) % targets.length]!;
      const page = 1 + ((w * 7 + n) % 50);
      const status = await api(via.url, 'GET', `/api/v1/skills?page=${page}&page_size=100`, token);
      if (status !== 200) throw new Error(`page answered ${status}`);
      n += 1;
      done += 1;
    }
  }));
  return done / PAGE_SECONDS;
}

const postgres = await startPostgres();
const redis = await startRedis();
const replicas: Replica[] = [];
const fleet = await ClientFleet.launch();
try {
  const databaseUrl = await postgres.createDatabase('bench');
  const ports = [await freePort(), await freePort(), await freePort()];
  replicas.push(...await Promise.all(ports.map((port) => startReplica({
    port, databaseUrl, redisUrl: redis.url, adminToken: ADMIN, rateLimit: 1_000_000_000, seed: SKILLS,
  }))));
  const db = new pg.Client({ connectionString: databaseUrl });
  await db.connect();
  await db.query(`INSERT INTO tokens (token_hash, instance_id, description, created_at)
    SELECT unnest($1::text[]), 'bench', 'bench', 0`, [tokens.map(hashToken)]);
  const { rows } = await db.query<{ skill_id: string }>('SELECT skill_id FROM skills ORDER BY id LIMIT 1');
  await db.end();
  const skillId = rows[0]!.skill_id;

  console.log(`${SOCKETS} sockets, ${PUBLISHES} publishes at ${1000 / PUBLISH_INTERVAL_MS}/s; ${SKILLS} skills; PostgreSQL 15 + Redis on this machine`);
  const one = await fanout(fleet, replicas.slice(0, 1), skillId);
  await sleep(1000);
  const three = await fanout(fleet, replicas, skillId);
  const pagesOne = await pages(replicas.slice(0, 1));
  const pagesThree = await pages(replicas);
  console.log('\n| setup | publish → received p50 (ms) | p99 (ms) | missing | pages/s (100 skills) |');
  console.log('|---|---|---|---|---|');
  console.log(`| 1 replica  | ${formatNumber(one.p50)} | ${formatNumber(one.p99)} | ${one.missing} | ${formatNumber(pagesOne, 8, 0)} |`);
  console.log(`| 3 replicas | ${formatNumber(three.p50)} | ${formatNumber(three.p99)} | ${three.missing} | ${formatNumber(pagesThree, 8, 0)} |`);
} finally {
  await fleet.close();
  await Promise.all(replicas.map((r) => r.kill('SIGTERM')));
  await redis.stop();
  await postgres.stop();
}
