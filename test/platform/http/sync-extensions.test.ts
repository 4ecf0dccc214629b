import { afterAll, afterEach, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { ADMIN_TOKEN, cleanupTempDirs, publishSkill, startHarness, seeded, tempDbPath, type Harness } from '../helpers.ts';

let h: Harness;
afterEach(async () => h?.stop());
afterAll(cleanupTempDirs);


const ids = (res: { json: any }): string[] => res.json.skills.map((s: any) => s.skill_id);

describe('cursor (keyset) pagination', () => {
  it('walks the whole catalog in (updated_at, skill_id) order and ends with next_cursor null', async () => {
    h = await seeded(230);
    const seen: string[] = [];
    let stamps: string[] = [];
    let res = await h.call('GET', '/api/v1/skills?page_size=50');
    for (let guard = 0; guard < 10; guard++) {
      seen.push(...ids(res));
      stamps = stamps.concat(res.json.skills.map((s: any) => `${s.updated_at} ${s.skill_id}`));
      if (res.json.next_cursor === null) break;
      expect(res.json.next_cursor).toMatch(/^[A-Za-z0-9_-]+$/);
      res = await h.call('GET', `/api/v1/skills?page_size=50&cursor=${res.json.next_cursor}`);
      expect(res.json.page).toBe(Math.ceil((seen.length + 1) / 50));
    }
    expect(res.json.next_cursor).toBeNull();
    expect(seen).toHaveLength(230);
    expect(new Set(seen).size).toBe(230);
    expect(stamps).toEqual([...stamps].sort());
  });

  it('never skips a row when rows are edited mid-paging (offset paging does)', async () => {
    h = await seeded(150);
    const all = ids(await h.call('GET', '/api/v1/skills?page_size=1000'));
    const first = await h.call('GET', '/api/v1/skills?page_size=50');
    const offsetFirst = ids(await h.call('GET', '/api/v1/skills?page=1&page_size=50'));
    // An edit to a row already seen moves it to the end of the order; an edit to an unseen row, too.
    const seenEdited = all[3] as string;
    const unseenEdited = all[120] as string;
    for (const id of [seenEdited, unseenEdited]) {
      h.clock.advance(1000);
      const put = await h.call('PUT', `/api/v1/skills/${id}`, { token: ADMIN_TOKEN, body: { description: 'edited' } });
      expect(put.status).toBe(200);
    }
    const viaCursor = ids(first);
    let res = first;
    while (res.json.next_cursor) {
      res = await h.call('GET', `/api/v1/skills?page_size=50&cursor=${res.json.next_cursor}`);
      viaCursor.push(...ids(res));
    }
    expect(new Set(viaCursor)).toEqual(new Set(all));
    // Both edited rows arrive (again) at the end, in their new version.
    expect(viaCursor.slice(-2)).toEqual([seenEdited, unseenEdited]);
    expect(res.json.skills.at(-1).description).toBe('edited');

    const viaOffset = [...offsetFirst];
    for (let page = 2; page <= 3; page++) viaOffset.push(...ids(await h.call('GET', `/api/v1/skills?page=${page}&page_size=50`)));
    const skipped = all.filter((id) => !viaOffset.includes(id));
    expect(skipped.length).toBeGreaterThan(0);
  });

  it('refuses a cursor used with other filters, or together with page', async () => {
    h = await seeded(30);
    const first = await h.call('GET', '/api/v1/skills?page_size=10&category=automation');
    const allFirst = await h.call('GET', '/api/v1/skills?page_size=10');
    const cursor = allFirst.json.next_cursor as string;
    expect((await h.call('GET', `/api/v1/skills?page_size=10&category=automation&cursor=${cursor}`)).json.field).toBe('cursor');
    expect((await h.call('GET', `/api/v1/skills?cursor=${cursor}&page=2`)).json.field).toBe('page');
    const forged = Buffer.from(JSON.stringify({ u: 'x', id: 1 })).toString('base64url');
    expect((await h.call('GET', `/api/v1/skills?cursor=${forged}`)).status).toBe(400);
    expect(first.status).toBe(200);
  });
});

describe('cursor pagination, property', () => {
  type Edit = { kind: 'none' } | { kind: 'update' | 'delete'; at: number } | { kind: 'publish' };
  const edit: fc.Arbitrary<Edit> = fc.oneof(
    fc.constant<Edit>({ kind: 'none' }),
    fc.constant<Edit>({ kind: 'publish' }),
    fc.record({ kind: fc.constantFrom<'update' | 'delete'>('update', 'delete'), at: fc.nat(200) }),
  );

  it('walks any catalog with any page sizes, edits between pages: ordered, nothing unchanged skipped or repeated, every change seen', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: 40 }),
        fc.boolean(),
        fc.array(fc.record({ pageSize: fc.integer({ min: 1, max: 25 }), edit }), { minLength: 1, maxLength: 12 }),
        async (size, includeDeleted, steps) => {
          const run = await seeded(size);
          try {
            const all = (await run.call('GET', '/api/v1/skills?page_size=1000')).json.skills.map((s: any) => s.skill_id as string);
            const changed = new Set<string>();
            const deleted = new Set<string>();
            const updated = new Set<string>();
            const seen: { key: string; id: string; gone: boolean }[] = [];
            const extra = includeDeleted ? '&include_deleted=true' : '';
            let cursor: string | null | undefined;
            for (let i = 0; cursor !== null; i += 1) {
              const step = steps[i % steps.length]!;
              const res = await run.call('GET', `/api/v1/skills?page_size=${step.pageSize}${extra}${cursor ? `&cursor=${cursor}` : ''}`);
              expect(res.status).toBe(200);
              seen.push(...res.json.skills.map((s: any) => ({ key: `${s.updated_at} ${s.skill_id}`, id: s.skill_id, gone: false })));
              if (includeDeleted) seen.push(...res.json.deleted.map((d: any) => ({ key: `${d.deleted_at} ${d.skill_id}`, id: d.skill_id, gone: true })));
              cursor = res.json.next_cursor;
              // Edits between pages only (after the last page a change is the next walk's), and only
              // during the first pass over the steps, so the walk ends.
              if (cursor === null || i >= steps.length) continue;
              run.clock.advance(1000);
              const live = all.filter((id: string) => !deleted.has(id));
              const target = step.edit.kind === 'update' || step.edit.kind === 'delete' ? live[step.edit.at % Math.max(live.length, 1)] : undefined;
              if (step.edit.kind === 'publish') all.push((await publishSkill(run, { name: `Published ${i}` })).skill_id);
              else if (target && step.edit.kind === 'update') {
                expect((await run.call('PUT', `/api/v1/skills/${target}`, { token: ADMIN_TOKEN, body: { description: `edit ${i}` } })).status).toBe(200);
                changed.add(target);
                updated.add(target);
              } else if (target && step.edit.kind === 'delete') {
                expect((await run.call('DELETE', `/api/v1/skills/${target}`, { token: ADMIN_TOKEN })).status).toBe(200);
                changed.add(target);
                deleted.add(target);
              }
            }
            // Keyset order across pages (tombstones in the same stream): strictly increasing, so no repeats.
            const sortedCopy = (items: string[]) => items.slice().sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
            const inOrder = (items: typeof seen) => items.map((s) => s.key);
            if (!includeDeleted) expect(inOrder(seen)).toEqual(sortedCopy(inOrder(seen)));
            // Live skills and tombstones each in order (one stream sorted by time: skills by updated_at, tombstones by deleted_at).
            expect(inOrder(seen.filter((s) => !s.gone))).toEqual(sortedCopy(inOrder(seen.filter((s) => !s.gone))));
            expect(new Set(seen.map((s) => s.key)).size).toBe(seen.length);
            // Never skipped: every skill left alone is seen exactly once.
            for (const id of all.filter((x: string) => !changed.has(x))) expect(seen.filter((s) => s.id === id && !s.gone)).toHaveLength(1);
            // Every change arrives: an updated skill after its update, a deletion as a tombstone.
            for (const id of updated) if (!deleted.has(id)) expect(seen.filter((s) => s.id === id && !s.gone).length).toBeGreaterThanOrEqual(1);
            if (includeDeleted) for (const id of deleted) expect(seen.filter((s) => s.id === id && s.gone)).toHaveLength(1);
          } finally {
            await run.stop();
          }
        },
      ),
      { numRuns: 15 },
    );
  }, 60_000);
});

