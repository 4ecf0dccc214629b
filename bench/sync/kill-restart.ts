// bench/sync-restart: `atom-sync sync --once` killed -9 in the middle of a 30,000-skill sync at spec
// 000's limits, then started again on the same database: how long the restart takes to converge,
// beside the budget floor for what was left (a minimal client making the same number of requests
// on a platform of its own, honouring Retry-After), and whether any sync was counted as failed.
//   node bin/run-ts.js bench/sync/kill-restart.ts [skills]
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import BetterSqlite3 from 'better-sqlite3';
import { startPlatformProcess } from '../lib/platform-process.ts';
import { budgetFloor, platform429s, platformRequests } from '../lib/budget-floor.ts';

const SKILLS = Number(process.argv[2] ?? 30_000);
const TOKEN = 'bench-instance-token-0123456789';
const CLI = fileURLToPath(new URL('../../bin/atom-sync.js', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'atom-bench-restart-'));
const dbPath = join(dir, 'agent.db');
const fmt = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

function syncOnce(url: string) {
  const child = spawn(process.execPath, [CLI, 'sync', '--once'], {
    env: { PATH: process.env.PATH ?? '', ATOM_SAAS_API_URL: url, ATOM_SAAS_API_TOKEN: TOKEN, ATOM_DB_PATH: dbPath, ATOM_SAAS_WS_ENABLED: 'false' },
    stdio: ['ignore', 'ignore', 'ignore'],
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code, signal) => resolve(code ?? (signal ? -1 : null))));
  return { child, exited };
}

function syncState(): { pages: number; skills: number; failed: number; status: string } | undefined {
  try {
    const db = new BetterSqlite3(dbPath, { readonly: true, fileMustExist: true });
    const row = db.prepare('SELECT pages_done AS pages, skills_done AS skills, failed_syncs AS failed, status FROM sync_state').get() as { pages: number; skills: number; failed: number; status: string } | undefined;
    db.close();
    return row;
  } catch {
    return undefined;
  }
}

try {
  console.log(`bench/sync-restart: ${SKILLS} skills at spec limits, kill -9 mid-sync, then sync --once again`);
  const platform = await startPlatformProcess({ db: join(dir, 'platform.db'), skills: SKILLS, token: TOKEN });
  const forFloor = await startPlatformProcess({ db: join(dir, 'platform-floor.db'), skills: SKILLS, token: TOKEN });
  try {
    const totalPages = Math.ceil(SKILLS / 1000);
    const first = syncOnce(platform.url);
    let atKill: ReturnType<typeof syncState>;
    for (;;) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      atKill = syncState();
      if (atKill && atKill.pages >= Math.floor(totalPages / 2)) break;
    }
    first.child.kill('SIGKILL');
    await first.exited;
    atKill = syncState()!;
    const pagesLeft = totalPages - atKill.pages;
    const before = await platform429s(platform.url);
    const requestsBefore = await platformRequests(platform.url);
    const started = performance.now();
    const second = syncOnce(platform.url);
    // Start-up ends when the restarted process makes its first platform request (polling /metrics costs no budget).
    let startupMs: number | undefined;
    void (async () => {
      while (startupMs === undefined && second.child.exitCode === null) {
        if ((await platformRequests(platform.url)) > requestsBefore) startupMs = performance.now() - started;
        else await new Promise((resolve) => setTimeout(resolve, 10));
      }
    })();
    const status = await second.exited;
    const restartMs = performance.now() - started;
    const syncMs = restartMs - (startupMs ?? 0);
    const after = syncState()!;
    const throttled = (await platform429s(platform.url)) - before;
    // The floor for what was left: categories and the pages still to list, on a budget of its own.
    const floor = await budgetFloor(forFloor.url, TOKEN, { maxPages: pagesLeft });
    console.log('');
    console.log(`| measure (spec limits, ${SKILLS} skills) | result | goal |`);
    console.log(`| --- | --- | --- |`);
    console.log(`| killed -9 after | ${atKill.pages} of ${totalPages} pages (${atKill.skills} skills) | |`);
    console.log(`| restart: \`sync --once\` to exit (process start included) | ${fmt(restartMs)}, exit ${status} | exit 0 |`);
    console.log(`| budget floor for what was left (${floor.requests} requests) | ${fmt(floor.ms)} | |`);
    console.log(`| of which start-up (spawn to first platform request: node, tsx, config, database, actors) | ${fmt(startupMs ?? 0)} | |`);
    console.log(`| ratio (restart − start-up) / floor | ${(syncMs / floor.ms).toFixed(2)} | ≤ 1.2 |`);
    console.log(`| 429s received by the restart | ${throttled} | |`);
    console.log(`| syncs counted as failed | ${after.failed} | 0 |`);
  } finally {
    await platform.stop();
    await forFloor.stop();
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
