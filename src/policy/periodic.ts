// The deadline of a periodic job (the sync schedule, the rating upload): a pure function shared by
// the syncCycle and ratingSync providers, pinned by property tests (test/policy/periodic.test.ts).

/**
 * The next run of a job that runs every `intervalMs`: a deadline still in the future is kept (a
 * manual run, a restore or a re-arm does not shift the schedule), anything else (none yet, or one
 * already passed) becomes now + interval.
 */
export function nextPeriodicDeadline(current: number | null, now: number, intervalMs: number): number {
  return current !== null && current > now ? current : now + intervalMs;
}