describe('updated_since and tombstones', () => {
  it('returns what changed at or after a time, and deletions as {skill_id, deleted_at} with include_deleted=true', async () => {
    h = await startHarness();
    const t0 = h.clock.now();
    const a = await publishSkill(h, { name: 'Alpha' });
    h.clock.advance(10_000);
    const t1 = h.clock.now();
    const b = await publishSkill(h, { name: 'Beta' });
    const since1 = await h.call('GET', `/api/v1/skills?updated_since=${new Date(t1).toISOString()}`);
    expect(ids(since1)).toEqual([b.skill_id]);
    expect(since1.json).not.toHaveProperty('deleted');
    expect(ids(await h.call('GET', `/api/v1/skills?updated_since=${new Date(t0).toISOString()}`))).toEqual([a.skill_id, b.skill_id]);

    h.clock.advance(10_000);
    const t2 = h.clock.now();
    const del = await h.call('DELETE', `/api/v1/skills/${a.skill_id}`, { token: ADMIN_TOKEN });
    expect(del.json).toEqual({ skill_id: a.skill_id, deleted_at: new Date(t2).toISOString() });
    expect((await h.call('GET', `/api/v1/skills/${a.skill_id}`)).status).toBe(404);

    const since2 = await h.call('GET', `/api/v1/skills?updated_since=${new Date(t2).toISOString()}&include_deleted=true`);
    expect(since2.json.skills).toEqual([]);
    expect(since2.json.deleted).toEqual([{ skill_id: a.skill_id, deleted_at: new Date(t2).toISOString() }]);
    expect(since2.json.total).toBe(1);

    const everything = await h.call('GET', '/api/v1/skills?include_deleted=true');
    expect(ids(everything)).toEqual([b.skill_id]);
    expect(everything.json.deleted.map((d: any) => d.skill_id)).toEqual([a.skill_id]);
    // Without include_deleted a deletion is simply absent.
    expect((await h.call('GET', '/api/v1/skills')).json.total).toBe(1);
  });

  it('pages tombstones and skills as one stream in time order', async () => {
    h = await startHarness();
    const made = [];
    for (let i = 0; i < 6; i++) {
      made.push(await publishSkill(h, { name: `S${i}` }));
      h.clock.advance(1000);
    }
    for (const s of [made[1], made[4]]) {
      await h.call('DELETE', `/api/v1/skills/${s.skill_id}`, { token: ADMIN_TOKEN });
      h.clock.advance(1000);
    }
    const order: string[] = [];
    let res = await h.call('GET', '/api/v1/skills?include_deleted=true&page_size=3');
    expect(res.json.total).toBe(6);
    for (let guard = 0; guard < 5; guard++) {
      order.push(...ids(res).map((id) => `live:${id}`), ...res.json.deleted.map((d: any) => `gone:${d.skill_id}`));
      if (!res.json.next_cursor) break;
      res = await h.call('GET', `/api/v1/skills?include_deleted=true&page_size=3&cursor=${res.json.next_cursor}`);
    }
    expect(order).toEqual([
      `live:${made[0].skill_id}`, `live:${made[2].skill_id}`, `live:${made[3].skill_id}`,
      `live:${made[5].skill_id}`, `gone:${made[1].skill_id}`, `gone:${made[4].skill_id}`,
    ]);
  });

  it('re-publishing a deleted skill_id removes its tombstone', async () => {
    h = await startHarness();
    const a = await publishSkill(h);
    await h.call('DELETE', `/api/v1/skills/${a.skill_id}`, { token: ADMIN_TOKEN });
    const again = await publishSkill(h, { skill_id: a.skill_id });
    expect(again.skill_id).toBe(a.skill_id);
    const res = await h.call('GET', '/api/v1/skills?include_deleted=true');
    expect(res.json.deleted).toEqual([]);
    expect(ids(res)).toEqual([a.skill_id]);
  });
});

