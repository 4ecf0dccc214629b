import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { request as httpRequest } from 'node:http';
import { hostAllowed, hostNameOf, hostPolicy } from '../../../src/http/plugins/host-guard.ts';
import { startServer, type RunningShell } from '../../../src/http/server.ts';
import { createAgent, type Agent } from '../../../src/runtime/create-agent.ts';
import { agentConfig } from '../../support/config.ts';
import { makeSkill } from '../../support/skills.ts';
import { useTempDir } from '../../support/temp-dir.ts';
import { useCleanups } from '../../support/cleanups.ts';
import { ADMIN, ADMIN_TOKEN, expectNoSecrets } from '../helpers.ts';

describe('Host names the shell serves', () => {
  const loopback = hostPolicy({ host: '127.0.0.1', allowedHosts: '' });

  it('parses name, name:port, IPv4:port and [IPv6]:port, and nothing else', () => {
    expect(hostNameOf('LocalHost:8000')).toBe('localhost');
    expect(hostNameOf('127.0.0.1')).toBe('127.0.0.1');
    expect(hostNameOf('[::1]:8000')).toBe('::1');
    expect(hostNameOf('atom.internal.')).toBe('atom.internal');
    for (const bad of [undefined, '', 'a b', 'user@127.0.0.1', '127.0.0.1:80:80', '::1', '[::1', 'evil/x', '127.0.0.1:123456']) {
      expect(hostNameOf(bad), String(bad)).toBeUndefined();
    }
  });

  it('serves loopback names, the bind address and the allow-list; refuses every other name', () => {
    for (const host of ['127.0.0.1:8000', 'localhost', '[::1]:8000', 'LOCALHOST:1']) expect(hostAllowed(host, loopback), host).toBe(true);
    for (const host of ['attacker.rebind.example', 'attacker.rebind.example:8000', 'localhost.attacker.example', '10.0.0.5', undefined]) {
      expect(hostAllowed(host, loopback), String(host)).toBe(false);
    }
    const lan = hostPolicy({ host: '10.0.0.5', allowedHosts: 'atom.internal,Other.Example' });
    for (const host of ['10.0.0.5:8000', 'atom.internal', 'other.example:1', '127.0.0.1']) expect(hostAllowed(host, lan), host).toBe(true);
    expect(hostAllowed('10.0.0.6', lan)).toBe(false);
    // Bound to every address: any IP literal is one of ours (a rebinding page always uses a name).
    const wildcard = hostPolicy({ host: '0.0.0.0', allowedHosts: '' });
    for (const host of ['10.0.0.6:8000', '[fe80::1]:8000', '192.168.1.1']) expect(hostAllowed(host, wildcard), host).toBe(true);
    expect(hostAllowed('0.0.0.0', loopback)).toBe(false);
    expect(hostAllowed('attacker.rebind.example', wildcard)).toBe(false);
  });

  it('refuses any name that is neither loopback, bound nor listed', () => {
    const names = new Set(['localhost', 'atom.internal']);
    fc.assert(fc.property(fc.domain(), fc.option(fc.integer({ min: 1, max: 65535 })), (domain, port) => {
      fc.pre(!names.has(domain.toLowerCase()));
      const policy = hostPolicy({ host: '127.0.0.1', allowedHosts: 'atom.internal' });
      expect(hostAllowed(port === null ? domain : `${domain}:${port}`, policy)).toBe(false);
    }));
  });
});

interface Answer { status: number; headers: Record<string, unknown>; body: string }

/** A real HTTP request to the listening shell with whatever Host header a rebinding browser would send. */
function send(shell: RunningShell, options: { method: string; path: string; host: string; body?: unknown; headers?: Record<string, string> }): Promise<Answer> {
  const url = new URL(shell.url);
  const payload = options.body === undefined ? undefined : JSON.stringify(options.body);
  return new Promise((resolve, reject) => {
    const req = httpRequest({
      host: url.hostname, port: url.port, method: options.method, path: options.path,
      headers: { host: options.host, ...(payload ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) } : {}), ...options.headers },
    }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end(payload);
  });
}

const storeState = (agent: Agent) => JSON.stringify([
  agent.store.db.prepare('SELECT * FROM skill_cache ORDER BY skill_id').all(),
  agent.store.db.prepare('SELECT * FROM skill_rating').all(),
  agent.store.db.prepare('SELECT * FROM conflict_log').all(),
]);

