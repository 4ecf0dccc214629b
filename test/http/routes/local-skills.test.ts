import { describe, expect, it } from 'vitest';
import { useShells } from '../helpers.ts';
import { makeSkill } from '../../support/skills.ts';
import type { Agent } from '../../../src/runtime/create-agent.ts';

const json = (method: 'PATCH' | 'POST', url: string, payload: unknown) => ({ method, url, payload: payload as object });
const firstId = (agent: Agent) => agent.store.db.prepare('SELECT skill_id FROM skill_cache ORDER BY skill_id LIMIT 1').pluck().get() as string;

describe('local marketplace API (/api/skills)', () => {
  const shell = useShells();

  it('pages and searches the cache without a token; an edit shows instead of the remote version', async () => {
    const { request, agent } = await shell({ skills: 15 });
    const all = await request({ method: 'GET', url: '/api/skills?page_size=10' });
    expect(all.statusCode).toBe(200);
    expect(all.json()).toMatchObject({ total: 15, page: 1, page_size: 10 });
    expect(all.json().items).toHaveLength(10);
    expect((await request({ method: 'GET', url: '/api/skills?page=2&page_size=10' })).json().items).toHaveLength(5);

    const id = firstId(agent);
    agent.editSkill(id, { description: 'zebra-unique locally' });
    const found = (await request({ method: 'GET', url: '/api/skills?query=ZEBRA-unique' })).json();
    expect(found.total).toBe(1);
    expect(found.items[0]).toMatchObject({ skill_id: id, description: 'zebra-unique locally', locally_edited: true, origin: 'remote' });
    expect((await request({ method: 'GET', url: '/api/skills?query=100%25' })).json().total).toBe(0);

    const category = agent.store.skills.get(id)!.remote.category;
    const byCategory = (await request({ method: 'GET', url: `/api/skills?category=${encodeURIComponent(category)}` })).json();
    expect(byCategory.total).toBeGreaterThan(0);
    expect(byCategory.items.every((s: { category: string }) => s.category === category)).toBe(true);
    for (const q of ['page=0', 'page_size=0', 'page_size=101', 'page=x']) expect((await request({ method: 'GET', url: `/api/skills?${q}` })).statusCode, q).toBe(400);
  });

  it('gets one skill (404 unknown) and edits it through editSkill', async () => {
    const { request, agent } = await shell({ skills: 3 });
    const id = firstId(agent);
    const one = await request({ method: 'GET', url: `/api/skills/${id}` });
    expect(one.statusCode).toBe(200);
    expect(one.json()).toMatchObject({ skill_id: id, locally_edited: false, edited_at: null });
    expect((await request({ method: 'GET', url: '/api/skills/nope' })).json()).toEqual({ error: 'Not Found', message: expect.any(String) });

    const edited = await request(json('PATCH', `/api/skills/${id}`, { description: 'better', tags: ['x'] }));
    expect(edited.statusCode).toBe(200);
    expect(edited.json()).toMatchObject({ skill_id: id, description: 'better', tags: ['x'], locally_edited: true, edited_at: expect.any(String) });
    expect(agent.store.skills.get(id)?.local?.description).toBe('better');
    expect((await request(json('PATCH', '/api/skills/nope', { description: 'x' }))).json()).toEqual({ error: 'Not Found', message: expect.any(String), field: 'skill_id' });
    for (const payload of [{}, { rating_count: 9 }, { name: '' }, { tags: 'x' }]) {
      expect((await request(json('PATCH', `/api/skills/${id}`, payload))).statusCode, JSON.stringify(payload)).toBe(400);
    }
  });

  it('rates a skill into the outbox: 201, 400 naming the field, 404 unknown skill', async () => {
    const { request, agent } = await shell({ skills: 3 });
    const id = firstId(agent);
    const res = await request(json('POST', `/api/skills/${id}/ratings`, { user_id: 'u1', rating: 5, comment: 'great' }));
    expect(res.statusCode).toBe(201);
    expect(res.json()).toEqual({ id: expect.any(Number), client_rating_id: expect.any(String), sync_status: 'pending' });
    expect(agent.store.ratings.statusCounts().pending).toBe(1);
    expect((await request(json('POST', `/api/skills/${id}/ratings`, { user_id: '   ', rating: 5 }))).json()).toEqual({ error: 'Bad Request', message: expect.any(String), field: 'user_id' });
    expect((await request(json('POST', '/api/skills/nope/ratings', { user_id: 'u1', rating: 5 }))).statusCode).toBe(404);
    for (const payload of [{ user_id: 'u1', rating: 6 }, { user_id: 'u1', rating: '5' }, { rating: 3 }]) {
      expect((await request(json('POST', `/api/skills/${id}/ratings`, payload))).statusCode, JSON.stringify(payload)).toBe(400);
    }
  });

  it('imports skills with origin local in local-only mode; refuses the whole batch listing invalid entries', async () => {
    const { request, agent } = await shell();
    const bad = await request(json('POST', '/api/skills/import', { skills: [makeSkill(1), { skill_id: 'x' }, 'nope'] }));
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toEqual({ error: 'Bad Request', message: expect.stringContaining('2 of 3'), invalid: [{ index: 1, reason: 'skill x: name missing' }, { index: 2, reason: 'skill is not an object' }] });
    expect(agent.store.skills.count()).toBe(0);

    const ok = await request(json('POST', '/api/skills/import', { skills: [makeSkill(1), makeSkill(2)] }));
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toEqual({ imported: 2 });
    expect(agent.store.skills.get(makeSkill(1).skill_id)?.origin).toBe('local');
    expect((await request({ method: 'GET', url: '/api/skills' })).json().total).toBe(2);
    expect((await request(json('POST', '/api/skills/import', { skills: [] }))).statusCode).toBe(400);
  });
});
