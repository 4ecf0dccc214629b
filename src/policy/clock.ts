/**
 * The one notion of time of both sides: the agent's actors get it as their XState clock and compute
 * every deadline from its now(); the platform's shell reads now() from it. Tests pass xstate's
 * SimulatedClock (agent) or a settable one (platform) and run an hour in milliseconds.
 */
export interface Clock {
  now(): number;
  setTimeout(fn: (...args: any[]) => void, ms: number): unknown;
  clearTimeout(id: any): void;
}

/** Milliseconds from now until a deadline, never negative; a missing deadline means "now". */
export function untilDeadline(clock: Pick<Clock, 'now'>, deadline: number | null | undefined): number {
  return deadline === null || deadline === undefined ? 0 : Math.max(0, deadline - clock.now());
}
