// bench/sync, first at spec 000's limits (100 requests a minute, 10 in flight per token, pages of at
// most 1000), the headline: `atom-sync sync --once` on its default configuration against a
// 100,000-skill platform, beside the budget floor measured in the same run (bench/lib/budget-floor.ts:
// the least time any client needs at those limits), with the 429s each received.
//
// Then unthrottled, the second line: a full sync of 100,000 skills from the reference platform (its own process on
// 127.0.0.1) through the whole agent (charts, validation, conflict checks, checkpoints), beside the
// raw limit measured in the same run: undici fetching the same pages with the same prefetch, and
// one plain better-sqlite3 upsert per row into the same skill_cache table (same schema and indexes),
// a transaction per page; no statecharts, no validation, no conflict checks, no checkpoint. Also: 1,000 skills end to end,
// an incremental catch-up when nothing changed, and the agent's peak RSS during the big sync.
//   node bin/run-ts.js bench/sync/full-sync.ts [skills]   (SYNC_BENCH_ONLY=limits|unthrottled runs one part)
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase } from '../../src/store/database.ts';
import { Agent, request } from 'undici';
import { waitFor } from 'xstate';
import { loadConfigOrThrow } from '../../src/config/index.ts';
import { createAgent } from '../../src/runtime/create-agent.ts';
import { startPlatformProcess, UNLIMITED } from '../lib/platform-process.ts';
import { budgetFloor, platform429s } from '../lib/budget-floor.ts';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const SKILLS = Number(process.argv[2] ?? 100_000);
const PAGE_SIZE = 100;
const TOKEN = 'bench-instance-token-0123456789';
const dir = mkdtempSync(join(tmpdir(), 'atom-bench-sync-'));

/** The raw limit: fetch every page by cursor (page n+1 in flight while n is written) and upsert. */
async function rawSync(url: string, dbPath: string): Promise<{ ms: number; skills: number }> {
  const { db } = openDatabase(dbPath);
  const upsert = db.prepare(`
    INSERT INTO skill_cache (skill_id, name, description, version, category, average_rating, rating_count, skill_data, updated_at, synced_at, expires_at)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
    ON CONFLICT(skill_id) DO UPDATE SET name = excluded.name, description = excluded.description, version = excluded.version,
      category = excluded.category, average_rating = excluded.average_rating, rating_count = excluded.rating_count,
      skill_data = excluded.skill_data, updated_at = excluded.updated_at, synced_at = excluded.synced_at, expires_at = excluded.expires_at
    WHERE excluded.updated_at > skill_cache.updated_at`);
  const upsertPage = db.transaction((skills: RawSkill[]) => {
    const now = Date.now();
    for (const s of skills) {
      upsert.run(s.skill_id, s.name, s.description, s.version, s.category, s.average_rating, s.rating_count, JSON.stringify(s), Date.parse(s.updated_at), now, now + 86_400_000);
    }
  });
  const agent = new Agent({ connections: 4 });
  type RawSkill = { skill_id: string; name: string; description: string; version: string; category: string; average_rating: number; rating_count: number; updated_at: string };
  type Page = { skills: RawSkill[]; next_cursor: string | null };
  const fetchPage = async (cursor?: string): Promise<Page> => {
    const q = new URLSearchParams({ page_size: String(PAGE_SIZE), ...(cursor ? { cursor } : {}) });
    const res = await request(`${url}/api/v1/skills?${q}`, { dispatcher: agent, headers: { authorization: `Bearer ${TOKEN}` } });
    return (await res.body.json()) as Page;
  };
  const started = performance.now();
  let count = 0;
  let pending: Promise<Page> | undefined = fetchPage();
  while (pending) {
    const page: Page = await pending;
    pending = page.next_cursor ? fetchPage(page.next_cursor) : undefined;
    upsertPage(page.skills);
    count += page.skills.length;
  }
  const ms = performance.now() - started;
  await agent.close();
  db.close();
  return { ms, skills: count };
}

/** The agent: createAgent + start() runs the initial full sync through the charts. */
async function agentSync(url: string, dbPath: string, sampleRss = false) {
  const config = loadConfigOrThrow({
    env: { ATOM_SAAS_API_URL: url, ATOM_SAAS_API_TOKEN: TOKEN, ATOM_DB_PATH: dbPath, ATOM_SAAS_SYNC_BATCH_SIZE: String(PAGE_SIZE), ENABLE_SCHEDULER: 'false', ATOM_SAAS_WS_ENABLED: 'false' },
    envFile: false,
  });
  let peakRss = process.memoryUsage().rss;
  const sampler = sampleRss ? setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 25) : undefined;
  const agent = createAgent({ config });
  const started = performance.now();
  await agent.start();
  const ms = performance.now() - started;
  if (sampler) clearInterval(sampler);
  const skills = agent.store.skills.count();
  return { agent, ms, skills, peakRss };
}

async function catchUpMs(agent: Awaited<ReturnType<typeof agentSync>>['agent']): Promise<number> {
  const cycle = agent.actors.syncCycle!;
  const started = performance.now();
  cycle.send({ type: 'sync.catchUp' });
  await waitFor(cycle, (s) => s.matches('idle'));
  return performance.now() - started;
}

/** Ends the bench early (SYNC_BENCH_ONLY=limits), through the finally that removes its files. */
class Done extends Error {}

const fmt = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
const CLI = fileURLToPath(new URL('../../bin/atom-sync.js', import.meta.url));

