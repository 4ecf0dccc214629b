// bench/admin: p50/p99 of GET /api/admin/sync/status and /health/sync at 500 requests/s while the agent
// runs a 100,000-skill full sync, beside the raw limit measured in the same run: the same load on the
// same agent once the sync is over. The agent is the real CLI (`atom-sync agent`) in its own process,
// the platform in another, and the load generator here, so the numbers show how long the sync holds
// the agent's event loop, not this process's.
//   node bin/run-ts.js bench/admin/latency.ts [skills]
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Pool } from 'undici';
import { runAtFixedRate } from '../lib/fixed-rate.ts';
import { summarize, formatNumber } from '../lib/percentiles.ts';
import { startPlatformProcess } from '../lib/platform-process.ts';

const SKILLS = Number(process.argv[2] ?? 100_000);
const RATE = 500;
const TOKEN = 'bench-instance-token-0123456789';
const ADMIN = 'bench-admin-token-0123456789abcdef';
const CLI = fileURLToPath(new URL('../../bin/atom-sync.js', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'atom-bench-admin-'));

async function measure(pool: Pool, durationMs: number) {
  const paths = ['/api/admin/sync/status', '/health/sync'];
  const result = await runAtFixedRate({
    ratePerSecond: RATE, durationMs, maxInFlight: 200,
    task: async (i) => {
      const res = await pool.request({ method: 'GET', path: paths[i % 2]!, headers: { authorization: `Bearer ${ADMIN}` } });
      await res.body.dump();
      if (res.statusCode >= 500 && res.statusCode !== 503) throw new Error(`HTTP ${res.statusCode}`);
    },
  });
  return { ...summarize(result.latenciesMs), errors: result.errors, dropped: result.dropped };
}

const platform = await startPlatformProcess({ db: join(dir, 'platform.db'), skills: SKILLS, token: TOKEN });
const agent = spawn(process.execPath, [CLI, 'agent'], {
  env: {
    PATH: process.env.PATH ?? '', ATOM_SAAS_API_URL: platform.url, ATOM_SAAS_API_TOKEN: TOKEN, ATOM_ADMIN_TOKEN: ADMIN,
    ATOM_DB_PATH: join(dir, 'agent.db'), ATOM_HTTP_PORT: '0', ATOM_SAAS_WS_ENABLED: 'false', ATOM_LOG_LEVEL: 'info',
  },
  stdio: ['ignore', 'pipe', 'inherit'],
});
try {
  // The shell listens before the initial sync starts: load it while the 100k sync runs.
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`agent shell did not start: ${out.slice(-500)}`)), 60_000);
    agent.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const match = /"url":"(http:\/\/[^"]+)"/.exec(out);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]!);
      }
    });
  });
  const pool = new Pool(url, { connections: 16 });
  const status = async () => {
    const res = await pool.request({ method: 'GET', path: '/api/admin/sync/status', headers: { authorization: `Bearer ${ADMIN}` } });
    return (await res.body.json()) as { sync: { status: string }; cache: { skills_count: number } };
  };
  // The agent's own view: event-loop lag over an interval (prom-client resets it at each scrape).
  const loopLag = async () => {
    const res = await pool.request({ method: 'GET', path: '/metrics' });
    const text = await res.body.text();
    const read = (name: string) => Number(new RegExp(`^atom_agent_nodejs_eventloop_lag_${name}_seconds (\\S+)$`, 'm').exec(text)?.[1] ?? Number.NaN) * 1000;
    return { p99: read('p99'), max: read('max') };
  };
  await loopLag();
  const syncStarted = performance.now();
  const during = await measure(pool, 6000);
  const lagDuring = await loopLag();
  const skillsAfterLoad = (await status()).cache.skills_count;
  for (;;) {
    const s = await status();
    if (s.cache.skills_count >= SKILLS && s.sync.status === 'idle') break;
    if (performance.now() - syncStarted > 10 * 60_000) throw new Error('the sync did not finish in 10 minutes');
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  const syncMs = performance.now() - syncStarted;
  await loopLag();
  const idle = await measure(pool, 6000);
  const lagIdle = await loopLag();
  await pool.close();

  console.log(`bench/admin: GET /api/admin/sync/status and /health/sync alternating at ${RATE} req/s for 6 s`);
  console.log(`(the full sync of ${SKILLS} skills took ${(syncMs / 1000).toFixed(1)} s; ${skillsAfterLoad} were in the cache when the loaded window ended)`);
  console.log('');
  console.log('| window | p50 ms | p99 ms | max ms | errors | goal |');
  console.log('| --- | --- | --- | --- | --- | --- |');
  console.log(`| raw limit: same agent, sync over |${formatNumber(idle.p50)} |${formatNumber(idle.p99)} |${formatNumber(idle.max)} | ${idle.errors + idle.dropped} | |`);
  console.log(`| during the full sync |${formatNumber(during.p50)} |${formatNumber(during.p99)} |${formatNumber(during.max)} | ${during.errors + during.dropped} | p99 < 5 ms |`);
  console.log(`| ratio |${formatNumber(during.p50 / idle.p50)} |${formatNumber(during.p99 / idle.p99)} | | | |`);
  console.log('');
  console.log(`agent event-loop lag (its own histogram): during the sync p99 ${lagDuring.p99.toFixed(1)} ms, max ${lagDuring.max.toFixed(1)} ms; idle p99 ${lagIdle.p99.toFixed(1)} ms, max ${lagIdle.max.toFixed(1)} ms`);
} finally {
  agent.kill('SIGTERM');
  await new Promise((resolve) => agent.once('exit', resolve));
  await platform.stop();
  rmSync(dir, { recursive: true, force: true });
}
