import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { nextPeriodicDeadline } from '../../src/policy/periodic.ts';

const time = fc.integer({ min: 0, max: 4_000_000_000_000 });
const interval = fc.integer({ min: 1, max: 7 * 24 * 3_600_000 });

describe('nextPeriodicDeadline', () => {
  it('schedules the first run one interval from now', () => {
    expect(nextPeriodicDeadline(null, 1_000, 60_000)).toBe(61_000);
  });

  it('keeps a deadline still in the future, whatever the interval', () => {
    fc.assert(
      fc.property(time, fc.integer({ min: 1, max: 1_000_000 }), interval, (now, ahead, ms) => {
        expect(nextPeriodicDeadline(now + ahead, now, ms)).toBe(now + ahead);
      }),
    );
  });

  it('replaces a deadline that has come or passed by now + interval', () => {
    fc.assert(
      fc.property(time, fc.integer({ min: 0, max: 1_000_000 }), interval, (now, behind, ms) => {
        expect(nextPeriodicDeadline(now - behind, now, ms)).toBe(now + ms);
      }),
    );
  });

  it('is always in the future: the kept deadline or one interval from now', () => {
    fc.assert(
      fc.property(fc.option(time, { nil: null }), time, interval, (current, now, ms) => {
        const next = nextPeriodicDeadline(current, now, ms);
        expect(next).toBeGreaterThan(now);
        expect(next).toBeLessThanOrEqual(Math.max(now + ms, current ?? 0));
      }),
    );
  });

  it('is idempotent: computing it again at the same instant changes nothing', () => {
    fc.assert(
      fc.property(fc.option(time, { nil: null }), time, interval, (current, now, ms) => {
        const once = nextPeriodicDeadline(current, now, ms);
        expect(nextPeriodicDeadline(once, now, ms)).toBe(once);
      }),
    );
  });
});
