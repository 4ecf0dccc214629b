import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { runCli } from '../support/cli.ts';
import { useTempDir } from '../support/temp-dir.ts';
import { LATEST_VERSION } from '../../src/store/index.ts';

describe('atom-sync migrate', () => {
  const tempDir = useTempDir();

  it('creates the database, is a no-op the second time, and refuses a newer schema with status 1', () => {
    const path = join(tempDir(), 'data', 'atom.db');
    const first = runCli(['migrate', '--db', path]);
    expect(first.status).toBe(0);
    expect(first.stdout).toMatch(/applied 1 initial schema, 2 rating summary stamp/);
    expect(first.stdout).toMatch(/integrity ok/);
    const second = runCli(['migrate', '--db', path]);
    expect(second.status).toBe(0);
    expect(second.stdout).toMatch(/already up to date/);

    const raw = new BetterSqlite3(path);
    raw.pragma('user_version = 999');
    raw.close();
    const newer = runCli(['migrate', '--db', path]);
    expect(newer.status).toBe(1);
    expect(newer.stderr).toMatch(/schema version 999, newer than this atom-sync supports/);
  });

  it('reads ATOM_DB_PATH from the configuration when --db is not given', () => {
    const dir = tempDir();
    const result = runCli(['migrate'], { cwd: dir, env: { ATOM_SAAS_ENABLED: 'false', ATOM_DB_PATH: './db/agent.db' } });
    expect(result.status).toBe(0);
    expect(result.stdout).toContain(`./db/agent.db: schema version ${LATEST_VERSION}`);
  });
});

describe('atom-sync', () => {
  it('--help lists the commands and exits 0; an unknown command exits 2', () => {
    const help = runCli(['--help']);
    expect(help.status).toBe(0);
    expect(help.stdout).toMatch(/usage: atom-sync <command>/);
    expect(help.stdout).toMatch(/check-config/);
    const unknown = runCli(['frobnicate']);
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toMatch(/unknown command 'frobnicate'/);
  });
});
