// Fan-out latency of the platform's push hub against the raw limit measured in the same run:
// a bare `ws` WebSocketServer that serializes once and loops over its clients, with no auth,
// heartbeat, rate limits, slow-consumer checks or metrics.
//
//   node bin/run-ts.js bench/platform/fanout.ts          (FANOUT_CLIENTS=500 by default)
//
// Clients live in a child process (bench/lib/ws-client-fleet.ts). Latency is send → receipt per
// (client, message), so it includes the serial cost of reaching the last client of the loop.

import { once } from 'node:events';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import Fastify from 'fastify';
import { Registry } from 'prom-client';
import { WebSocketServer } from 'ws';
import { registerPushHub } from '../../src/platform/push/hub.ts';
import type { PushMessage } from '../../src/platform/push/types.ts';
import { formatNumber, summarize, type Summary } from '../lib/percentiles.ts';
import { ClientFleet, monotonicMicros } from '../lib/ws-client-fleet.ts';

const CLIENTS = Number(process.env.FANOUT_CLIENTS ?? 500);
const MESSAGES = Number(process.env.FANOUT_MESSAGES ?? 200);
const RATE_PER_SECOND = 100;
const WARMUP_MESSAGES = 20;
const ROUNDS = Number(process.env.FANOUT_ROUNDS ?? 3);
const DELIVERY_TIMEOUT_MS = 10_000;
const HARD_DEADLINE_MS = 58_000;

interface Target {
  name: string;
  urls: string[];
  broadcast: (message: PushMessage) => void;
  stop: () => Promise<void>;
}

interface RunResult {
  latenciesMs: number[];
  broadcastCostMs: number[];
  missing: number;
}

const tokens = Array.from({ length: CLIENTS }, (_, i) => `bench-token-${String(i).padStart(5, '0')}-0123456789`);

async function startHub(): Promise<Target> {
  const known = new Set(tokens);
  const app = Fastify({ logger: false });
  const hub = registerPushHub(app, {
    registry: new Registry(),
    authenticate: (token) => (known.has(token) ? { instanceId: token.slice(12, 17) } : null),
  });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const address = app.server.address();
  if (address === null || typeof address === 'string') throw new Error('no TCP address');
  return {
    name: 'push hub',
    urls: tokens.map((token) => `ws://127.0.0.1:${address.port}/ws?token=${token}`),
    broadcast: (message) => hub.broadcast(message),
    stop: () => app.close(),
  };
}

async function startRaw(): Promise<Target> {
  const wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  await once(wss, 'listening');
  const address = wss.address();
  if (address === null || typeof address === 'string') throw new Error('no TCP address');
  return {
    name: 'raw ws',
    urls: tokens.map(() => `ws://127.0.0.1:${address.port}/`),
    broadcast(message) {
      const frame = Buffer.from(JSON.stringify(message));
      for (const client of wss.clients) client.send(frame, { binary: false });
    },
    async stop() {
      for (const client of wss.clients) client.terminate();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
    },
  };
}

/** A realistic skill_update (~1 KB), stamped with its send time. */
function skillUpdate(seq: number): PushMessage {
  return {
    type: 'skill_update',
    seq,
    timestamp: new Date().toISOString(),
    data: {
      skill_id: `0b7d3f52-8c1e-4f7a-9a51-${String(seq).padStart(12, '0')}`,
      name: 'Send Email',
      description: 'Send emails via SMTP with retries and templating',
      version: `1.0.${seq}`,
      code: 'def send_email(to, subject, body):\n    ...\n'.repeat(16),
      command: 'python',
      python_packages: ['smtplib'],
      npm_packages: [],
      tags: ['email', 'automation'],
      metadata: {},
      category: 'automation',
      average_rating: 4.5,
      rating_count: 42,
      updated_at: new Date().toISOString(),
      sent_us: monotonicMicros(),
    },
  };
}

async function stream(target: Target, fleet: ClientFleet, count: number, firstSeq: number): Promise<RunResult> {
  const { results } = await fleet.arm(count, DELIVERY_TIMEOUT_MS);
  const broadcastCostMs: number[] = [];
  const intervalMs = 1000 / RATE_PER_SECOND;
  const start = performance.now();
  for (let i = 0; i < count; i++) {
    // A fixed schedule, not a fixed sleep: a slow broadcast does not push the next one back.
    const wait = start + i * intervalMs - performance.now();
    if (wait > 0) await sleep(wait);
    const message = skillUpdate(firstSeq + i);
    const before = performance.now();
    target.broadcast(message);
    broadcastCostMs.push(performance.now() - before);
  }
  const outcome = await results;
  return {
    latenciesMs: outcome.latenciesUs.map((us) => us / 1000),
    broadcastCostMs,
    missing: outcome.expected - outcome.received,
  };
}

