import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { mergeSkill, mergeText, unionTags } from '../../src/conflicts/merge.ts';
import { makeSkill } from '../support/skills.ts';

const text = fc.string({ maxLength: 30 });
const tags = fc.uniqueArray(fc.constantFrom('a', 'b', 'c', 'd', 'e', 'f'), { maxLength: 6 });
const variant = fc.record({ description: text, tags, code: text, version: fc.constantFrom('1.0.0', '1.1.0', '2.0.0') });
const skillFrom = (v: { description: string; tags: string[]; code: string; version: string }) => makeSkill(1, v);

describe('mergeSkill', () => {
  it('keeps local code, unions tags, takes the rest from remote', () => {
    const base = makeSkill(1, { description: 'base', tags: ['x'], code: 'base code' });
    const local = { ...base, description: 'base', tags: ['x', 'mine'], code: 'local code' };
    const remote = { ...base, description: 'remote text', tags: ['x', 'theirs'], code: 'remote code', version: '2.0.0', name: 'Renamed' };
    expect(mergeSkill(base, local, remote)).toEqual({ ...remote, description: 'remote text', tags: ['x', 'theirs', 'mine'], code: 'local code' });
  });

  it('is deterministic and idempotent, keeps local code and a superset of both sides\' tags', () => {
    fc.assert(
      fc.property(variant, variant, variant, (b, l, r) => {
        const [base, local, remote] = [skillFrom(b), skillFrom(l), skillFrom(r)];
        const merged = mergeSkill(base, local, remote);
        expect(mergeSkill(base, local, remote)).toEqual(merged);
        expect(mergeSkill(base, merged, remote)).toEqual(merged);
        expect(merged.code).toBe(local.code);
        expect(merged.version).toBe(remote.version);
        for (const tag of [...local.tags, ...remote.tags]) expect(merged.tags).toContain(tag);
        expect(new Set(merged.tags).size).toBe(merged.tags.length);
      }),
      { numRuns: 500 },
    );
  });
});

describe('mergeText', () => {
  it('takes the side that changed and keeps both when both did', () => {
    expect(mergeText('base', 'base', 'remote')).toBe('remote');
    expect(mergeText('base', 'local', 'base')).toBe('local');
    expect(mergeText('base', 'local', 'remote')).toBe('local\n\nremote');
    expect(mergeText('base', 'local and remote', 'remote')).toBe('local and remote');
  });

  it('never loses either side\'s text', () => {
    fc.assert(
      fc.property(text, text, text, (base, local, remote) => {
        const merged = mergeText(base, local, remote);
        if (local !== base) expect(merged).toContain(local);
        if (remote !== base) expect(merged).toContain(remote);
      }),
    );
  });
});

describe('unionTags', () => {
  it('keeps remote order then local extras, without duplicates', () => {
    expect(unionTags(['b', 'z', 'a'], ['a', 'b', 'c'])).toEqual(['a', 'b', 'c', 'z']);
  });
});
