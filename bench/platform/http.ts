// HTTP latency of the reference platform's GET /api/v1/skills against the raw limit measured in
// the same run: the very same SQL statements executed directly on better-sqlite3 (the page query,
// which already builds each skill's JSON, and the total), with no HTTP, auth, validation or
// envelope in between. Like the server, the raw side caches totals per seq (the catalog does not
// change during the bench); the "uncached" column re-counts on every call.
//
//   node bin/run-ts.js bench/platform/http.ts
//   HTTP_BENCH_SKILLS=100000 HTTP_BENCH_RATE=200 HTTP_BENCH_SECONDS=10 (defaults);
//   HTTP_BENCH_ONLY=cursor runs only the scenarios whose name contains it
//
// Unthrottled on purpose (--rate-limit 1000000000): this measures what the server can serve, the
// capacity behind many instances; one token at spec 000's 100 requests a minute would measure the
// limiter. bench/sync faces the limits from the agent's side.
//
// The server is the real CLI (`atom-sync platform --seed N`) in a child process, so the load
// generator and the server do not share an event loop. Requests are open-loop at a fixed rate;
// latency counts from the scheduled start (see bench/lib/fixed-rate.ts).

import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import Database from 'better-sqlite3';
import { Pool } from 'undici';
import { createListPlanner, type ListParams } from '../../src/platform/db/list-plan.ts';
import { encodeCursor, filterFingerprint } from '../../src/platform/cursor.ts';
import { createPrng } from '../../src/platform/seed/prng.ts';
import { runAtFixedRate } from '../lib/fixed-rate.ts';
import { formatNumber, summarize, type Summary } from '../lib/percentiles.ts';

const SKILLS = Number(process.env.HTTP_BENCH_SKILLS ?? 100_000);
const RATE = Number(process.env.HTTP_BENCH_RATE ?? 200);
const DURATION_MS = Number(process.env.HTTP_BENCH_SECONDS ?? 10) * 1000;
const WARMUP_REQUESTS = 300;
const RAW_ITERATIONS = 2000;
const HARD_DEADLINE_MS = 150_000;
const TOKEN = 'bench-token-0123456789abcdef';
const QUERIES = ['email', 'invoice', 'slack message', 'pdf report', 'backup', 'csv', 'translate', 'monitor alerts',
  'calendar event', 'ocr', 'sync', 'docker image', 'webhook retry', 'lead', 'encrypt'];

interface Scenario {
  name: string;
  /** The i-th request: its URL path and the same listing as lister parameters. */
  request(i: number): { path: string; params: ListParams };
}

const dir = mkdtempSync(join(tmpdir(), 'atom-platform-bench-'));
const dbPath = join(dir, 'platform.db');
const deadline = setTimeout(() => {
  process.stderr.write(`bench: hard deadline of ${HARD_DEADLINE_MS / 1000} s reached\n`);
  server.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
  process.exit(1);
}, HARD_DEADLINE_MS);
deadline.unref();

process.stdout.write(`seeding ${SKILLS} skills and starting the platform (atom-sync platform --seed ${SKILLS}) ...\n`);
// HTTP_BENCH_NODE_ARGS="--cpu-prof --cpu-prof-dir=/tmp/prof" profiles the server side.
const nodeArgs = (process.env.HTTP_BENCH_NODE_ARGS ?? '').split(' ').filter(Boolean);
const server = spawn(process.execPath, [...nodeArgs, resolve('bin/atom-sync.js'), 'platform', '--port', '0', '--db', dbPath,
  '--seed', String(SKILLS), '--dev-token', TOKEN, '--rate-limit', '1000000000', '--log-level', 'warn'],
{ stdio: ['ignore', 'pipe', 'inherit'] });
let serverOut = '';
server.stdout.on('data', (d: Buffer) => { serverOut += d.toString(); });
const url = await waitFor(() => /listening on (http:\/\/[^\s]+) /.exec(serverOut)?.[1], 90_000);
process.stdout.write(serverOut.split('\n').filter((l) => l.includes('seeded')).join('\n') + '\n');

