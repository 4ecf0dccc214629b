import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ADMIN_TOKEN, SPEC_SKILL_KEYS, cleanupTempDirs, publishSkill, startHarness, seeded, tempDbPath, type Harness } from '../helpers.ts';

let h: Harness;
afterEach(async () => h?.stop());
afterAll(cleanupTempDirs);


describe('GET /api/v1/skills (spec 000)', () => {
  beforeEach(async () => {
    h = await seeded(250);
  });

  it('answers exactly the spec fields, defaulting to page 1 of 100', async () => {
    const res = await h.call('GET', '/api/v1/skills');
    expect(res.status).toBe(200);
    expect(Object.keys(res.json).sort()).toEqual(['high_water_seq', 'next_cursor', 'page', 'page_size', 'skills', 'total', 'total_pages']);
    expect(res.json).toMatchObject({ page: 1, page_size: 100, total: 250, total_pages: 3 });
    expect(res.json.skills).toHaveLength(100);
    for (const skill of res.json.skills) expect(Object.keys(skill).sort()).toEqual(SPEC_SKILL_KEYS);
    const s = res.json.skills[0];
    expect(s.skill_id).toMatch(/^[0-9a-f-]{36}$/);
    expect(Array.isArray(s.tags) && Array.isArray(s.python_packages) && Array.isArray(s.npm_packages)).toBe(true);
    expect(typeof s.metadata).toBe('object');
    expect(new Date(s.updated_at).toISOString()).toBe(s.updated_at);
  });

  it('pages by page and page_size, the last page short, past the end empty', async () => {
    const last = await h.call('GET', '/api/v1/skills?page=3&page_size=100');
    expect(last.json.skills).toHaveLength(50);
    expect(last.json.next_cursor).toBeNull();
    const beyond = await h.call('GET', '/api/v1/skills?page=9&page_size=100');
    expect(beyond.status).toBe(200);
    expect(beyond.json.skills).toEqual([]);
    const all = await h.call('GET', '/api/v1/skills?page_size=1000');
    expect(all.json.skills).toHaveLength(250);
    expect(new Set(all.json.skills.map((s: any) => s.skill_id)).size).toBe(250);
  });

  it.each([
    ['page_size=0', 'page_size'],
    ['page_size=1001', 'page_size'],
    ['page_size=abc', 'page_size'],
    ['page_size=1.5', 'page_size'],
    ['page=0', 'page'],
    ['page=-1', 'page'],
    ['page=x', 'page'],
    ['updated_since=yesterday', 'updated_since'],
    ['include_deleted=maybe', 'include_deleted'],
    ['cursor=not-a-cursor!', 'cursor'],
    ['query=(300 characters)', 'query'],
  ])('%s → 400 naming %s', async (label, field) => {
    const qs = label === 'query=(300 characters)' ? `query=${'q'.repeat(300)}` : label;
    const res = await h.call('GET', `/api/v1/skills?${qs}`);
    expect(res.status).toBe(400);
    expect(res.json.field).toBe(field);
    expect(res.json.error).toBe('Bad Request');
    expect(res.json.message).toContain(field);
  });

  it('filters by category, with totals that match the category counts', async () => {
    const cats = (await h.call('GET', '/api/v1/categories')).json.categories as { name: string; skill_count: number }[];
    expect(cats).toHaveLength(24);
    const biggest = cats.reduce((a, b) => (b.skill_count > a.skill_count ? b : a));
    const res = await h.call('GET', `/api/v1/skills?category=${biggest.name}&page_size=1000`);
    expect(res.json.total).toBe(biggest.skill_count);
    expect(res.json.skills.every((s: any) => s.category === biggest.name)).toBe(true);
    expect(cats.reduce((n, c) => n + c.skill_count, 0)).toBe(250);
    expect((await h.call('GET', '/api/v1/skills?category=no-such-category')).json.total).toBe(0);
  });
});

describe('full-text query', () => {
  beforeEach(async () => {
    h = await startHarness();
    await publishSkill(h, { name: 'Send Email', description: 'Send emails via SMTP', tags: ['mail'] });
    await publishSkill(h, { name: 'Parse Invoice', description: 'Reads PDF invoices', tags: ['finance', 'ocr'] });
    await publishSkill(h, { name: 'Translate Text', description: 'Translate documents', tags: ['nlp'], category: 'language' });
  });

  const names = async (qs: string) =>
    ((await h.call('GET', `/api/v1/skills?${qs}`)).json.skills as { name: string }[]).map((s) => s.name).sort();

  it('matches name, description and tags, by word prefix, all words required', async () => {
    expect(await names('query=email')).toEqual(['Send Email']);
    expect(await names('query=smtp')).toEqual(['Send Email']);
    expect(await names('query=ocr')).toEqual(['Parse Invoice']);
    expect(await names('query=invo')).toEqual(['Parse Invoice']);
    expect(await names('query=send%20smtp')).toEqual(['Send Email']);
    expect(await names('query=send%20pdf')).toEqual([]);
  });

  it('combines query with category and treats FTS syntax as plain words', async () => {
    expect(await names('query=translate&category=language')).toEqual(['Translate Text']);
    expect(await names('query=translate&category=automation')).toEqual([]);
    expect(await names('query=%22email%22*%20(%20NEAR(')).toEqual([]); // NEAR is a word to find, not an operator
    expect(await names('query=%22email%22*%20(')).toEqual(['Send Email']);
    expect(await names('query=send%20OR%20parse')).toEqual([]); // OR is a word too: all words required
    expect(await names('query=***')).toEqual([]);
    expect(await names('query=')).toHaveLength(3);
  });

  it('reflects edits and deletions in search immediately', async () => {
    const skill = (await h.call('GET', '/api/v1/skills?query=translate')).json.skills[0];
    await h.call('PUT', `/api/v1/skills/${skill.skill_id}`, { token: ADMIN_TOKEN, body: { name: 'Localize Text', tags: ['i18n'] } });
    expect(await names('query=translate')).toEqual(['Localize Text']); // still in the description
    expect(await names('query=i18n')).toEqual(['Localize Text']);
    expect(await names('query=nlp')).toEqual([]);
    await h.call('DELETE', `/api/v1/skills/${skill.skill_id}`, { token: ADMIN_TOKEN });
    expect(await names('query=localize')).toEqual([]);
  });
});
