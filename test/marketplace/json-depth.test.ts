import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { jsonDepthExceeds, jsonTextDepthExceeds, MAX_JSON_DEPTH } from '../../src/marketplace/json-depth.ts';

/** Containers nested in `value`, by the definition json-depth.ts documents (recursive: fine for fast-check's small values). */
function depthOf(value: unknown): number {
  if (typeof value !== 'object' || value === null) return 0;
  const children = Array.isArray(value) ? value : Object.values(value);
  return 1 + children.reduce<number>((max, child) => Math.max(max, depthOf(child)), 0);
}

const nested = (levels: number, inner = '1') => `${'{"a":'.repeat(levels)}${inner}${'}'.repeat(levels)}`;
const nestedArrays = (levels: number) => `${'['.repeat(levels)}${']'.repeat(levels)}`;

describe('JSON depth checks', () => {
  it('agree with the recursive definition on any JSON value, at any limit', () => {
    fc.assert(fc.property(fc.jsonValue({ maxDepth: 8 }), fc.integer({ min: 0, max: 10 }), (value, max) => {
      expect(jsonDepthExceeds(value, max)).toBe(depthOf(value) > max);
      expect(jsonTextDepthExceeds(JSON.stringify(value), max)).toBe(depthOf(value) > max);
    }));
  });

  it('read any text, valid JSON or not, as a plain character-by-character scan would', () => {
    const reference = (text: string, max: number) => {
      let depth = 0;
      let inString = false;
      for (let i = 0; i < text.length; i += 1) {
        const c = text[i];
        if (inString) {
          if (c === '\\') i += 1;
          else if (c === '"') inString = false;
        } else if (c === '"') inString = true;
        else if (c === '[' || c === '{') {
          if (++depth > max) return true;
        } else if (c === ']' || c === '}') depth -= 1;
      }
      return false;
    };
    fc.assert(fc.property(fc.string({ unit: fc.constantFrom('[', '{', '"', '\\', 'a', ']', '}', ':', ','), maxLength: 60 }), fc.integer({ min: 0, max: 5 }), (text, max) => {
      expect(jsonTextDepthExceeds(text, max)).toBe(reference(text, max));
    }), { numRuns: 2000 });
  });

  it('read brackets inside strings, escaped quotes included, as text', () => {
    fc.assert(fc.property(fc.string({ unit: fc.constantFrom('[', '{', '"', '\\', 'a', ']', '}') }), (s) => {
      expect(jsonTextDepthExceeds(JSON.stringify({ s }), 1)).toBe(false);
    }));
  });

  it('handle 100,000 levels without overflowing the stack (JSON.stringify of the same value does)', () => {
    const text = nested(100_000);
    const value = JSON.parse(text) as unknown;
    expect(() => JSON.stringify(value)).toThrow(RangeError);
    expect(jsonDepthExceeds(value)).toBe(true);
    expect(jsonTextDepthExceeds(text)).toBe(true);
    expect(jsonDepthExceeds(JSON.parse(nestedArrays(100_000)))).toBe(true);
  });

  it('let exactly MAX_JSON_DEPTH levels through, and refuse one more', () => {
    expect(MAX_JSON_DEPTH).toBeLessThan(1000);
    expect(jsonDepthExceeds(JSON.parse(nested(MAX_JSON_DEPTH)))).toBe(false);
    expect(jsonDepthExceeds(JSON.parse(nested(MAX_JSON_DEPTH + 1)))).toBe(true);
    expect(jsonTextDepthExceeds(nested(MAX_JSON_DEPTH))).toBe(false);
    expect(jsonTextDepthExceeds(nested(MAX_JSON_DEPTH + 1))).toBe(true);
  });
});
