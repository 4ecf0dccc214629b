import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { checkListingEnvelope, checkSkill, checkTombstone } from '../../src/marketplace/validate.ts';
import { MAX_JSON_DEPTH } from '../../src/marketplace/json-depth.ts';
import { makeSkill } from '../support/skills.ts';

const deepArrays = (levels: number): unknown => JSON.parse(`${'['.repeat(levels)}${']'.repeat(levels)}`);
const deepObject = (levels: number): unknown => JSON.parse(`${'{"a":'.repeat(levels)}1${'}'.repeat(levels)}`);

describe('checkSkill on what a hostile platform sends', () => {
  it('refuses entries that are not skills at all', () => {
    for (const entry of [null, 5, 'x', [], true, undefined, deepArrays(100_000)]) {
      expect(checkSkill(entry)).toMatchObject({ ok: false, reason: 'skill is not an object' });
    }
  });

  it('refuses the right ids with wrong types, every time', () => {
    const cases: [Record<string, unknown>, RegExp][] = [
      [{ name: 123 }, /name/],
      [{ updated_at: 'yesterday' }, /updated_at/],
      [{ updated_at: '1' }, /updated_at/],
      [{ updated_at: 1_700_000_000_000 }, /updated_at/],
      [{ tags: 'x' }, /tags/],
      [{ tags: [1] }, /tags/],
      [{ python_packages: {} }, /python_packages/],
      [{ metadata: [] }, /metadata/],
      [{ rating_count: 2.5 }, /rating_count/],
      [{ rating_count: -1 }, /rating_count/],
      [{ average_rating: '4' }, /average_rating/],
      [{ created_at: 'last week' }, /created_at/],
      [{ code: null }, /code/],
    ];
    for (const [override, reason] of cases) {
      const entry = { ...makeSkill(1), ...override };
      for (let run = 0; run < 3; run += 1) expect(checkSkill(entry)).toMatchObject({ ok: false, reason: expect.stringMatching(reason) });
    }
  });

  it('refuses metadata nested past MAX_JSON_DEPTH (100,000 levels too, without a stack overflow), keeps it at the limit', () => {
    expect(checkSkill({ ...makeSkill(1), metadata: deepObject(MAX_JSON_DEPTH) })).toMatchObject({ ok: true });
    expect(checkSkill({ ...makeSkill(1), metadata: deepObject(MAX_JSON_DEPTH + 1) })).toMatchObject({ ok: false, reason: expect.stringMatching(/deeper than 64/) });
    expect(checkSkill({ ...makeSkill(1), metadata: deepObject(100_000) })).toMatchObject({ ok: false });
  });

  it('is total and deterministic: any value passes or fails, the same way twice, never throwing', () => {
    fc.assert(fc.property(fc.anything({ withNullPrototype: true, withObjectString: true }), (value) => {
      expect(checkSkill(value)).toEqual(checkSkill(value));
      expect(checkTombstone(value)).toEqual(checkTombstone(value));
    }));
  });

  it('refuses a skill whose any one field is replaced by a value of another type', () => {
    const typed = { name: 'string', updated_at: 'time', description: 'string', tags: 'strings', metadata: 'object', rating_count: 'count' } as const;
    const wrong = fc.oneof(fc.integer(), fc.boolean(), fc.constant(null), fc.constant([]), fc.constant({}), fc.constant([1]));
    fc.assert(fc.property(fc.constantFrom(...Object.keys(typed)), wrong, (field, value) => {
      const kind = typed[field as keyof typeof typed];
      fc.pre(!(kind === 'strings' && Array.isArray(value) && value.length === 0));
      fc.pre(!(kind === 'object' && typeof value === 'object' && value !== null && !Array.isArray(value)));
      fc.pre(!(kind === 'count' && Number.isSafeInteger(value) && (value as number) >= 0));
      expect(checkSkill({ ...makeSkill(1), [field]: value }).ok).toBe(false);
    }));
  });
});

describe('checkListingEnvelope', () => {
  const good = { skills: [], page: 1, page_size: 100, total: 0, total_pages: 0, next_cursor: null };

  it('reads a spec 000 page, with or without the sync extensions', () => {
    expect(checkListingEnvelope(good)).toMatchObject({ ok: true, value: { nextCursor: null, total: 0, deleted: [] } });
    const { next_cursor: _c, ...plain } = good;
    expect(checkListingEnvelope(plain)).toMatchObject({ ok: true, value: { nextCursor: undefined } });
  });

  it('refuses an envelope it could not page by', () => {
    for (const body of [null, [], 'x', { ...good, skills: null }, { ...good, skills: [[[]]] as unknown[] }, { ...good, total: undefined },
      { ...good, total: -1 }, { ...good, total: '250' }, { ...good, total: 1.5 }, { ...good, page: 0 }, { ...good, total_pages: Infinity },
      { ...good, next_cursor: 5 }, { ...good, next_cursor: '' }, { ...good, next_cursor: 'c'.repeat(5000) }, { ...good, deleted: {} }]) {
      const checked = checkListingEnvelope(body);
      // A list of lists is an envelope with one bad entry: the entry check refuses it, not this one.
      if (body !== null && typeof body === 'object' && !Array.isArray(body) && Array.isArray(body.skills) && body.skills.length === 1) expect(checked.ok).toBe(true);
      else expect(checked.ok).toBe(false);
    }
  });
});
