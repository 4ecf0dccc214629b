import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ADMIN_TOKEN, SPEC_SKILL_KEYS, cleanupTempDirs, publishSkill, skillBody, sqlCount, startHarness, type Harness } from '../helpers.ts';

let h: Harness;
beforeEach(async () => {
  h = await startHarness();
});
afterEach(async () => h.stop());
afterAll(cleanupTempDirs);

const admin = (method: string, path: string, body?: unknown) => h.call(method, path, { token: ADMIN_TOKEN, body });

describe('publishing skills (admin token)', () => {
  it('creates a skill with exactly the spec fields and broadcasts skill_update and category_update', async () => {
    await admin('POST', '/api/v1/categories', { name: 'automation', description: 'Automation and workflow skills' });
    h.pushed.length = 0;
    const res = await admin('POST', '/api/v1/skills', skillBody());
    expect(res.status).toBe(201);
    expect(Object.keys(res.json).sort()).toEqual(SPEC_SKILL_KEYS);
    expect(res.json).toMatchObject({ name: 'Send Email', version: '1.0.0', average_rating: 0, rating_count: 0 });
    expect(h.pushed.map((m) => m.type)).toEqual(['skill_update', 'category_update']);
    expect(h.pushed[0]?.data).toEqual(res.json);
    expect(h.pushed[1]?.data).toMatchObject({ name: 'automation', skill_count: 1 });
    const got = await h.call('GET', `/api/v1/skills/${res.json.skill_id}`);
    expect(got.json).toEqual({ ...res.json, ratings: [] });
  });

  it('400 for an unknown category or an invalid field, 409 for a duplicate skill_id', async () => {
    const unknown = await admin('POST', '/api/v1/skills', skillBody({ category: 'nowhere' }));
    expect(unknown.status).toBe(400);
    expect(unknown.json.field).toBe('category');
    const noName = await admin('POST', '/api/v1/skills', skillBody({ name: undefined }));
    expect(noName.json).toMatchObject({ field: 'name' });
    const badTags = await admin('POST', '/api/v1/skills', skillBody({ tags: 'email' }));
    expect(badTags.json).toMatchObject({ field: 'tags' });
    const nested = await admin('POST', '/api/v1/skills', skillBody({ tags: ['ok', 7] }));
    expect(nested.json).toMatchObject({ field: 'tags.1' });
    const made = await publishSkill(h);
    const dup = await admin('POST', '/api/v1/skills', skillBody({ skill_id: made.skill_id }));
    expect(dup.status).toBe(409);
  });

  it('PUT merges the given fields, bumps the version unless given, and moves updated_at strictly forward', async () => {
    const made = await publishSkill(h, { version: '1.2.9' });
    // Same millisecond: the clock does not move between these writes.
    const a = await admin('PUT', `/api/v1/skills/${made.skill_id}`, { description: 'v2' });
    const b = await admin('PUT', `/api/v1/skills/${made.skill_id}`, { tags: ['x'] });
    const c = await admin('PUT', `/api/v1/skills/${made.skill_id}`, { version: '3.0.0' });
    expect([a.json.version, b.json.version, c.json.version]).toEqual(['1.2.10', '1.2.11', '3.0.0']);
    const stamps = [made.updated_at, a.json.updated_at, b.json.updated_at, c.json.updated_at].map(Date.parse);
    for (let i = 1; i < stamps.length; i++) expect(stamps[i]).toBeGreaterThan(stamps[i - 1] as number);
    expect(c.json).toMatchObject({ description: 'v2', tags: ['x'], name: 'Send Email', created_at: made.created_at });
    // A clock that steps back does not move updated_at back either.
    h.clock.advance(-60_000);
    const d = await admin('PUT', `/api/v1/skills/${made.skill_id}`, {});
    expect(Date.parse(d.json.updated_at)).toBeGreaterThan(stamps[3] as number);
    expect((await admin('PUT', '/api/v1/skills/00000000-0000-4000-8000-000000000000', {})).status).toBe(404);
  });

  it('moving a skill to another category updates both counts and broadcasts both', async () => {
    const made = await publishSkill(h);
    await admin('POST', '/api/v1/categories', { name: 'integration' });
    h.pushed.length = 0;
    const moved = await admin('PUT', `/api/v1/skills/${made.skill_id}`, { category: 'integration' });
    expect(moved.json.category).toBe('integration');
    expect(h.pushed.map((m) => [m.type, m.data.name ?? m.data.skill_id, m.data.skill_count])).toEqual([
      ['skill_update', 'Send Email', undefined],
      ['category_update', 'automation', 0],
      ['category_update', 'integration', 1],
    ]);
    const cats = (await h.call('GET', '/api/v1/categories')).json.categories;
    expect(cats.map((c: any) => [c.name, c.skill_count])).toEqual([['automation', 0], ['integration', 1]]);
    expect((await admin('PUT', `/api/v1/skills/${made.skill_id}`, { category: 'nowhere' })).json.field).toBe('category');
  });

  it('DELETE leaves a tombstone, cascades its ratings and broadcasts skill_delete', async () => {
    const made = await publishSkill(h);
    await h.call('POST', '/api/v1/ratings', { body: { skill_id: made.skill_id, rating: 5, user_id: 'u' } });
    h.pushed.length = 0;
    const res = await admin('DELETE', `/api/v1/skills/${made.skill_id}`);
    expect(res.status).toBe(200);
    expect(h.pushed.map((m) => m.type)).toEqual(['skill_delete', 'category_update']);
    expect(h.pushed[0]?.data).toEqual(res.json);
    expect(await sqlCount(h, 'SELECT count(*) FROM ratings')).toBe(0);
    expect((await admin('DELETE', `/api/v1/skills/${made.skill_id}`)).status).toBe(404);
  });
});

describe('publishing categories', () => {
  it('creates and updates categories, 409 on a duplicate, 404 on an unknown name', async () => {
    const created = await admin('POST', '/api/v1/categories', { name: 'automation', description: 'A', icon_url: 'https://x/y.svg' });
    expect(created.status).toBe(201);
    expect(created.json).toMatchObject({ name: 'automation', description: 'A', skill_count: 0, icon_url: 'https://x/y.svg' });
    expect((await admin('POST', '/api/v1/categories', { name: 'automation' })).status).toBe(409);
    expect((await admin('POST', '/api/v1/categories', { name: 'Bad Name!' })).json.field).toBe('name');
    expect((await admin('POST', '/api/v1/categories', { name: 'x', icon_url: 'javascript:alert(1)' })).json.field).toBe('icon_url');
    const updated = await admin('PUT', '/api/v1/categories/automation', { description: 'B' });
    expect(updated.json).toMatchObject({ description: 'B', icon_url: 'https://x/y.svg' });
    expect(h.pushed.at(-1)).toMatchObject({ type: 'category_update', data: { name: 'automation', description: 'B' } });
    expect((await admin('PUT', '/api/v1/categories/unknown', { description: 'B' })).status).toBe(404);
    expect((await admin('PUT', '/api/v1/categories/automation')).status).toBe(200);
  });
});
