import type { Clock } from '../../src/policy/clock.ts';

/** A clock that moves only when told to, for code that reads time but schedules nothing itself. */
export function manualClock(start = Date.parse('2026-03-01T00:00:00Z')): Clock & { advance(ms: number): void } {
  let now = start;
  return {
    now: () => now,
    advance: (ms) => {
      now += ms;
    },
    setTimeout: (fn, ms) => setTimeout(fn, ms),
    clearTimeout: (id) => clearTimeout(id),
  };
}
