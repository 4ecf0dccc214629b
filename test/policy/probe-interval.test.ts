import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { PLATFORM_PROBE, probeDelay } from '../../src/policy/probe-interval.ts';

const at = (r: number) => ({ ...PLATFORM_PROBE, random: () => r });

describe('probeDelay', () => {
  it('waits 15 s, then 30 s, then 45 s for ever, without jitter', () => {
    const schedule = [1, 2, 3, 4, 10, 1000].map((n) => probeDelay(n, { ...PLATFORM_PROBE, jitter: 0 }));
    expect(schedule).toEqual([15_000, 30_000, 45_000, 45_000, 45_000, 45_000]);
  });

  it('stays within [15 s, 45 s] for any probe number and any random draw (the issue asks 15–60 s)', () => {
    fc.assert(
      fc.property(fc.integer({ min: -5, max: 100_000 }), fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }), (n, r) => {
        const d = probeDelay(n, at(r));
        expect(d).toBeGreaterThanOrEqual(15_000);
        expect(d).toBeLessThanOrEqual(45_000);
        expect(Number.isInteger(d)).toBe(true);
      }),
    );
  });

  it('is the exact interval ± the jitter share, clamped to the bounds, for any options', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 200 }),
        fc.integer({ min: 1, max: 60_000 }),
        fc.integer({ min: 0, max: 600_000 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
        (n, firstMs, extra, jitter, r) => {
          const options = { firstMs, maxMs: firstMs + extra, jitter, random: () => r };
          const exact = Math.min(firstMs * 2 ** (n - 1), firstMs + extra);
          const d = probeDelay(n, options);
          expect(d).toBeGreaterThanOrEqual(Math.max(firstMs, Math.floor(exact * (1 - jitter))));
          expect(d).toBeLessThanOrEqual(Math.min(firstMs + extra, Math.ceil(exact * (1 + jitter))));
        },
      ),
    );
  });

  it('spreads agents: different random draws give different waits once past the floor', () => {
    const waits = new Set([0, 0.25, 0.5, 0.75, 0.99].map((r) => probeDelay(2, at(r))));
    expect(waits.size).toBe(5);
  });

  it('never waits less for a later probe of the same draw (the interval does not shrink)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1000 }), fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }), (n, r) => {
        expect(probeDelay(n + 1, at(r))).toBeGreaterThanOrEqual(probeDelay(n, at(r)));
      }),
    );
  });
});