async function measure(start: () => Promise<Target>, fleet: ClientFleet): Promise<RunResult & { name: string }> {
  const target = await start();
  try {
    await fleet.connect(target.urls);
    await stream(target, fleet, WARMUP_MESSAGES, 1);
    const result = await stream(target, fleet, MESSAGES, 1 + WARMUP_MESSAGES);
    return { name: target.name, ...result };
  } finally {
    await fleet.disconnect();
    await target.stop();
  }
}

function row(label: string, s: Summary): string {
  return `${label.padEnd(22)}${formatNumber(s.p50)}${formatNumber(s.p95)}${formatNumber(s.p99)}${formatNumber(s.max)}`;
}

async function main(): Promise<void> {
  const deadline = setTimeout(() => {
    console.error(`fanout bench: gave up after ${HARD_DEADLINE_MS / 1000} s`);
    process.exit(1);
  }, HARD_DEADLINE_MS);
  deadline.unref();
  const began = performance.now();
  const fleet = await ClientFleet.launch();
  const runs: Array<RunResult & { name: string; round: number }> = [];
  try {
    // Interleaved and in alternating order, so drift in the machine's load hits both sides alike.
    for (let round = 1; round <= ROUNDS; round++) {
      const order = round % 2 === 1 ? [startRaw, startHub] : [startHub, startRaw];
      for (const start of order) runs.push({ ...(await measure(start, fleet)), round });
    }
  } finally {
    await fleet.close();
  }

  const of = (name: string, pick: (r: RunResult) => number[], round?: number): number[] =>
    runs.filter((r) => r.name === name && (round === undefined || r.round === round)).flatMap(pick);
  const latency = (r: RunResult): number[] => r.latenciesMs;
  const cost = (r: RunResult): number[] => r.broadcastCostMs;
  const ratioRow = (label: string, hub: Summary, raw: Summary): string =>
    `${label.padEnd(22)}${formatNumber(hub.p50 / raw.p50)}${formatNumber(hub.p95 / raw.p95)}` +
    `${formatNumber(hub.p99 / raw.p99)}${formatNumber(hub.max / raw.max)}`;
  const header = `${''.padEnd(22)}     p50     p95     p99     max`;

  console.log(
    `fan-out: ${CLIENTS} clients × ${MESSAGES} messages (~1 KB skill_update) at ${RATE_PER_SECOND}/s, ` +
      `${ROUNDS} interleaved rounds, clients in a child process`,
  );
  console.log(`\nsend → receipt latency per (client, message), ms\n${header}`);
  const roundRatios: Summary[] = [];
  for (let round = 1; round <= ROUNDS; round++) {
    const raw = summarize(of('raw ws', latency, round));
    const hub = summarize(of('push hub', latency, round));
    console.log(row(`round ${round} raw ws`, raw));
    console.log(row(`round ${round} push hub`, hub));
    console.log(ratioRow(`round ${round} hub/raw`, hub, raw));
    roundRatios.push({ ...hub, p50: hub.p50 / raw.p50, p95: hub.p95 / raw.p95, p99: hub.p99 / raw.p99, max: hub.max / raw.max });
  }
  const raw = summarize(of('raw ws', latency));
  const hub = summarize(of('push hub', latency));
  console.log(row('all raw ws (limit)', raw));
  console.log(row('all push hub', hub));
  console.log(ratioRow('all ratio hub/raw', hub, raw));
  // Load from other processes moves whole rounds; the median round ratio resists one bad round.
  const medianOf = (pick: (s: Summary) => number): number => summarize(roundRatios.map(pick)).p50;
  console.log(
    `${'median round ratio'.padEnd(22)}${formatNumber(medianOf((s) => s.p50))}${formatNumber(medianOf((s) => s.p95))}` +
      `${formatNumber(medianOf((s) => s.p99))}${formatNumber(medianOf((s) => s.max))}`,
  );

  const rawCost = summarize(of('raw ws', cost));
  const hubCost = summarize(of('push hub', cost));
  console.log(`\nbroadcast() call, ms: server time to queue one message to all ${CLIENTS}\n${header}`);
  console.log(row('raw ws (limit)', rawCost));
  console.log(row('push hub', hubCost));
  console.log(ratioRow('ratio hub/raw', hubCost, rawCost));

  const missing = runs.reduce((sum, r) => sum + r.missing, 0);
  console.log(`\ndeliveries measured: raw ${raw.count}, hub ${hub.count}; missing ${missing}`);
  console.log(`total ${((performance.now() - began) / 1000).toFixed(1)} s`);
  if (missing > 0) process.exitCode = 1;
}

await main();
