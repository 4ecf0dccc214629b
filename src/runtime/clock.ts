import type { Clock } from '../policy/clock.ts';

// The agent's real clock. `Clock` and `untilDeadline` are defined in policy/clock.ts, where the
// platform reaches them too; they are re-exported here for the runtime's existing importers.
export type { Clock } from '../policy/clock.ts';
export { untilDeadline } from '../policy/clock.ts';

export const systemClock: Clock = {
  now: () => Date.now(),
  setTimeout: (fn: (...args: unknown[]) => void, ms: number) => setTimeout(fn, ms),
  clearTimeout: (id: unknown) => clearTimeout(id as NodeJS.Timeout),
};
