import { describe, expect, it } from 'vitest';
import { bearerToken, tokenMatches } from '../../../src/http/plugins/admin-auth.ts';
import { ADMIN, ADMIN_TOKEN, useShells } from '../helpers.ts';

describe('admin token comparison', () => {
  it('matches only the exact token, whatever the lengths', () => {
    expect(tokenMatches(ADMIN_TOKEN, ADMIN_TOKEN)).toBe(true);
    expect(tokenMatches(`${ADMIN_TOKEN}x`, ADMIN_TOKEN)).toBe(false);
    expect(tokenMatches('', ADMIN_TOKEN)).toBe(false);
  });

  it('reads the token of a Bearer header only', () => {
    expect(bearerToken('Bearer abc.def')).toBe('abc.def');
    expect(bearerToken('bearer abc')).toBe('abc');
    expect(bearerToken('Basic abc')).toBeUndefined();
    expect(bearerToken(undefined)).toBeUndefined();
  });
});

describe('admin auth on /api/admin/*', () => {
  const shell = useShells();

  it('answers 401 with WWW-Authenticate without a token, with a wrong one, and with another scheme', async () => {
    const { request } = await shell();
    for (const headers of [{}, { authorization: 'Bearer wrong-token-0123456789abcdef' }, { authorization: `Basic ${ADMIN_TOKEN}` }]) {
      const res = await request({ method: 'GET', url: '/api/admin/actors', headers });
      expect(res.statusCode).toBe(401);
      expect(res.headers['www-authenticate']).toBe('Bearer');
      expect(res.json()).toEqual({ error: 'Unauthorized', message: expect.any(String) });
    }
  });

  it('guards every admin route, POSTs and the stream included', async () => {
    const { request } = await shell();
    for (const [method, url] of [['GET', '/api/admin/actors/agent'], ['GET', '/api/admin/actors/agent/transitions'], ['POST', '/api/admin/actors/agent/events'], ['GET', '/api/admin/actors/stream']] as const) {
      const res = await request({ method, url, ...(method === 'POST' ? { payload: { type: 'x' } } : {}) });
      expect(res.statusCode, `${method} ${url}`).toBe(401);
    }
  });

  it('lets the right token through', async () => {
    const { request } = await shell();
    const res = await request({ method: 'GET', url: '/api/admin/actors', headers: ADMIN });
    expect(res.statusCode).toBe(200);
  });

  it('answers 503 on every admin route when ATOM_ADMIN_TOKEN is not set, even with a token', async () => {
    const { request } = await shell({ env: { ATOM_ADMIN_TOKEN: '' } });
    for (const headers of [{}, ADMIN]) {
      const res = await request({ method: 'GET', url: '/api/admin/actors', headers });
      expect(res.statusCode).toBe(503);
      expect(res.json()).toEqual({ error: 'Service Unavailable', message: expect.stringContaining('set ATOM_ADMIN_TOKEN') });
    }
  });

  it('leaves the probes and metrics open', async () => {
    const { request } = await shell();
    for (const url of ['/health/live', '/health/ready', '/health/sync', '/metrics']) {
      expect((await request({ method: 'GET', url })).statusCode, url).toBe(200);
    }
  });
});
