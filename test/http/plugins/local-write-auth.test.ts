import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { buildApp } from '../../../src/http/app.ts';
import { exposureWarning } from '../../../src/http/server.ts';
import { createAgent } from '../../../src/runtime/create-agent.ts';
import { agentConfig } from '../../support/config.ts';
import { makeSkill } from '../../support/skills.ts';
import { runCliAsync } from '../../support/cli.ts';
import { useTempDir } from '../../support/temp-dir.ts';
import { useCleanups } from '../../support/cleanups.ts';
import { ADMIN, ADMIN_TOKEN, leakChecked } from '../helpers.ts';

// A non-loopback bind, through inject (a test never listens on 0.0.0.0); the Host is what a LAN
// client sends. The listening cases are in host-guard.test.ts.
describe('the local API on a non-loopback bind', () => {
  const tempDir = useTempDir('atom-lan-');
  const cleanups = useCleanups();
  const LAN = { host: '10.0.0.5:8000' };

  async function lanShell(http: { host: string; adminToken?: string | undefined } = { host: '0.0.0.0' }) {
    const base = agentConfig(tempDir(), { ATOM_SAAS_ENABLED: 'false', ATOM_ADMIN_TOKEN: ADMIN_TOKEN, ATOM_HTTP_HOST: http.host, ATOM_HTTP_PORT: '0' });
    const config = 'adminToken' in http ? { ...base, http: { ...base.http, adminToken: http.adminToken } } : base;
    const agent = createAgent({ config });
    const app = buildApp(agent, config);
    cleanups.push(() => app.close());
    await agent.start();
    const skill = makeSkill(1);
    agent.store.skills.upsert(skill, agent.clock.now(), 'local');
    return { agent, request: leakChecked(app), id: skill.skill_id };
  }

  it('takes writes only with ATOM_ADMIN_TOKEN; reads stay open; a missing, malformed or wrong token writes nothing', async () => {
    const { agent, request, id } = await lanShell();
    const writes = [
      { method: 'PATCH' as const, url: `/api/skills/${id}`, payload: { description: 'from the LAN' } },
      { method: 'POST' as const, url: `/api/skills/${id}/ratings`, payload: { user_id: 'u', rating: 4 } },
      { method: 'POST' as const, url: '/api/skills/import', payload: { skills: [makeSkill(2)] } },
    ];
    const refusals = [
      [{}, 'missing bearer token'],
      [{ authorization: `Bearer ${ADMIN_TOKEN} junk` }, 'malformed Authorization header'],
      [{ authorization: 'Bearer wrong-token-0123456789abcdef' }, 'invalid bearer token'],
    ] as const;
    for (const write of writes) {
      for (const [headers, message] of refusals) {
        const res = await request({ ...write, headers: { ...LAN, ...headers } });
        expect(res.statusCode, `${write.method} ${write.url}`).toBe(401);
        expect(res.headers['www-authenticate']).toBe('Bearer');
        expect(res.json()).toEqual({ error: 'Unauthorized', message: expect.stringContaining(message) });
      }
    }
    expect(agent.store.skills.get(id)?.locallyEdited).toBe(false);
    expect(agent.store.skills.count()).toBe(1);
    expect(agent.store.ratings.statusCounts().pending).toBe(0);

    expect((await request({ method: 'GET', url: '/api/skills', headers: LAN })).statusCode).toBe(200);
    for (const write of writes) {
      expect((await request({ ...write, headers: { ...LAN, ...ADMIN } })).statusCode, `${write.method} ${write.url} with the token`).toBeLessThan(300);
    }
    expect(agent.store.skills.get(id)?.local?.description).toBe('from the LAN');
    // The DNS-rebinding guard still holds on a wildcard bind: names must be listed.
    expect((await request({ method: 'GET', url: '/api/skills', headers: { host: 'attacker.rebind.example' } })).statusCode).toBe(421);
  });

  it('on loopback the writes need no token (a local Atom), as before', async () => {
    const { request, id } = await lanShell({ host: '127.0.0.1' });
    expect((await request({ method: 'PATCH', url: `/api/skills/${id}`, payload: { description: 'local' } })).statusCode).toBe(200);
  });

  it('answers 503 to writes if a non-loopback shell was built without a token (config validation refuses that)', async () => {
    const { request, id } = await lanShell({ host: '10.0.0.5', adminToken: undefined });
    const res = await request({ method: 'PATCH', url: `/api/skills/${id}`, payload: { description: 'x' }, headers: LAN });
    expect(res.statusCode).toBe(503);
    expect(res.json().message).toMatch(/set ATOM_ADMIN_TOKEN/);
  });
});

describe('start-up on a non-loopback address', () => {
  const tempDir = useTempDir('atom-exposed-');

  it('has a warning for every non-loopback bind and none for loopback', () => {
    for (const host of ['0.0.0.0', '::', '10.0.0.5', 'atom.internal']) expect(exposureWarning(host), host).toMatch(/not a loopback address/);
    for (const host of ['127.0.0.1', '::1', 'localhost']) expect(exposureWarning(host), host).toBeUndefined();
  });

  it('`atom-sync agent` warns on stderr and in a warn log line before it binds', async () => {
    // 192.0.2.1 (TEST-NET-1) is no address of this machine: the bind fails, so nothing is ever exposed.
    const result = await runCliAsync(['agent'], {
      env: { ATOM_SAAS_ENABLED: 'false', ATOM_HTTP_HOST: '192.0.2.1', ATOM_HTTP_PORT: '0', ATOM_ADMIN_TOKEN: ADMIN_TOKEN, ATOM_DB_PATH: join(tempDir(), 'agent.db'), ATOM_LOG_LEVEL: 'warn' },
      timeoutMs: 20_000,
    });
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/WARNING: the HTTP shell binds 192\.0\.2\.1, not a loopback address/);
    const warned = result.stdout.split('\n').filter(Boolean).map((line) => JSON.parse(line) as { level: number | string; msg: string })
      .find((line) => /not a loopback address/.test(line.msg));
    expect(warned?.level === 40 || warned?.level === 'warn').toBe(true);
    expect(result.stdout + result.stderr).not.toContain(ADMIN_TOKEN);
  });
});
