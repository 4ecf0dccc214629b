// Pure policies of the platform, with properties where a property says more than examples.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { bumpVersion } from '../../src/platform/version-bump.ts';
import { createConcurrencyGate, createRateLimiter } from '../../src/platform/rate-limit.ts';
import { decodeCursor, encodeCursor, filterFingerprint } from '../../src/platform/cursor.ts';
import { nextTimestamp } from '../../src/platform/db/rows.ts';
import { matchesIfNoneMatch } from '../../src/platform/http/etag.ts';
import { bearerToken } from '../../src/platform/http/auth.ts';

describe('bumpVersion', () => {
  it.each([
    ['1.2.3', '1.2.4'], ['1.2.9', '1.2.10'], ['2.0.0-beta.1', '2.0.0-beta.2'], ['v7', 'v8'], ['latest', 'latest.1'],
    ['1.0.0+build', '1.0.1+build'],
  ])('%s → %s', (from, to) => expect(bumpVersion(from)).toBe(to));

  it('always changes the version', () => {
    fc.assert(fc.property(fc.string({ maxLength: 64 }), (v) => bumpVersion(v) !== v), { numRuns: 300 });
  });
});

describe('nextTimestamp', () => {
  it('is strictly after the previous value and never before now', () => {
    fc.assert(fc.property(fc.integer({ min: 0, max: 2 ** 45 }), fc.integer({ min: 0, max: 2 ** 45 }), (now, prev) => {
      const t = nextTimestamp(now, prev);
      return t > prev && t >= now;
    }), { numRuns: 300 });
  });
});

describe('createRateLimiter', () => {
  it('allows exactly `limit` hits per key per window, whatever the spacing inside the window', () => {
    fc.assert(fc.property(
      fc.integer({ min: 1, max: 20 }),
      fc.array(fc.integer({ min: 0, max: 999 }), { minLength: 1, maxLength: 60 }),
      (limit, offsets) => {
        let t = 0;
        const limiter = createRateLimiter({ limit, windowMs: 1000, now: () => t });
        const sorted = [...offsets].sort((a, b) => a - b);
        let allowed = 0;
        for (const o of sorted) {
          t = o;
          if (limiter.hit('k').allowed) allowed++;
        }
        return allowed === Math.min(limit, sorted.length);
      },
    ), { numRuns: 200 });
  });

  it('opens a new window after windowMs and keeps keys apart', () => {
    let t = 0;
    const limiter = createRateLimiter({ limit: 1, windowMs: 60_000, now: () => t });
    expect(limiter.hit('a').allowed).toBe(true);
    expect(limiter.hit('a').allowed).toBe(false);
    expect(limiter.hit('b').allowed).toBe(true);
    t = 60_000;
    expect(limiter.hit('a')).toMatchObject({ allowed: true, remaining: 0, resetInMs: 60_000 });
  });
});

describe('createConcurrencyGate', () => {
  it('never admits more than max at once, and frees on release', () => {
    fc.assert(fc.property(fc.array(fc.boolean(), { maxLength: 100 }), (ops) => {
      const gate = createConcurrencyGate(3);
      let held = 0;
      for (const acquire of ops) {
        if (acquire) {
          const expected = held < 3;
          if (gate.tryAcquire('k') !== expected) return false;
          if (expected) held++;
        } else if (held > 0) {
          gate.release('k');
          held--;
        }
        if (gate.inFlight('k') !== held) return false;
      }
      return true;
    }), { numRuns: 200 });
  });
});

describe('cursor', () => {
  it('round-trips and rejects anything that is not one of ours', () => {
    fc.assert(fc.property(
      fc.integer({ min: 0, max: 2 ** 50 }), fc.uuid(), fc.integer({ min: 1, max: 10_000 }),
      (u, id, p) => {
        const c = { u, id, p, f: filterFingerprint({ category: 'x' }) };
        return JSON.stringify(decodeCursor(encodeCursor(c))) === JSON.stringify(c);
      },
    ), { numRuns: 200 });
    fc.assert(fc.property(fc.string({ maxLength: 80 }), (junk) => {
      const c = decodeCursor(junk);
      return c === undefined || (Number.isSafeInteger(c.u) && typeof c.id === 'string');
    }), { numRuns: 300 });
    expect(decodeCursor(Buffer.from('{"u":1.5,"id":"a","p":1,"f":"x"}').toString('base64url'))).toBeUndefined();
  });

  it('fingerprints the filters, not the page size', () => {
    expect(filterFingerprint({ query: 'a' })).not.toBe(filterFingerprint({ query: 'b' }));
    expect(filterFingerprint({ include_deleted: true })).not.toBe(filterFingerprint({}));
    expect(filterFingerprint({ category: 'x', page_size: 10 } as never)).toBe(filterFingerprint({ category: 'x' }));
  });
});

describe('HTTP header policies', () => {
  it('matches If-None-Match lists, weak tags and *', () => {
    expect(matchesIfNoneMatch('"a"', '"a"')).toBe(true);
    expect(matchesIfNoneMatch('"b", W/"a"', '"a"')).toBe(true);
    expect(matchesIfNoneMatch('*', '"a"')).toBe(true);
    expect(matchesIfNoneMatch('"b"', '"a"')).toBe(false);
    expect(matchesIfNoneMatch(undefined, '"a"')).toBe(false);
  });

  it('reads a Bearer token only from a well-formed header', () => {
    expect(bearerToken('Bearer abc')).toBe('abc');
    expect(bearerToken('bearer   abc ')).toBe('abc');
    expect(bearerToken('Bearer')).toBeUndefined();
    expect(bearerToken('Bearer a b')).toBeUndefined();
    expect(bearerToken('Basic abc')).toBeUndefined();
    expect(bearerToken(undefined)).toBeUndefined();
  });
});
