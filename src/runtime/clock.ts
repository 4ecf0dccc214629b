/**
 * The one source of time of the agent: actors get it as their XState clock, and every deadline
 * is computed from its now(). Tests pass xstate's SimulatedClock and run an hour in milliseconds.
 */
export interface Clock {
  now(): number;
  setTimeout(fn: (...args: any[]) => void, ms: number): unknown;
  clearTimeout(id: any): void;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  setTimeout: (fn: (...args: unknown[]) => void, ms: number) => setTimeout(fn, ms),
  clearTimeout: (id: unknown) => clearTimeout(id as NodeJS.Timeout),
};

/** Milliseconds from now until a deadline, never negative; a missing deadline means "now". */
export function untilDeadline(clock: Clock, deadline: number | null | undefined): number {
  return deadline === null || deadline === undefined ? 0 : Math.max(0, deadline - clock.now());
}
