import { request as httpRequest, type ClientRequest } from 'node:http';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { ADMIN_TOKEN, DEV_TOKEN, cleanupTempDirs, publishSkill, startHarness, type Harness } from '../helpers.ts';

let h: Harness;
afterEach(async () => h?.stop());
afterAll(cleanupTempDirs);

describe('rate limit: 100 requests per minute per token (spec 000)', () => {
  it('answers the 101st request in a minute with 429, Retry-After: the time until the window frees, and {error, retry_after}', async () => {
    h = await startHarness({ rateLimit: { limit: 100 } });
    const statuses: number[] = [];
    for (let i = 0; i < 100; i++) statuses.push((await h.call('GET', '/api/v1/categories')).status);
    expect(statuses.every((s) => s === 200)).toBe(true);
    h.clock.advance(42_500);
    const limited = await h.call('GET', '/api/v1/categories');
    expect(limited.status).toBe(429);
    // 17.5 s left in the window: rounded up, never early.
    expect(limited.headers.get('retry-after')).toBe('18');
    expect(limited.json).toMatchObject({ error: 'Rate limit exceeded', retry_after: 18 });
    expect(limited.headers.get('ratelimit-policy')).toBe('"default";q=100;w=60');
    expect(limited.headers.get('ratelimit')).toBe('"default";r=0;t=18');
    h.clock.advance(-42_500);
    // Per token: another token still has its budget; /health needs none.
    expect((await h.call('GET', '/api/v1/categories', { token: ADMIN_TOKEN })).status).toBe(200);
    expect((await h.call('GET', '/health', { token: null })).status).toBe(200);
    // The window ends a minute after it opened (test clock, no sleeping).
    h.clock.advance(59_999);
    expect((await h.call('GET', '/api/v1/categories')).status).toBe(429);
    h.clock.advance(1);
    expect((await h.call('GET', '/api/v1/categories')).status).toBe(200);
  });

  it('advertises the budget on every answer: X-RateLimit-* and the IETF RateLimit-Policy / RateLimit fields', async () => {
    h = await startHarness({ rateLimit: { limit: 5 } });
    const first = await h.call('GET', '/api/v1/categories');
    expect(first.headers.get('x-ratelimit-limit')).toBe('5');
    expect(first.headers.get('x-ratelimit-remaining')).toBe('4');
    expect(first.headers.get('ratelimit')).toBe('"default";r=4;t=60');
    h.clock.advance(30_001);
    expect((await h.call('GET', '/api/v1/categories')).headers.get('ratelimit')).toBe('"default";r=3;t=30');
  });

  it('counts a revoked and re-issued identity separately: limits follow the token', async () => {
    h = await startHarness({ rateLimit: { limit: 3 } });
    for (let i = 0; i < 3; i++) await h.call('GET', '/api/v1/categories');
    expect((await h.call('GET', '/api/v1/categories')).status).toBe(429);
    const fresh = await h.call('POST', '/api/v1/tokens', { token: ADMIN_TOKEN, body: { instance_id: 'dev-instance' } });
    expect((await h.call('GET', '/api/v1/categories', { token: fresh.json.token })).status).toBe(200);
  });
});

describe('request size', () => {
  it('refuses a body over 1 MB with 413 and a JSON error', async () => {
    h = await startHarness();
    const skill = await publishSkill(h);
    const huge = { skill_id: skill.skill_id, rating: 5, user_id: 'u', comment: 'x'.repeat(1024 * 1024) };
    const res = await h.call('POST', '/api/v1/ratings', { body: huge });
    expect(res.status).toBe(413);
    expect(res.json.error).toBe('Payload Too Large');
    // Just under the limit is parsed (and then rejected for the comment length, a 400).
    const under = await h.call('POST', '/api/v1/ratings', { body: { ...huge, comment: 'x'.repeat(1000 * 1000) } });
    expect(under.status).toBe(400);
  });
});

describe('concurrency: at most 10 requests in flight per token', () => {
  it('answers the 11th concurrent request with 429 and Retry-After: 1, and frees slots as requests end', async () => {
    h = await startHarness();
    const url = new URL(h.platform.url);
    // Ten requests whose bodies never finish arriving stay in flight until we end them.
    const pending: { req: ClientRequest; done: Promise<number> }[] = [];
    for (let i = 0; i < 10; i++) {
      const req = httpRequest({
        host: url.hostname, port: url.port, method: 'POST', path: '/api/v1/ratings',
        headers: { authorization: `Bearer ${DEV_TOKEN}`, 'content-type': 'application/json', 'content-length': '200' },
      });
      const done = new Promise<number>((resolve, reject) => {
        req.on('response', (res) => {
          res.resume();
          res.on('end', () => resolve(res.statusCode ?? 0));
        });
        req.on('error', reject);
      });
      req.write('{"skill_id":');
      pending.push({ req, done });
    }
    // Wait (bounded) until the server has seen all ten.
    let eleventh = await h.call('GET', '/api/v1/categories');
    for (let i = 0; i < 50 && eleventh.status === 200; i++) {
      await new Promise((r) => setTimeout(r, 20));
      eleventh = await h.call('GET', '/api/v1/categories');
    }
    expect(eleventh.status).toBe(429);
    expect(eleventh.headers.get('retry-after')).toBe('1');
    expect(eleventh.json).toMatchObject({ error: 'Too Many Requests', retry_after: 1 });
    expect(eleventh.json.message).toContain('concurrent');
    // Another token is not affected.
    expect((await h.call('GET', '/api/v1/categories', { token: ADMIN_TOKEN })).status).toBe(200);
    // One client gives up: its slot comes back.
    pending[0]?.done.catch(() => undefined);
    pending[0]?.req.destroy();
    let after = 429;
    for (let i = 0; i < 50 && after === 429; i++) {
      await new Promise((r) => setTimeout(r, 20));
      after = (await h.call('GET', '/api/v1/categories')).status;
    }
    expect(after).toBe(200);
    for (const p of pending.slice(1)) p.req.end('"x"}'.padEnd(200 - '{"skill_id":'.length, ' '));
    const statuses = await Promise.all(pending.slice(1).map((p) => p.done));
    expect(statuses.every((s) => s === 400)).toBe(true);
    expect((await h.call('GET', '/api/v1/categories')).status).toBe(200);
  });
});
