import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ADMIN_TOKEN, DEV_TOKEN, cleanupTempDirs, sqlCount, sqlRows, startHarness, type Harness } from '../helpers.ts';

let h: Harness;
beforeEach(async () => {
  h = await startHarness();
});
afterEach(async () => h.stop());
afterAll(cleanupTempDirs);

const API_ROUTES: [string, string][] = [
  ['GET', '/api/v1/skills'],
  ['GET', '/api/v1/skills/00000000-0000-4000-8000-000000000000'],
  ['GET', '/api/v1/categories'],
  ['POST', '/api/v1/ratings'],
  ['POST', '/api/v1/skills/00000000-0000-4000-8000-000000000000/install'],
  ['POST', '/api/v1/skills'],
  ['PUT', '/api/v1/skills/00000000-0000-4000-8000-000000000000'],
  ['DELETE', '/api/v1/skills/00000000-0000-4000-8000-000000000000'],
  ['POST', '/api/v1/categories'],
  ['PUT', '/api/v1/categories/automation'],
  ['POST', '/api/v1/tokens'],
  ['DELETE', '/api/v1/tokens/whatever-token'],
];

describe('Bearer authentication on /api/v1', () => {
  it.each(API_ROUTES)('%s %s without a token → 401 with WWW-Authenticate: Bearer and {error, message}', async (method, path) => {
    const res = await h.call(method, path, { token: null, body: method === 'GET' ? undefined : {} });
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toMatch(/^Bearer\b/);
    expect(res.json).toEqual({ error: 'Unauthorized', message: 'missing Bearer token' });
  });

  it('rejects an unknown token with 401 and error="invalid_token"', async () => {
    const res = await h.call('GET', '/api/v1/skills', { token: 'not-a-real-token-123456' });
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toBe('Bearer realm="atom-saas", error="invalid_token"');
    expect(res.json.error).toBe('Unauthorized');
  });

  it('rejects a malformed Authorization header (not Bearer) as missing', async () => {
    const res = await h.call('GET', '/api/v1/skills', { token: null, headers: { authorization: `Basic ${DEV_TOKEN}` } });
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toMatch(/^Bearer/);
  });

  it('accepts the scheme in any case', async () => {
    const res = await h.call('GET', '/api/v1/categories', { token: null, headers: { authorization: `bearer ${DEV_TOKEN}` } });
    expect(res.status).toBe(200);
  });

  it('serves /health and /metrics without a token', async () => {
    expect((await h.call('GET', '/health', { token: null })).status).toBe(200);
    expect((await h.call('GET', '/metrics', { token: null })).status).toBe(200);
  });
});

describe('token administration', () => {
  it('issues a token that works, then revokes it so that it gets 401', async () => {
    const created = await h.call('POST', '/api/v1/tokens', {
      token: ADMIN_TOKEN, body: { instance_id: 'local-atom-instance-1', description: 'Production Atom instance' },
    });
    expect(created.status).toBe(201);
    expect(Object.keys(created.json).sort()).toEqual(['created_at', 'expires_at', 'instance_id', 'token']);
    expect(created.json.token).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(created.json).toMatchObject({ instance_id: 'local-atom-instance-1', expires_at: null });
    const token = created.json.token as string;

    expect((await h.call('GET', '/api/v1/skills', { token })).status).toBe(200);

    const revoked = await h.call('DELETE', `/api/v1/tokens/${token}`, { token: ADMIN_TOKEN });
    expect(revoked.status).toBe(200);
    expect(revoked.json).toMatchObject({ revoked: true, instance_id: 'local-atom-instance-1' });

    const after = await h.call('GET', '/api/v1/skills', { token });
    expect(after.status).toBe(401);
    expect(after.headers.get('www-authenticate')).toMatch(/^Bearer/);

    // Revoking again is idempotent; an unknown token is 404.
    expect((await h.call('DELETE', `/api/v1/tokens/${token}`, { token: ADMIN_TOKEN })).status).toBe(200);
    expect((await h.call('DELETE', '/api/v1/tokens/never-issued-token', { token: ADMIN_TOKEN })).status).toBe(404);
  });

  it('stores only the sha256 of a token', async () => {
    const created = await h.call('POST', '/api/v1/tokens', { token: ADMIN_TOKEN, body: { instance_id: 'i1' } });
    const rows = await sqlRows(h, 'SELECT * FROM tokens');
    const dump = JSON.stringify(rows);
    expect(dump).not.toContain(created.json.token);
    expect(dump).not.toContain(DEV_TOKEN);
    expect(rows.every((r) => /^[0-9a-f]{64}$/.test(String(r.token_hash)))).toBe(true);
  });

  it('refuses token and publishing routes to an instance token with 403', async () => {
    const res = await h.call('POST', '/api/v1/tokens', { body: { instance_id: 'x' } });
    expect(res.status).toBe(403);
    expect(res.json).toEqual({ error: 'Forbidden', message: 'this route needs the admin token' });
    expect((await h.call('POST', '/api/v1/categories', { body: { name: 'x' } })).status).toBe(403);
  });

  it('validates the token request: instance_id is required', async () => {
    const res = await h.call('POST', '/api/v1/tokens', { token: ADMIN_TOKEN, body: { description: 'no id' } });
    expect(res.status).toBe(400);
    expect(res.json.field).toBe('instance_id');
  });

  it('--dev-token registration is idempotent and re-activates a revoked token', async () => {
    const { tokens } = h.platform.app.platform.data;
    await tokens.register(DEV_TOKEN, 'dev-instance', 'again');
    expect(await tokens.lookup(DEV_TOKEN)).toEqual({ instanceId: 'dev-instance' });
    await tokens.revoke(DEV_TOKEN);
    expect(await tokens.lookup(DEV_TOKEN)).toBeUndefined();
    await tokens.register(DEV_TOKEN, 'dev-instance', 'again');
    expect(await tokens.lookup(DEV_TOKEN)).toEqual({ instanceId: 'dev-instance' });
    expect(await sqlCount(h, 'SELECT count(*) FROM tokens')).toBe(1);
  });
});

describe('without an admin token configured', () => {
  it('answers 403 on admin routes, even to a caller presenting some token', async () => {
    const bare = await startHarness({ adminToken: undefined });
    try {
      expect((await bare.call('POST', '/api/v1/tokens', { body: { instance_id: 'x' } })).status).toBe(403);
      expect((await bare.call('POST', '/api/v1/tokens', { token: ADMIN_TOKEN, body: { instance_id: 'x' } })).status).toBe(401);
    } finally {
      await bare.stop();
    }
  });
});
