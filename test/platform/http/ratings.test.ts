import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cleanupTempDirs, publishSkill, startHarness, type Harness } from '../helpers.ts';

let h: Harness;
let skillId: string;
beforeEach(async () => {
  h = await startHarness();
  skillId = (await publishSkill(h)).skill_id;
  h.pushed.length = 0;
});
afterEach(async () => h.stop());
afterAll(cleanupTempDirs);

const rate = (body: Record<string, unknown>) => h.call('POST', '/api/v1/ratings', { body });
const iso = (ms: number) => new Date(ms).toISOString();

describe('POST /api/v1/ratings validation (spec 000)', () => {
  const valid = () => ({ skill_id: skillId, rating: 5, comment: 'Great skill!', user_id: 'user@example.com' });
  it.each([
    ['skill_id', 'not a UUID', { skill_id: 'not-a-uuid' }],
    ['skill_id', 'missing', { skill_id: undefined }],
    ['rating', '0', { rating: 0 }],
    ['rating', '6', { rating: 6 }],
    ['rating', 'not an integer', { rating: 4.5 }],
    ['rating', 'a string', { rating: '5' }],
    ['rating', 'a boolean', { rating: true }],
    ['rating', 'missing', { rating: undefined }],
    ['comment', '1001 characters', { comment: 'x'.repeat(1001) }],
    ['comment', 'a number', { comment: 42 }],
    ['user_id', 'missing', { user_id: undefined }],
    ['user_id', 'empty', { user_id: '' }],
    ['updated_at', 'not a time', { updated_at: 'last tuesday' }],
    ['client_rating_id', 'empty', { client_rating_id: '' }],
  ])('400 naming %s when it is %s', async (field, _what, patch) => {
    const res = await rate({ ...valid(), ...patch });
    expect(res.status).toBe(400);
    expect(res.json).toMatchObject({ error: 'Bad Request', field });
    expect(res.json.message).toContain(field);
  });

  it('accepts a 1000-character comment and no comment at all', async () => {
    expect((await rate({ ...valid(), comment: 'x'.repeat(1000) })).status).toBe(201);
    expect((await rate({ ...valid(), user_id: 'other', comment: undefined })).status).toBe(201);
  });

  it('400 for a body that is not a JSON object, and for a rating stamped in the future', async () => {
    expect((await rate([1, 2] as never)).status).toBe(400);
    const bad = await h.call('POST', '/api/v1/ratings', { body: '{"skill_id":' });
    expect(bad.status).toBe(400);
    expect(bad.json.error).toBe('Bad Request');
    const future = await rate({ ...valid(), updated_at: iso(h.clock.now() + 3_600_000) });
    expect(future.status).toBe(400);
    expect(future.json.field).toBe('updated_at');
  });

  it('404 for an unknown skill', async () => {
    const res = await rate({ ...valid(), skill_id: '00000000-0000-4000-8000-000000000000' });
    expect(res.status).toBe(404);
    expect(res.json).toEqual({ error: 'Not Found', message: 'skill not found' });
  });
});