const raw = new Database(dbPath, { readonly: true });
const plan = createListPlanner(raw, { version: () => 0 });
const planUncached = createListPlanner(raw);
const positions = samplePositions(raw, 400);
const pool = new Pool(url, { connections: 16, keepAliveTimeout: 30_000 });

const scenarios: Scenario[] = [
  {
    name: 'page_size=100&page=N',
    request: (i) => {
      const page = 1 + ((i * 7919) % Math.max(1, Math.floor(SKILLS / 100)));
      return { path: `/api/v1/skills?page_size=100&page=${page}`, params: { pageSize: 100, page, includeDeleted: false } };
    },
  },
  {
    name: 'page_size=100&cursor=C',
    request: (i) => {
      const at = positions[i % positions.length] as { u: number; id: string };
      const cursor = encodeCursor({ ...at, p: 2, f: filterFingerprint({}) });
      return { path: `/api/v1/skills?page_size=100&cursor=${cursor}`, params: { pageSize: 100, page: 1, includeDeleted: false, after: at } };
    },
  },
  {
    name: 'page_size=100&query=Q',
    request: (i) => {
      const query = QUERIES[i % QUERIES.length] as string;
      return {
        path: `/api/v1/skills?page_size=100&query=${encodeURIComponent(query)}`,
        params: { pageSize: 100, page: 1, includeDeleted: false, query },
      };
    },
  },
];

interface Row {
  name: string; http: Summary; errors: number; dropped: number; kb: number; sql: Summary; uncached: Summary;
  /** Server-side mean handling time and CPU per request, from the server's own /metrics. */
  serverMs: number; cpuMs: number;
}
const rows: Row[] = [];
const only = process.env.HTTP_BENCH_ONLY;
for (const scenario of scenarios.filter((sc) => !only || sc.name.includes(only))) {
  let bytes = 0;
  let ok = 0;
  const send = async (i: number): Promise<void> => {
    const res = await pool.request({ method: 'GET', path: scenario.request(i).path, headers: { authorization: `Bearer ${TOKEN}` } });
    // Discarding the body (its length is in the header) keeps the load generator's CPU off the scale.
    await res.body.dump({ limit: Number.POSITIVE_INFINITY });
    if (res.statusCode !== 200) throw new Error(`status ${res.statusCode}`);
    bytes += Number(res.headers['content-length'] ?? 0);
    ok++;
  };
  for (let i = 0; i < WARMUP_REQUESTS; i++) await send(100_000 + i);
  bytes = 0;
  ok = 0;
  const before = await serverCounters();
  const run = await runAtFixedRate({ ratePerSecond: RATE, durationMs: DURATION_MS, maxInFlight: 256, task: send });
  const after = await serverCounters();
  const served = after.requests - before.requests;
  const runSql = (planner: typeof plan) => (i: number) => {
    const planned = planner(scenario.request(i).params);
    planned?.rows();
    planned?.total();
  };
  const sql = timeEach(RAW_ITERATIONS, runSql(plan));
  const uncached = timeEach(RAW_ITERATIONS, runSql(planUncached));
  rows.push({
    name: scenario.name, http: summarize(run.latenciesMs), errors: run.errors, dropped: run.dropped,
    kb: ok === 0 ? 0 : bytes / ok / 1024, sql: summarize(sql), uncached: summarize(uncached),
    serverMs: ((after.seconds - before.seconds) / served) * 1000, cpuMs: ((after.cpu - before.cpu) / served) * 1000,
  });
}

await pool.close();
raw.close();
server.kill('SIGTERM');
await waitFor(() => (server.exitCode !== null ? true : undefined), 10_000).catch(() => server.kill('SIGKILL'));
rmSync(dir, { recursive: true, force: true });
printTable(rows);

// ---------------------------------------------------------------------------------------------

