// `atom-sync check-config` run as a real child process: bin/atom-sync.js, a crafted environment
// (nothing inherited but PATH) and a temporary working directory holding the .env file.
import { afterEach, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { VARIABLES } from '../../src/config/index.ts';
import { cleanupTempDirs, REPO_ROOT, tempDir } from './helpers.ts';

afterEach(cleanupTempDirs);

const BIN = join(REPO_ROOT, 'bin', 'atom-sync.js');

interface Run { status: number | null; stdout: string; stderr: string; output: string }

function checkConfig(env: Record<string, string>, options: { cwd?: string; args?: string[] } = {}): Run {
  const result = spawnSync(process.execPath, [BIN, 'check-config', ...(options.args ?? [])], {
    cwd: options.cwd ?? tempDir(),
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', ...env },
    encoding: 'utf8',
    timeout: 20_000,
    killSignal: 'SIGKILL',
  });
  if (result.error) throw result.error;
  expect(result.signal, `check-config was killed; stderr: ${result.stderr}`).toBeNull();
  return { status: result.status, stdout: result.stdout, stderr: result.stderr, output: result.stdout + result.stderr };
}

function expectNoneOf(text: string, secrets: readonly string[]): void {
  for (const secret of secrets) expect(text, `output leaks ${secret}`).not.toContain(secret);
}

const TOKEN = 'tok-3f2a9c1e-5b7d-4e8f-9a6b-0c1d2e3f4a5b';
const ADMIN = 'admin-token-9d8c7b6a5f4e3d2c';

describe('atom-sync check-config', () => {
  it('prints every variable with its source, secrets masked, and exits 0', () => {
    const cwd = tempDir({ '.env': `ATOM_SAAS_API_URL=https://api.example.test/base\nATOM_SAAS_SYNC_INTERVAL_MINUTES=20\nATOM_HTTP_PORT=9999\n` });
    const run = checkConfig({ ATOM_SAAS_API_TOKEN: TOKEN, ATOM_ADMIN_TOKEN: ADMIN, ATOM_HTTP_PORT: '8123' }, { cwd });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    const lines = run.stdout.trimEnd().split('\n');
    expect(lines.at(-1)).toBe('configuration ok');
    for (const { name } of VARIABLES) expect(lines.some((l) => l.startsWith(`${name} `)), name).toBe(true);
    expect(run.stdout).toMatch(/^ATOM_SAAS_SYNC_INTERVAL_MINUTES +20 +\(\.env\)$/m);
    expect(run.stdout).toMatch(/^ATOM_HTTP_PORT +8123 +\(env\)$/m);
    expect(run.stdout).toMatch(/^ATOM_SAAS_SYNC_BATCH_SIZE +1000 +\(default\)$/m);
    expect(run.stdout).toMatch(/^ATOM_SAAS_WS_URL +wss:\/\/api\.example\.test\/base\/ws +\(derived\)$/m);
    expect(run.stdout).toMatch(/^ATOM_SAAS_API_TOKEN +\*\*\* +\(env\)$/m);
    expectNoneOf(run.output, [TOKEN, ADMIN]);
  });

  it('prints JSON with --json', () => {
    const run = checkConfig({ ATOM_SAAS_ENABLED: 'false', ATOM_ADMIN_TOKEN: ADMIN }, { args: ['--json'] });
    expect(run.status).toBe(0);
    const parsed = JSON.parse(run.stdout) as { ok: boolean; variables: { variable: string; value: string; source: string }[] };
    expect(parsed.ok).toBe(true);
    expect(parsed.variables.map((v) => v.variable)).toEqual(VARIABLES.map((v) => v.name));
    expect(parsed.variables.find((v) => v.variable === 'ATOM_ADMIN_TOKEN')).toEqual({ variable: 'ATOM_ADMIN_TOKEN', value: '***', source: 'env' });
    expectNoneOf(run.output, [ADMIN]);
  });

  it('exits 1 listing every problem in one message, and prints no configuration', () => {
    const cwd = tempDir({ '.env': 'ATOM_SAAS_SYNC_BATCH_SIZE=0\nATOM_LOG_LEVEL=chatty\n' });
    const run = checkConfig({
      ATOM_SAAS_API_URL: 'ftp://api.example.test',
      ATOM_SAAS_API_TOKEN: TOKEN,
      ATOM_SAAS_SYNC_INTERVAL_MINUTES: '61',
      ATOM_SAAS_CONFLICT_STRATEGY: 'REMOTE',
      ENABLE_SCHEDULER: 'enabled',
    }, { cwd });
    expect(run.status).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain('atom-sync: invalid configuration, 6 problems:\n');
    for (const fragment of [
      'ATOM_SAAS_API_URL (got "ftp://api.example.test") has protocol ftp',
      'ATOM_SAAS_SYNC_INTERVAL_MINUTES (got "61") is out of range',
      'ATOM_SAAS_CONFLICT_STRATEGY (got "REMOTE") is not an allowed value',
      'ATOM_SAAS_SYNC_BATCH_SIZE (got "0") is out of range',
      'ENABLE_SCHEDULER (got "enabled") is not a boolean',
      'ATOM_LOG_LEVEL (got "chatty") is not an allowed value',
    ]) expect(run.stderr).toContain(fragment);
    expectNoneOf(run.output, [TOKEN]);
  });

  it('never prints a token: invalid token, URL credentials, token= query strings', () => {
    const pw = 'url-password-7f6e5d4c';
    const query = 'query-token-1a2b3c4d';
    const run = checkConfig({
      ATOM_SAAS_API_URL: `https://operator:${pw}@api.example.test/v1?token=${query}`,
      ATOM_SAAS_API_TOKEN: `${TOKEN} trailing-words`,
      ATOM_SAAS_WS_URL: `wss://push.example.test/ws?access_token=${TOKEN}`,
      ATOM_ADMIN_TOKEN: 'adm-short-42',
    });
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('4 problems');
    expect(run.stderr).toContain('***');
    expectNoneOf(run.output, [TOKEN, pw, query, 'adm-short-42']);
  });

  it('never prints credentials of a valid URL, with or without user name', () => {
    const run = checkConfig({
      ATOM_SAAS_API_URL: `https://:${TOKEN}@api.example.test/base`,
      ATOM_SAAS_API_TOKEN: TOKEN,
      ATOM_SAAS_WS_URL: `wss://${ADMIN}@push.example.test/ws`,
      ATOM_ADMIN_TOKEN: ADMIN,
    });
    expect(run.status).toBe(0);
    expect(run.stdout).toContain('api.example.test/base');
    expectNoneOf(run.output, [TOKEN, ADMIN]);
  });

  it('ignores invalid ATOM_SAAS_* values with ATOM_SAAS_ENABLED=false, warning about each', () => {
    const run = checkConfig({ ATOM_SAAS_ENABLED: '0', ATOM_SAAS_API_TOKEN: 'bad token', ATOM_SAAS_WS_RECONNECT_ATTEMPTS: '0' });
    expect(run.status).toBe(0);
    expect(run.stderr).toContain('atom-sync: warning: ATOM_SAAS_API_TOKEN is ignored because ATOM_SAAS_ENABLED=false\n');
    expect(run.stderr).toContain('atom-sync: warning: ATOM_SAAS_WS_RECONNECT_ATTEMPTS is ignored because ATOM_SAAS_ENABLED=false\n');
    expect(run.stdout).toMatch(/^ATOM_SAAS_ENABLED +false +\(env\)$/m);
  });

  it('warns about an unknown ATOM_* variable and fails on an unreadable ATOM_ENV_FILE', () => {
    const run = checkConfig({ ATOM_SAAS_ENABLED: 'false', ATOM_LOGLEVEL: 'debug', ATOM_ENV_FILE: 'missing.env' });
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('atom-sync: warning: unknown variable ATOM_LOGLEVEL is ignored (a typo?)');
    expect(run.stderr).toContain('ATOM_ENV_FILE');
    expect(run.stderr).toContain('cannot be read (ENOENT)');
  });
});
