import type { Clock } from '../runtime/clock.ts';

/**
 * The clock a trace is replayed on: it reads the recorded time of the step being replayed, and its
 * timers never fire, because a trace delivers each timer that fired in the field as a recorded step
 * (`xstate.after.*`, `link.stale`) at the time it fired.
 */
export interface TraceClock extends Clock {
  set(at: number): void;
}

export function traceClock(start = 0): TraceClock {
  let now = start;
  let nextId = 0;
  return {
    now: () => now,
    set: (at) => void (now = at),
    setTimeout: () => (nextId += 1),
    clearTimeout: () => {},
  };
}