/** The server's request count and time for GET /api/v1/skills, and its process CPU, from /metrics. */
async function serverCounters(): Promise<{ requests: number; seconds: number; cpu: number }> {
  const res = await pool.request({ method: 'GET', path: '/metrics' });
  const text = await res.body.text();
  const value = (pattern: RegExp): number => Number(pattern.exec(text)?.[1] ?? Number.NaN);
  const labels = 'endpoint="/api/v1/skills",method="GET",status="200"';
  return {
    requests: value(new RegExp(`atom_saas_api_request_duration_seconds_count\\{${labels}\\} (\\S+)`)),
    seconds: value(new RegExp(`atom_saas_api_request_duration_seconds_sum\\{${labels}\\} (\\S+)`)),
    cpu: value(/^atom_saas_platform_process_cpu_seconds_total (\S+)$/m),
  };
}

function timeEach(n: number, fn: (i: number) => void): number[] {
  for (let i = 0; i < 100; i++) fn(100_000 + i);
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    fn(i);
    out.push(performance.now() - t);
  }
  return out;
}

/** Keyset positions spread over the catalog, chosen with a seeded PRNG so runs compare. */
function samplePositions(db: Database.Database, n: number): { u: number; id: string }[] {
  const all = db.prepare('SELECT updated_at AS u, skill_id AS id FROM skills ORDER BY updated_at, skill_id').all() as { u: number; id: string }[];
  const rng = createPrng(42);
  return Array.from({ length: n }, () => all[rng.int(0, Math.max(0, all.length - 101))] as { u: number; id: string });
}

async function waitFor<T>(probe: () => T | undefined, timeoutMs: number): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value !== undefined) return value;
    if (Date.now() > until) throw new Error('bench: timed out waiting for the platform');
    if (server.exitCode !== null) throw new Error(`bench: the platform exited with ${server.exitCode}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

function printTable(results: Row[]): void {
  const f = (v: number) => formatNumber(v, 7, 2);
  const line = '-'.repeat(127);
  process.stdout.write([
    '',
    `GET /api/v1/skills over HTTP at ${RATE} req/s for ${DURATION_MS / 1000} s per scenario, ${SKILLS} skills`,
    `raw limit: the same SQL on better-sqlite3 in this process (${RAW_ITERATIONS} runs, totals cached per seq as the server does;`,
    '"uncached p99" counts every time). ratio = http p99 / sql p99',
    line,
    `${'scenario'.padEnd(24)}${'http p50'.padStart(9)}${'p95'.padStart(8)}${'p99'.padStart(8)}${'max'.padStart(8)}` +
      `${'sql p50'.padStart(9)}${'p95'.padStart(8)}${'p99'.padStart(8)}${'uncached p99'.padStart(13)}` +
      `${'ratio p99'.padStart(11)}${'srv ms'.padStart(8)}${'cpu ms'.padStart(8)}${'KiB'.padStart(7)}${'err/drop'.padStart(10)}`,
    line,
    ...results.map((r) =>
      `${r.name.padEnd(24)}${f(r.http.p50).padStart(9)}${f(r.http.p95).padStart(8)}${f(r.http.p99).padStart(8)}${f(r.http.max).padStart(8)}` +
      `${f(r.sql.p50).padStart(9)}${f(r.sql.p95).padStart(8)}${f(r.sql.p99).padStart(8)}${f(r.uncached.p99).padStart(13)}` +
      `${formatNumber(r.http.p99 / r.sql.p99, 10, 1)}x${f(r.serverMs).padStart(8)}${f(r.cpuMs).padStart(8)}${formatNumber(r.kb, 7, 0)}` +
      `${`${r.errors}/${r.dropped}`.padStart(10)}`),
    line,
    'times in ms. "srv ms" and "cpu ms": mean time inside the server and server CPU per request (its /metrics).',
    'spec 000 target: P95 < 200 ms. ours: P99 < 20 ms.',
    ...results.map((r) => `  ${r.name.padEnd(24)} P95 ${r.http.p95 < 200 ? 'meets' : 'MISSES'} the spec target; P99 ${r.http.p99 < 20 ? 'meets' : 'MISSES'} ours`),
    '',
  ].join('\n'));
}