describe('rating semantics', () => {
  it('answers 201 with the new aggregate and broadcasts rating_update', async () => {
    const a = await rate({ skill_id: skillId, rating: 5, user_id: 'a' });
    expect(a.status).toBe(201);
    expect(Object.keys(a.json).sort()).toEqual(
      ['average_rating', 'created_at', 'rating', 'rating_count', 'rating_id', 'skill_id', 'success', 'updated_at']);
    expect(a.json).toMatchObject({ success: true, skill_id: skillId, rating: 5, average_rating: 5, rating_count: 1 });
    const b = await rate({ skill_id: skillId, rating: 4, user_id: 'b' });
    const c = await rate({ skill_id: skillId, rating: 4, user_id: 'c' });
    expect(b.json).toMatchObject({ average_rating: 4.5, rating_count: 2 });
    expect(c.json).toMatchObject({ average_rating: 4.33, rating_count: 3 });
    expect(h.pushed.map((m) => m.type)).toEqual(['rating_update', 'rating_update', 'rating_update']);
    expect(h.pushed.at(-1)?.data).toMatchObject({ skill_id: skillId, rating: 4, average_rating: 4.33, rating_count: 3 });
    const skill = (await h.call('GET', `/api/v1/skills/${skillId}`)).json;
    expect(skill).toMatchObject({ average_rating: 4.33, rating_count: 3 });
    expect(skill.ratings.map((r: any) => r.user_id).sort()).toEqual(['a', 'b', 'c']);
  });

  it('409 for a second rating by the same user unless its updated_at is newer (newest wins)', async () => {
    const t = h.clock.now();
    expect((await rate({ skill_id: skillId, rating: 2, user_id: 'u', updated_at: iso(t - 60_000) })).status).toBe(201);

    const noStamp = await rate({ skill_id: skillId, rating: 5, user_id: 'u' });
    expect(noStamp.status).toBe(409);
    expect(noStamp.json.current).toMatchObject({ user_id: 'u', rating: 2, updated_at: iso(t - 60_000) });

    const older = await rate({ skill_id: skillId, rating: 5, user_id: 'u', updated_at: iso(t - 120_000) });
    expect(older.status).toBe(409);
    const same = await rate({ skill_id: skillId, rating: 5, user_id: 'u', updated_at: iso(t - 60_000) });
    expect(same.status).toBe(409);

    const newer = await rate({ skill_id: skillId, rating: 5, user_id: 'u', updated_at: iso(t) });
    expect(newer.status).toBe(200);
    expect(newer.json).toMatchObject({ rating: 5, average_rating: 5, rating_count: 1, updated_at: iso(t) });
    const skill = (await h.call('GET', `/api/v1/skills/${skillId}`)).json;
    expect(skill.ratings).toHaveLength(1);
    expect(skill.ratings[0]).toMatchObject({ rating: 5, updated_at: iso(t) });
  });

  it('makes a retried upload with the same client_rating_id idempotent: same answer, counted once', async () => {
    const body = { skill_id: skillId, rating: 3, user_id: 'retry', client_rating_id: 'outbox-1' };
    const first = await rate(body);
    h.clock.advance(5000);
    await rate({ skill_id: skillId, rating: 5, user_id: 'someone-else' });
    const retry = await rate(body);
    expect(first.status).toBe(201);
    expect(retry.status).toBe(201);
    expect(retry.json).toEqual(first.json);
    const skill = (await h.call('GET', `/api/v1/skills/${skillId}`)).json;
    expect(skill.rating_count).toBe(2);
    expect(h.pushed.filter((m) => m.type === 'rating_update')).toHaveLength(2);
    // The same key with different content is a client bug, not a retry.
    const reused = await rate({ ...body, rating: 1 });
    expect(reused.status).toBe(422);
    expect(reused.json.field).toBe('client_rating_id');
  });

  it('bumps the skill updated_at so an updated_since catch-up brings the new aggregate', async () => {
    const before = (await h.call('GET', `/api/v1/skills/${skillId}`)).json.updated_at;
    h.clock.advance(1000);
    const since = iso(h.clock.now());
    await rate({ skill_id: skillId, rating: 1, user_id: 'late' });
    const changed = await h.call('GET', `/api/v1/skills?updated_since=${since}`);
    expect(changed.json.skills).toHaveLength(1);
    expect(changed.json.skills[0]).toMatchObject({ rating_count: 1, average_rating: 1 });
    expect(changed.json.skills[0].updated_at > before).toBe(true);
  });
});

describe('POST /api/v1/skills/{id}/install', () => {
  it('answers dependencies_installed from the packages, without executing anything', async () => {
    const skill = await publishSkill(h, { python_packages: ['numpy==1.21.0', 'pandas>=1.3.0'], npm_packages: ['zod@^3'] });
    const res = await h.call('POST', `/api/v1/skills/${skill.skill_id}/install`, { body: { agent_id: 'local', auto_install_deps: true } });
    expect(res.status).toBe(200);
    expect(res.json).toEqual({
      success: true, skill_id: skill.skill_id, installed_at: iso(h.clock.now()),
      dependencies_installed: ['numpy==1.21.0', 'pandas>=1.3.0', 'zod@^3'],
    });
    const none = await h.call('POST', `/api/v1/skills/${skill.skill_id}/install`, { body: { auto_install_deps: false } });
    expect(none.json.dependencies_installed).toEqual([]);
    const noBody = await h.call('POST', `/api/v1/skills/${skill.skill_id}/install`);
    expect(noBody.status).toBe(200);
    expect((await h.call('POST', '/api/v1/skills/00000000-0000-4000-8000-000000000000/install', { body: {} })).status).toBe(404);
  });
});
