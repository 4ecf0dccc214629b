// `atom-sync platform` as a user runs it: a child process, real port, real file, SIGTERM to stop.
import { spawn, spawnSync } from 'node:child_process';
import { afterAll, describe, expect, it } from 'vitest';
import { cleanupTempDirs, tempDbPath } from './helpers.ts';

afterAll(cleanupTempDirs);

const BIN = new URL('../../bin/atom-sync.js', import.meta.url).pathname;
const DEV = 'cli-dev-token-0123456789';
const ADMIN = 'cli-admin-token-0123456789';

describe('atom-sync platform', () => {
  it('seeds, registers the dev token, serves, prints URLs but no token, and exits 0 on SIGTERM', async () => {
    const db = tempDbPath();
    const child = spawn(process.execPath, [BIN, 'platform', '--port', '0', '--db', db, '--seed', '30', '--dev-token', DEV, '--log-level', 'warn'], {
      env: { ...process.env, ATOM_PLATFORM_ADMIN_TOKEN: ADMIN },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => { out += d.toString(); });
    child.stderr.on('data', (d: Buffer) => { err += d.toString(); });
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    try {
      for (let i = 0; i < 200 && !/listening on http/.test(out); i++) await new Promise((r) => setTimeout(r, 50));
      const url = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(out)?.[1];
      expect(url, `stdout: ${out}\nstderr: ${err}`).toBeDefined();
      expect(out).toContain('seeded 30 skills');
      expect(out).toContain('/ws');
      const res = await fetch(`${url}/api/v1/skills?page_size=5`, { headers: { authorization: `Bearer ${DEV}` } });
      expect(res.status).toBe(200);
      expect(((await res.json()) as { total: number }).total).toBe(30);
      const published = await fetch(`${url}/api/v1/categories`, {
        method: 'POST', headers: { authorization: `Bearer ${ADMIN}`, 'content-type': 'application/json' },
        body: JSON.stringify({ name: 'from-cli-test' }),
      });
      expect(published.status).toBe(201);
    } finally {
      child.kill('SIGTERM');
    }
    const code = await Promise.race([exited, new Promise((r) => setTimeout(() => r('timeout'), 10_000))]);
    expect(code).toBe(0);
    expect(out + err).not.toContain(DEV);
    expect(out + err).not.toContain(ADMIN);
  });

  it('exits 2 naming a bad flag, before opening anything', () => {
    const res = spawnSync(process.execPath, [BIN, 'platform', '--port', 'eighty'], { encoding: 'utf8', timeout: 20_000 });
    expect(res.status).toBe(2);
    expect(res.stderr).toContain('--port must be an integer');
    const unknown = spawnSync(process.execPath, [BIN, 'platform', '--colour', 'blue'], { encoding: 'utf8', timeout: 20_000 });
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toContain('unknown option --colour');
  });
});