describe('ETag / If-None-Match and high_water_seq', () => {
  it('answers 304 while nothing changed, 200 with a new ETag after any change', async () => {
    h = await startHarness();
    const skill = await publishSkill(h);
    for (const path of ['/api/v1/skills?page_size=10', `/api/v1/skills/${skill.skill_id}`, '/api/v1/categories']) {
      const first = await h.call('GET', path);
      const etag = first.headers.get('etag');
      expect(etag).toMatch(/^"[^"]+"$/);
      const again = await h.call('GET', path, { headers: { 'if-none-match': etag as string } });
      expect(again.status).toBe(304);
      expect(again.text).toBe('');
      expect(again.headers.get('etag')).toBe(etag);
      expect((await h.call('GET', path, { headers: { 'if-none-match': `"other", W/${etag}` } })).status).toBe(304);
      expect((await h.call('GET', path, { headers: { 'if-none-match': '"stale"' } })).status).toBe(200);
    }
    const list = await h.call('GET', '/api/v1/skills?page_size=10');
    const other = await h.call('GET', '/api/v1/skills?page_size=11');
    expect(other.headers.get('etag')).not.toBe(list.headers.get('etag'));
    await h.call('POST', '/api/v1/ratings', { body: { skill_id: skill.skill_id, rating: 4, user_id: 'u1' } });
    const changed = await h.call('GET', '/api/v1/skills?page_size=10', { headers: { 'if-none-match': list.headers.get('etag') as string } });
    expect(changed.status).toBe(200);
    expect(changed.json.skills[0].rating_count).toBe(1);
    expect(changed.headers.get('etag')).not.toBe(list.headers.get('etag'));
  });

  it('reports the seq of the last committed change as high_water_seq', async () => {
    h = await startHarness();
    expect((await h.call('GET', '/api/v1/skills')).json.high_water_seq).toBe(0);
    await publishSkill(h);
    const last = h.pushed.at(-1)?.seq;
    expect(last).toBeGreaterThan(0);
    expect((await h.call('GET', '/api/v1/skills')).json.high_water_seq).toBe(last);
  });
});