describe('DNS rebinding against the listening shell (127.0.0.1, port 0)', () => {
  const tempDir = useTempDir('atom-door-');
  const cleanups = useCleanups();

  async function listening(): Promise<{ shell: RunningShell; agent: Agent; id: string }> {
    const config = agentConfig(tempDir(), { ATOM_SAAS_ENABLED: 'false', ATOM_ADMIN_TOKEN: ADMIN_TOKEN, ATOM_HTTP_HOST: '127.0.0.1', ATOM_HTTP_PORT: '0' });
    const agent = createAgent({ config });
    const shell = await startServer(agent, config);
    cleanups.push(() => shell.close());
    await agent.start();
    const skill = makeSkill(1);
    agent.store.skills.upsert(skill, agent.clock.now(), 'local');
    return { shell, agent, id: skill.skill_id };
  }

  it('answers 421 {error, message} to every route for Host: attacker.rebind.example, and writes nothing', async () => {
    const { shell, agent, id } = await listening();
    const before = storeState(agent);
    const attempts = [
      { method: 'PATCH', path: `/api/skills/${id}`, body: { code: 'import os; os.system("curl evil")', python_packages: ['evil'] } },
      { method: 'POST', path: '/api/skills/import', body: { skills: [makeSkill(2)] } },
      { method: 'POST', path: `/api/skills/${id}/ratings`, body: { user_id: 'attacker', rating: 1 } },
      { method: 'GET', path: '/api/skills' },
      { method: 'GET', path: `/api/skills/${id}` },
      { method: 'POST', path: '/api/admin/sync/conflicts/bulk-resolve', body: { strategy: 'remote_wins' }, headers: ADMIN },
      { method: 'POST', path: '/api/admin/actors/conflicts/events', body: { type: 'conflict.resolveAll', strategy: 'merge' }, headers: ADMIN },
      { method: 'GET', path: '/api/admin/sync/status', headers: ADMIN },
      { method: 'GET', path: '/admin' },
      { method: 'GET', path: '/admin/assets/viewer.js' },
      { method: 'GET', path: '/metrics' },
      { method: 'GET', path: '/health' },
      { method: 'GET', path: '/no/such/route' },
    ];
    for (const host of ['attacker.rebind.example', `attacker.rebind.example:${new URL(shell.url).port}`]) {
      for (const attempt of attempts) {
        const answer = await send(shell, { ...attempt, host });
        expect(answer.status, `${attempt.method} ${attempt.path} Host: ${host}`).toBe(421);
        expect(JSON.parse(answer.body)).toEqual({ error: 'Misdirected Request', message: expect.stringContaining('Host header') });
        expect(answer.body).not.toContain('attacker');
        expect(answer.headers['access-control-allow-origin']).toBeUndefined();
        expectNoSecrets(answer.body);
      }
    }
    expect(storeState(agent)).toBe(before);
  });

  it('serves the same requests for 127.0.0.1:port, localhost and [::1] Hosts; CORS stays closed', async () => {
    const { shell, agent, id } = await listening();
    const port = new URL(shell.url).port;
    for (const host of [`127.0.0.1:${port}`, `localhost:${port}`, 'localhost', `[::1]:${port}`]) {
      expect((await send(shell, { method: 'GET', path: '/api/skills', host })).status, host).toBe(200);
      expect((await send(shell, { method: 'GET', path: '/admin', host })).status, host).toBe(200);
    }
    const patched = await send(shell, { method: 'PATCH', path: `/api/skills/${id}`, host: `127.0.0.1:${port}`, body: { description: 'local edit' } });
    expect(patched.status).toBe(200);
    expect(agent.store.skills.get(id)?.local?.description).toBe('local edit');
    // A cross-origin preflight gets no Access-Control-* grant: the browser then refuses the real request.
    const preflight = await send(shell, {
      method: 'OPTIONS', path: `/api/skills/${id}`, host: `127.0.0.1:${port}`,
      headers: { origin: 'http://attacker.rebind.example', 'access-control-request-method': 'PATCH' },
    });
    expect(preflight.headers['access-control-allow-origin']).toBeUndefined();
    expect(preflight.headers['access-control-allow-methods']).toBeUndefined();
  });
});
