import { afterEach, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { isLoopbackHost, isWildcardHost, parseAllowedHosts } from '../../src/config/bind-rules.ts';
import { formatProblems } from '../../src/config/index.ts';
import { cleanupTempDirs, expectOk, expectProblems, loadEnv, REPO_ROOT, tempDir } from './helpers.ts';

afterEach(cleanupTempDirs);

const ADMIN = 'admin-token-9d8c7b6a5f4e3d2c';

describe('loopback and wildcard binds', () => {
  it('calls only addresses this machine alone can reach loopback', () => {
    for (const host of ['127.0.0.1', '127.8.9.10', '::1', '[::1]', 'localhost', 'LOCALHOST', 'localhost.', '::ffff:127.0.0.1']) {
      expect(isLoopbackHost(host), host).toBe(true);
    }
    for (const host of ['0.0.0.0', '::', '10.0.0.5', '192.168.1.2', 'atom.internal', 'localhost.example', '128.0.0.1', '::2']) {
      expect(isLoopbackHost(host), host).toBe(false);
    }
    expect(['0.0.0.0', '::', '[::]'].every(isWildcardHost)).toBe(true);
    expect(isWildcardHost('127.0.0.1')).toBe(false);
  });

  it('reads ATOM_HTTP_ALLOWED_HOSTS as normalised names and IPs, setting bad entries apart', () => {
    expect(parseAllowedHosts(' Atom.Internal, 10.0.0.5,[fe80::1],, host-2. ')).toEqual({ hosts: ['atom.internal', '10.0.0.5', 'fe80::1', 'host-2'], bad: [] });
    expect(parseAllowedHosts('ok.example,has space,evil.example:8000,a/b').bad).toEqual(['has space', 'evil.example:8000', 'a/b']);
  });
});

describe('configuration of a non-loopback bind', () => {
  it('refuses 0.0.0.0 or a LAN address without ATOM_ADMIN_TOKEN, listing it with every other problem', () => {
    for (const host of ['0.0.0.0', '10.0.0.5', '::']) {
      const { problems } = expectProblems(loadEnv({ ATOM_HTTP_HOST: host, ATOM_HTTP_PORT: 'x' }));
      expect(problems.map((p) => p.variable).sort()).toEqual(['ATOM_HTTP_HOST', 'ATOM_HTTP_PORT']);
      expect(formatProblems(problems)).toContain('ATOM_ADMIN_TOKEN is not set');
    }
    expect(expectOk(loadEnv({ ATOM_HTTP_HOST: '0.0.0.0', ATOM_ADMIN_TOKEN: ADMIN })).config.http.host).toBe('0.0.0.0');
    expect(expectOk(loadEnv({ ATOM_HTTP_HOST: 'localhost' })).config.http.adminToken).toBeUndefined();
  });

  it('refuses an allow-list entry that is not a host name, naming it', () => {
    const { problems } = expectProblems(loadEnv({ ATOM_HTTP_ALLOWED_HOSTS: 'good.example,bad.example:80' }));
    expect(problems).toEqual([expect.objectContaining({ variable: 'ATOM_HTTP_ALLOWED_HOSTS', value: 'bad.example:80' })]);
    expect(expectOk(loadEnv({ ATOM_HTTP_ALLOWED_HOSTS: 'good.example' })).config.http.allowedHosts).toBe('good.example');
  });

  it('makes `atom-sync check-config` exit 1 with the problem on stderr', () => {
    const result = spawnSync(process.execPath, [join(REPO_ROOT, 'bin', 'atom-sync.js'), 'check-config'], {
      cwd: tempDir(),
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin', ATOM_SAAS_ENABLED: 'false', ATOM_HTTP_HOST: '0.0.0.0' },
      encoding: 'utf8',
      timeout: 20_000,
    });
    expect(result.status).toBe(1);
    expect(result.stdout + result.stderr).toContain('ATOM_HTTP_HOST (got "0.0.0.0") is not a loopback address');
  });
});
