import { afterEach, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { openStore } from '../../src/store/index.ts';
import type { RunningPlatform } from '../../src/platform/server.ts';
import { INSTANCE_TOKEN, platformCatalog, startSeededPlatform } from '../support/platform.ts';
import { runCliAsync, spawnCli } from '../support/cli.ts';
import { useTempDir } from '../support/temp-dir.ts';

describe('atom-sync sync --once', () => {
  const tempDir = useTempDir();
  const platforms: RunningPlatform[] = [];
  afterEach(async () => {
    for (const p of platforms.splice(0)) await p.close();
  });

  const envFor = (platform: RunningPlatform, dir: string, extra: Record<string, string> = {}) => ({
    ATOM_SAAS_API_URL: platform.url,
    ATOM_SAAS_API_TOKEN: INSTANCE_TOKEN,
    ATOM_DB_PATH: join(dir, 'agent.db'),
    ATOM_SAAS_SYNC_BATCH_SIZE: '50',
    ...extra,
  });

  it('survives kill -9 in the middle of a large sync: the next run resumes and converges', async () => {
    const dir = tempDir();
    const platform = await startSeededPlatform(dir, 12_000);
    platforms.push(platform);
    const env = envFor(platform, dir);

    const { child, exited } = spawnCli(['sync', '--once'], { env, cwd: dir });
    // Watch the checkpoint from outside, as an operator would, and kill once some pages are in.
    const deadline = Date.now() + 30_000;
    let pagesAtKill = 0;
    while (Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 25));
      try {
        const db = new BetterSqlite3(join(dir, 'agent.db'), { readonly: true, fileMustExist: true });
        const row = db.prepare('SELECT pages_done FROM sync_state').get() as { pages_done: number } | undefined;
        db.close();
        if ((row?.pages_done ?? 0) >= 20) {
          child.kill('SIGKILL');
          pagesAtKill = row!.pages_done;
          break;
        }
      } catch {
        // Not created or not migrated yet.
      }
    }
    const killed = await exited;
    expect(killed.signal).toBe('SIGKILL');
    expect(pagesAtKill).toBeGreaterThanOrEqual(20);

    const interrupted = openStore(join(dir, 'agent.db'));
    const checkpoint = interrupted.syncState.get();
    interrupted.close();
    expect(checkpoint).toMatchObject({ status: 'syncing', syncKind: 'full' });
    expect(checkpoint.pagesDone).toBeGreaterThanOrEqual(20);
    expect(checkpoint.pagesDone).toBeLessThan(240);

    const resumed = await runCliAsync(['sync', '--once'], { env, cwd: dir, timeoutMs: 60_000 });
    expect(resumed.status, resumed.stderr).toBe(0);
    expect(resumed.stderr).toContain('(resumed)');
    expect(resumed.stdout).toMatch(/synced 12000 skills in 240 pages/);

    const store = openStore(join(dir, 'agent.db'));
    const cached = new Set((store.db.prepare('SELECT skill_id FROM skill_cache').pluck().all() as string[]));
    expect(cached).toEqual(new Set(platformCatalog(platform).keys()));
    expect(store.integrity('full')).toEqual({ ok: true, problems: [] });
    expect(store.syncState.get()).toMatchObject({ status: 'idle', successfulSyncs: 1 });
    store.close();
  }, 90_000);

  it('exits 1 with the reason when the platform refuses the token, and never prints the token', async () => {
    const dir = tempDir();
    const platform = await startSeededPlatform(dir, 5);
    platforms.push(platform);
    const result = await runCliAsync(['sync', '--once'], { env: envFor(platform, dir, { ATOM_SAAS_API_TOKEN: 'wrong-token-that-must-not-leak' }), cwd: dir });
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/failed: auth: .*401/);
    expect(result.stdout + result.stderr).not.toContain('wrong-token-that-must-not-leak');
  });

  it('exits 1 listing every problem for an invalid configuration', async () => {
    const dir = tempDir();
    const result = await runCliAsync(['sync', '--once'], { env: { ATOM_SAAS_SYNC_BATCH_SIZE: '0', ATOM_SAAS_API_TOKEN: 'x' }, cwd: dir });
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/ATOM_SAAS_API_URL is required/);
    expect(result.stderr).toMatch(/ATOM_SAAS_SYNC_BATCH_SIZE \(got "0"\) is out of range/);
  });

  it('at the platform limit waits instead of failing; --deadline stops the wait: exit 1, checkpoint kept', async () => {
    const dir = tempDir();
    // 3 requests a minute: categories and two pages, then the sync waits for the next window.
    const platform = await startSeededPlatform(dir, 500, { rateLimit: { limit: 3 } });
    platforms.push(platform);
    const result = await runCliAsync(['sync', '--once', '--deadline', '3'], { env: envFor(platform, dir), cwd: dir });
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/--deadline 3 s reached; \d+ skills in the cache, the next run resumes from the checkpoint/);
    // Waiting, not failing: no sync counted as failed, the checkpoint is there to resume from.
    const store = openStore(join(dir, 'agent.db'));
    try {
      expect(store.syncState.get()).toMatchObject({ status: 'syncing', failedSyncs: 0 });
      expect(store.skills.count()).toBeGreaterThan(0);
    } finally {
      store.close();
    }
  });

  it('refuses a --deadline that is not a positive whole number of seconds', async () => {
    const result = await runCliAsync(['sync', '--once', '--deadline', 'soon'], { env: {}, cwd: tempDir() });
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/--deadline takes a whole number of seconds above 0 \(got soon\)/);
  });
});
