import { describe, expect, it } from 'vitest';
import { waitFor } from 'xstate';
import { BodyRefusedError, parseJsonBody, poisonedKey } from '../../src/http/json-body.ts';
import { MAX_JSON_DEPTH } from '../../src/marketplace/json-depth.ts';
import type { Agent } from '../../src/runtime/create-agent.ts';
import { makeSkill } from '../support/skills.ts';
import { ADMIN, useShells } from './helpers.ts';

/** `{"a":{"a":…1…}}` nested `levels` objects deep, as text (JSON.stringify of it would overflow). */
const nestedText = (levels: number) => '{"a":'.repeat(levels) + '1' + '}'.repeat(levels);
const jsonRequest = (method: 'PATCH' | 'POST', url: string, payload: string) =>
  ({ method, url, headers: { 'content-type': 'application/json' }, payload });
/** Everything the local API could have written. */
const storeState = (agent: Agent) => JSON.stringify([
  agent.store.db.prepare('SELECT * FROM skill_cache ORDER BY skill_id').all(),
  agent.store.db.prepare('SELECT * FROM skill_rating').all(),
]);

describe('parseJsonBody', () => {
  it('refuses, in one sentence each, empty, invalid, over-nested and prototype-poisoning bodies', () => {
    const refusal = (text: string) => {
      try {
        parseJsonBody(text);
      } catch (error) {
        expect(error).toBeInstanceOf(BodyRefusedError);
        return (error as Error).message;
      }
      return undefined;
    };
    expect(refusal('  ')).toMatch(/empty/);
    expect(refusal('{"secret-looking": ')).toBe('the body is not valid JSON');
    expect(refusal(nestedText(MAX_JSON_DEPTH + 1))).toMatch(/deeper than 64 levels/);
    expect(refusal(nestedText(100_000))).toMatch(/deeper than 64 levels/);
    expect(refusal('{"a":[{"__proto__":{"polluted":true}}]}')).toMatch(/"__proto__" key/);
    expect(refusal('{"constructor":{"prototype":{"polluted":true}}}')).toMatch(/"constructor.prototype" key/);
    expect(refusal(nestedText(MAX_JSON_DEPTH))).toBeUndefined();
    expect(refusal('{"constructor":"fine","proto":1}')).toBeUndefined();
    expect(poisonedKey(JSON.parse('[[{"x":{"__proto__":1}}]]'))).toBe('__proto__');
  });
});

describe('the local API refuses over-nested and poisoning bodies with a 400, writing nothing', () => {
  const shell = useShells();

  async function withSkill() {
    const s = await shell();
    const skill = makeSkill(1);
    expect((await s.request({ method: 'POST', url: '/api/skills/import', payload: { skills: [skill] } })).statusCode).toBe(200);
    return { ...s, id: skill.skill_id };
  }

  it('PATCH with metadata 1,001 and 5,000 levels deep: 400, and the listing still answers', async () => {
    const { request, agent, id } = await withSkill();
    const before = storeState(agent);
    for (const levels of [MAX_JSON_DEPTH, 1_001, 5_000]) {
      const res = await request(jsonRequest('PATCH', `/api/skills/${id}`, `{"metadata":${nestedText(levels)}}`));
      expect(res.statusCode, `${levels} levels`).toBe(400);
      expect(res.json()).toEqual({ error: 'Bad Request', message: `the body nests objects and arrays deeper than ${MAX_JSON_DEPTH} levels` });
    }
    expect(storeState(agent)).toBe(before);
    expect((await request({ method: 'GET', url: '/api/skills' })).statusCode).toBe(200);
    // The deepest metadata a PATCH body can carry is stored and listed.
    const fits = await request(jsonRequest('PATCH', `/api/skills/${id}`, `{"metadata":${nestedText(MAX_JSON_DEPTH - 1)}}`));
    expect(fits.statusCode).toBe(200);
    expect((await request({ method: 'GET', url: '/api/skills' })).json().total).toBe(1);
  });

  it('an import 100,000 levels deep: 400, nothing imported', async () => {
    const { request, agent } = await shell();
    const skill = JSON.stringify(makeSkill(2)).replace('{"author":"test"}', nestedText(100_000));
    const res = await request(jsonRequest('POST', '/api/skills/import', `{"skills":[${skill}]}`));
    expect(res.statusCode).toBe(400);
    expect(res.json().message).toMatch(/deeper than 64 levels/);
    expect(agent.store.skills.count()).toBe(0);
  });

  it('a __proto__ key is refused as such (not as invalid JSON), on the local API and the admin API', async () => {
    const { request, agent, id } = await withSkill();
    const before = storeState(agent);
    const patch = await request(jsonRequest('PATCH', `/api/skills/${id}`, '{"description":"d","__proto__":{"isAdmin":true}}'));
    expect(patch.statusCode).toBe(400);
    expect(patch.json()).toEqual({ error: 'Bad Request', message: 'the body has a "__proto__" key, refused because it could alter object prototypes' });
    const rating = await request(jsonRequest('POST', `/api/skills/${id}/ratings`, '{"user_id":"u","rating":5,"constructor":{"prototype":{"x":1}}}'));
    expect(rating.json().message).toMatch(/constructor\.prototype/);
    const admin = await request({ ...jsonRequest('POST', '/api/admin/actors/conflicts/events', '{"type":"conflict.resolveAll","__proto__":{}}'), headers: { ...ADMIN, 'content-type': 'application/json' } });
    expect(admin.statusCode).toBe(400);
    expect(storeState(agent)).toBe(before);
    expect(({} as Record<string, unknown>).isAdmin).toBeUndefined();
  });
});