describe('POST /api/v1/skills/lookup (batched existence for reconciliation)', () => {
  it('answers which of up to 1000 ids the platform still has, in one request', async () => {
    h = await seeded(30);
    const all = ids(await h.call('GET', '/api/v1/skills?page_size=1000'));
    const removed = all[0] as string;
    expect((await h.call('DELETE', `/api/v1/skills/${removed}`, { token: ADMIN_TOKEN })).status).toBe(200);
    const unknown = '00000000-0000-4000-8000-000000000000';
    const res = await h.call('POST', '/api/v1/skills/lookup', { body: { skill_ids: [removed, all[1], all[2]!.toUpperCase(), unknown] } });
    expect(res.status).toBe(200);
    expect([...res.json.existing].sort()).toEqual([all[1], all[2]].sort());
    // It costs one request of the budget, like any other.
    expect(res.headers.get('ratelimit')).toMatch(/^"default";r=\d+;t=\d+$/);
  });

  it('refuses an empty list, more than 1000 ids, or ids that are not UUIDs with 400', async () => {
    h = await seeded(1);
    const uuid = '00000000-0000-4000-8000-000000000000';
    for (const body of [{ skill_ids: [] }, { skill_ids: Array.from({ length: 1001 }, () => uuid) }, { skill_ids: ['nope'] }, {}]) {
      const res = await h.call('POST', '/api/v1/skills/lookup', { body });
      expect(res.status).toBe(400);
      expect(res.json).toMatchObject({ error: expect.any(String), message: expect.any(String) });
    }
  });
});
