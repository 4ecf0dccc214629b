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

/** Every admin route (ids filled in); a new one belongs here so its guard is tested. */
const ADMIN_ROUTES = [
  ['GET', '/api/admin/actors'], ['GET', '/api/admin/actors/agent'], ['GET', '/api/admin/actors/agent/transitions'],
  ['POST', '/api/admin/actors/agent/events'], ['GET', '/api/admin/actors/stream'],
  ['GET', '/api/admin/sync/status'], ['POST', '/api/admin/sync/trigger'], ['POST', '/api/admin/sync/skills'],
  ['GET', '/api/admin/sync/config'], ['GET', '/api/admin/sync/jobs'], ['DELETE', '/api/admin/sync/jobs'], ['POST', '/api/admin/sync/jobs'],
  ['GET', '/api/admin/sync/errors'], ['DELETE', '/api/admin/sync/cache/expired'],
  ['POST', '/api/admin/sync/ratings'], ['GET', '/api/admin/sync/ratings/status'], ['GET', '/api/admin/sync/ratings/failed-uploads'],
  ['POST', '/api/admin/sync/ratings/failed-uploads/1/retry'],
  ['GET', '/api/admin/sync/websocket/status'], ['POST', '/api/admin/sync/websocket/reconnect'],
  ['POST', '/api/admin/sync/websocket/disable'], ['POST', '/api/admin/sync/websocket/enable'],
  ['GET', '/api/admin/sync/conflicts'], ['GET', '/api/admin/sync/conflicts/1'],
  ['POST', '/api/admin/sync/conflicts/1/resolve?strategy=merge'], ['POST', '/api/admin/sync/conflicts/bulk-resolve'],
] as const;

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
    for (const [method, url] of ADMIN_ROUTES) {
      const res = await request({ method, url, ...(method === 'POST' ? { payload: { type: 'x' } } : {}) });
      expect(res.statusCode, `${method} ${url}`).toBe(401);
      const wrong = await request({ method, url, headers: { authorization: 'Bearer wrong-token-0123456789abcdef' } });
      expect(wrong.statusCode, `${method} ${url} with a wrong token`).toBe(401);
    }
  });

  it('lets the right token through to every admin route', async () => {
    const { request } = await shell();
    for (const [method, url] of ADMIN_ROUTES) {
      if (url.endsWith('/stream')) continue; // an SSE stream never ends under inject
      const res = await request({ method, url, headers: ADMIN, ...(method === 'POST' ? { payload: { type: 'conflict.resolveAll', strategy: 'merge' } } : {}) });
      expect(res.statusCode, `${method} ${url}`).not.toBe(401);
    }
  });

  it('leaves the local marketplace API open (it is not under /api/admin)', async () => {
    const { request } = await shell();
    expect((await request({ method: 'GET', url: '/api/skills' })).statusCode).toBe(200);
    expect((await request({ method: 'GET', url: '/api/skills/unknown' })).statusCode).toBe(404);
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
