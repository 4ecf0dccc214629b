import type { Clock } from '../policy/clock.ts';

// The agent's real clock (the Clock interface is in policy/clock.ts, where the platform reaches it too).
export const systemClock: Clock = {
  now: () => Date.now(),
  setTimeout: (fn: (...args: unknown[]) => void, ms: number) => setTimeout(fn, ms),
  clearTimeout: (id: unknown) => clearTimeout(id as NodeJS.Timeout),
};
