// bench/sync: a full sync of 100,000 skills from the reference platform (its own process on
// 127.0.0.1) through the whole agent (charts, validation, conflict checks, checkpoints), beside the
// raw limit measured in the same run: undici fetching the same pages with the same prefetch, and
// one plain better-sqlite3 upsert per row into the same skill_cache table (same schema and indexes),
// a transaction per page; no statecharts, no validation, no conflict checks, no checkpoint. Also: 1,000 skills end to end,
// an incremental catch-up when nothing changed, and the agent's peak RSS during the big sync.
//   node bin/run-ts.js bench/sync/full-sync.ts [skills]
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase } from '../../src/store/database.ts';
import { Agent, request } from 'undici';
import { waitFor } from 'xstate';
import { loadConfigOrThrow } from '../../src/config/index.ts';
import { createAgent } from '../../src/runtime/agent.ts';
import { startPlatformProcess } from '../lib/platform-process.ts';

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
  const writePage = db.transaction((skills: RawSkill[]) => {
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
    writePage(page.skills);
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

const fmt = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

try {
  console.log(`bench/sync: ${SKILLS} skills, page size ${PAGE_SIZE}, platform in its own process on 127.0.0.1`);
  const big = await startPlatformProcess({ db: join(dir, 'platform-big.db'), skills: SKILLS, token: TOKEN });
  const small = await startPlatformProcess({ db: join(dir, 'platform-small.db'), skills: 1000, token: TOKEN });
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
} finally {
  rmSync(dir, { recursive: true, force: true });
}