/** `atom-sync sync --once` as an operator runs it: default configuration, its own process. */
async function cliSync(url: string, dbPath: string): Promise<{ ms: number; status: number | null; stderr: string }> {
  const started = performance.now();
  const child = spawn(process.execPath, [CLI, 'sync', '--once'], {
    env: { PATH: process.env.PATH ?? '', ATOM_SAAS_API_URL: url, ATOM_SAAS_API_TOKEN: TOKEN, ATOM_DB_PATH: dbPath, ATOM_SAAS_WS_ENABLED: 'false' },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const status = await new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { ms: performance.now() - started, status, stderr };
}

/** The headline: the floor and the agent, each on a platform of its own (one budget each), one after the other. */
async function atSpecLimits(): Promise<void> {
  console.log(`bench/sync at spec limits: ${SKILLS} skills, 100 requests/min and 10 in flight per token, agent on its default configuration`);
  const forFloor = await startPlatformProcess({ db: join(dir, 'platform-floor.db'), skills: SKILLS, token: TOKEN });
  const forAgent = await startPlatformProcess({ db: join(dir, 'platform-agent.db'), skills: SKILLS, token: TOKEN });
  try {
    const floor = await budgetFloor(forFloor.url, TOKEN);
    if (floor.skills !== SKILLS) throw new Error(`floor client listed ${floor.skills} skills`);
    const before = await platform429s(forAgent.url);
    const agent = await cliSync(forAgent.url, join(dir, 'agent-spec.db'));
    const agent429 = (await platform429s(forAgent.url)) - before;
    if (agent.status !== 0) throw new Error(`atom-sync sync --once exited ${agent.status}: ${agent.stderr.slice(-500)}`);
    console.log('');
    console.log(`| measure (spec limits) | result | goal |`);
    console.log(`| --- | --- | --- |`);
    console.log(`| budget floor: categories + pages of 1000 honouring Retry-After, ${SKILLS} skills | ${fmt(floor.ms)} (${floor.requests} requests, ${floor.throttled} × 429) | |`);
    console.log(`| \`atom-sync sync --once\`, default configuration, ${SKILLS} skills (process start included) | ${fmt(agent.ms)}, exit ${agent.status} | exit 0 |`);
    console.log(`| 429s the agent received | ${agent429} | ≤ 1 |`);
    console.log(`| ratio agent / budget floor | ${(agent.ms / floor.ms).toFixed(2)} | ≤ 1.2 |`);
    console.log('');
  } finally {
    await forFloor.stop();
    await forAgent.stop();
  }
}

try {
  if (process.env.SYNC_BENCH_ONLY !== 'unthrottled') await atSpecLimits();
  if (process.env.SYNC_BENCH_ONLY === 'limits') throw new Done();
  console.log(`bench/sync unthrottled (second line): ${SKILLS} skills, page size ${PAGE_SIZE}, platform in its own process on 127.0.0.1 with --rate-limit ${UNLIMITED}`);
  const big = await startPlatformProcess({ db: join(dir, 'platform-big.db'), skills: SKILLS, token: TOKEN, rateLimit: UNLIMITED });
  const small = await startPlatformProcess({ db: join(dir, 'platform-small.db'), skills: 1000, token: TOKEN, rateLimit: UNLIMITED });
  try {
    // Alternate raw and agent runs; keep each side's best, so background noise hurts both alike.
    const raw: number[] = [];
    const ours: number[] = [];
    let rss = 0;
    let lastAgent: Awaited<ReturnType<typeof agentSync>>['agent'] | undefined;
    for (let round = 0; round < 2; round += 1) {
      const r = await rawSync(big.url, join(dir, `raw-${round}.db`));
      raw.push(r.ms);
      const a = await agentSync(big.url, join(dir, `agent-${round}.db`), true);
      if (a.skills !== SKILLS || r.skills !== SKILLS) throw new Error(`incomplete sync: raw ${r.skills}, agent ${a.skills}`);
      ours.push(a.ms);
      rss = Math.max(rss, a.peakRss);
      if (lastAgent) await lastAgent.stop();
      lastAgent = a.agent;
    }
    // Incremental catch-up with nothing changed: the first settles the high-water rows, then 304s.
    await catchUpMs(lastAgent!);
    const catchUps: number[] = [];
    for (let i = 0; i < 7; i += 1) catchUps.push(await catchUpMs(lastAgent!));
    await lastAgent!.stop();

    const thousand: number[] = [];
    for (let i = 0; i < 3; i += 1) {
      const a = await agentSync(small.url, join(dir, `agent-small-${i}.db`));
      thousand.push(a.ms);
      await a.agent.stop();
    }

    const bestRaw = Math.min(...raw);
    const bestOurs = Math.min(...ours);
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
    console.log('');
    console.log(`| measure | result | goal |`);
    console.log(`| --- | --- | --- |`);
    console.log(`| raw limit: undici + better-sqlite3, ${SKILLS} skills (best of ${raw.length}) | ${fmt(bestRaw)} | |`);
    console.log(`| agent full sync, ${SKILLS} skills (best of ${ours.length}) | ${fmt(bestOurs)} | |`);
    console.log(`| ratio agent / raw | ${(bestOurs / bestRaw).toFixed(2)} | ≤ 1.3 |`);
    console.log(`| agent full sync, 1,000 skills (median of 3, boot included) | ${(median(thousand) / 1000).toFixed(3)} s | < 0.3 s |`);
    console.log(`| incremental catch-up, nothing changed, ${SKILLS} cached (median of 7) | ${median(catchUps).toFixed(1)} ms | < 50 ms |`);
    console.log(`| agent peak RSS during the ${SKILLS} sync | ${(rss / 1024 / 1024).toFixed(0)} MB | < 200 MB |`);
  } finally {
    await big.stop();
    await small.stop();
  }
} catch (error) {
  if (!(error instanceof Done)) throw error;
} finally {
  rmSync(dir, { recursive: true, force: true });
}
