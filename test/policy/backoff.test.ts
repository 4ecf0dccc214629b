import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { backoffDelay, RECONNECT_BACKOFF } from '../../src/policy/backoff.ts';

describe('backoffDelay', () => {
  it('follows the exact schedule 1, 2, 4, 8, 16, 16 s without jitter', () => {
    const schedule = [1, 2, 3, 4, 5, 6, 10].map((n) => backoffDelay(n, RECONNECT_BACKOFF));
    expect(schedule).toEqual([1000, 2000, 4000, 8000, 16000, 16000, 16000]);
  });

  it('is min(base × 2^(n-1), max) for any attempt, never above max, never decreasing', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 10_000 }), fc.integer({ min: 1, max: 60_000 }), fc.integer({ min: 1, max: 600_000 }), (n, base, max) => {
        const d = backoffDelay(n, { baseMs: base, maxMs: max });
        expect(d).toBe(Math.min(base * 2 ** (n - 1), max));
        expect(d).toBeLessThanOrEqual(max);
        expect(backoffDelay(n + 1, { baseMs: base, maxMs: max })).toBeGreaterThanOrEqual(d);
      }),
    );
  });

  it('stays within the jitter bounds and [1 s, 16 s] for the reconnect schedule', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 200 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
        (n, jitter, r) => {
          const exact = backoffDelay(n, RECONNECT_BACKOFF);
          const d = backoffDelay(n, { ...RECONNECT_BACKOFF, jitter, random: () => r });
          expect(d).toBeGreaterThanOrEqual(Math.floor(exact * (1 - jitter)));
          expect(d).toBeLessThanOrEqual(Math.min(Math.ceil(exact * (1 + jitter)), RECONNECT_BACKOFF.maxMs));
          expect(d).toBeGreaterThanOrEqual(0);
        },
      ),
    );
  });

  it('treats attempts below 1 as the first attempt', () => {
    expect(backoffDelay(0, RECONNECT_BACKOFF)).toBe(1000);
    expect(backoffDelay(-3, RECONNECT_BACKOFF)).toBe(1000);
  });
});
