import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { ADMIN_TOKEN, cleanupTempDirs, publishSkill, startHarness, type Harness } from './helpers.ts';

let h: Harness;
afterEach(async () => h?.stop());
afterAll(cleanupTempDirs);

describe('GET /health', () => {
  it('is 200 healthy with checks.database, and 503 once the database is gone', async () => {
    h = await startHarness();
    const ok = await h.call('GET', '/health', { token: null });
    expect(ok.status).toBe(200);
    expect(ok.json).toEqual({
      status: 'healthy', timestamp: new Date(h.clock.now()).toISOString(), version: '1.0.0', checks: { database: 'healthy' },
    });
    h.platform.app.platform.store.db.close();
    const down = await h.call('GET', '/health', { token: null });
    expect(down.status).toBe(503);
    expect(down.json).toMatchObject({ status: 'unhealthy', checks: { database: 'unhealthy' } });
    // An API call now fails as a JSON 500 without internals.
    const failed = await h.call('GET', '/api/v1/categories', { token: ADMIN_TOKEN });
    expect(failed.status).toBe(500);
    expect(failed.json).toEqual({ error: 'Internal Server Error', message: 'the platform could not complete the request' });
  });
});

describe('GET /metrics', () => {
  it('exposes the spec 000 request metrics labelled by route pattern, never by raw URL', async () => {
    h = await startHarness();
    const skill = await publishSkill(h);
    await h.call('GET', `/api/v1/skills/${skill.skill_id}`);
    await h.call('GET', '/api/v1/skills?page_size=5');
    await h.call('GET', '/api/v1/skills', { token: null });
    const secret = 'abcdef-this-token-must-not-leak';
    await h.call('DELETE', `/api/v1/tokens/${secret}`, { token: ADMIN_TOKEN });
    await h.call('GET', '/no/such/route/with-token-like-path');
    const res = await h.call('GET', '/metrics', { token: null });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/plain');
    const text = res.text;
    expect(text).toContain('# TYPE atom_saas_api_request_duration_seconds histogram');
    expect(text).toContain('# TYPE atom_saas_api_requests_total counter');
    expect(text).toMatch(/atom_saas_api_requests_total\{endpoint="\/api\/v1\/skills\/:skill_id",method="GET",status="200"\} 1/);
    expect(text).toMatch(/atom_saas_api_requests_total\{endpoint="\/api\/v1\/skills",method="GET",status="200"\} 1/);
    expect(text).toMatch(/atom_saas_api_requests_total\{endpoint="\/api\/v1\/skills",method="GET",status="401"\} 1/);
    expect(text).toMatch(/atom_saas_api_requests_total\{endpoint="\/api\/v1\/tokens\/:token",method="DELETE",status="404"\} 1/);
    expect(text).toMatch(/atom_saas_api_request_duration_seconds_bucket\{le="0.005",endpoint="\/api\/v1\/skills",method="GET",status="200"\}/);
    expect(text).toMatch(/endpoint="unmatched",method="GET",status="404"/);
    expect(text).not.toContain(secret);
    expect(text).not.toContain('with-token-like-path');
    expect(text).not.toContain(skill.skill_id);
    expect(text).toMatch(/atom_saas_push_high_water_seq \d+/);
  });

  it('keeps each server instance on its own registry', async () => {
    h = await startHarness();
    const other = await startHarness();
    try {
      await other.call('GET', '/api/v1/categories');
      const mine = (await h.call('GET', '/metrics', { token: null })).text;
      expect(mine).not.toMatch(/endpoint="\/api\/v1\/categories"/);
    } finally {
      await other.stop();
    }
  });
});