describe('bodies a cross-origin page can send without a preflight', () => {
  const shell = useShells();

  it('text/plain and form bodies: 415 before any route, nothing written', async () => {
    const { request, agent } = await shell();
    for (const type of ['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x']) {
      const res = await request({ method: 'POST', url: '/api/skills/import', headers: { 'content-type': type }, payload: JSON.stringify({ skills: [makeSkill(1)] }) });
      expect(res.statusCode, type).toBe(415);
      expect(res.json()).toEqual({ error: 'Unsupported Media Type', message: 'request bodies must be application/json' });
    }
    expect(agent.store.skills.count()).toBe(0);
  });
});

describe('a skill row an older version stored 1,001 levels deep', () => {
  const shell = useShells();

  it('leaves GET /api/skills answering, and the next full sync repairs it', async () => {
    const { request, agent } = await shell({ skills: 5 });
    const id = agent.store.db.prepare('SELECT skill_id FROM skill_cache ORDER BY skill_id LIMIT 1').pluck().get() as string;
    const good = agent.store.skills.get(id)!.remote;
    // As an older agent wrote it: the platform's version, with metadata nested past SQLite's JSON limit.
    const poisoned = JSON.stringify({ ...good, metadata: {} }).replace('"metadata":{}', `"metadata":${nestedText(1_001)}`);
    agent.store.db.prepare('UPDATE skill_cache SET skill_data = ? WHERE skill_id = ?').run(poisoned, id);

    const listing = await request({ method: 'GET', url: '/api/skills?page_size=100' });
    expect(listing.statusCode).toBe(200);
    expect(listing.json().total).toBe(5);
    expect(listing.json().items.find((s: { skill_id: string }) => s.skill_id === id)).toMatchObject({ name: good.name, metadata: {} });
    expect((await request({ method: 'GET', url: `/api/skills?query=${encodeURIComponent(good.name)}` })).statusCode).toBe(200);

    // The platform still has the same version (same updated_at): the sync repairs the row anyway.
    expect((await request({ method: 'POST', url: '/api/admin/sync/trigger', headers: ADMIN })).statusCode).toBe(202);
    await waitFor(agent.actors.syncCycle!, (s) => s.matches('idle'), { timeout: 10_000 });
    expect(agent.store.skills.get(id)?.remote).toEqual(good);
    expect(agent.store.db.prepare('SELECT json_valid(skill_data) FROM skill_cache WHERE skill_id = ?').pluck().get(id)).toBe(1);
  });
});
