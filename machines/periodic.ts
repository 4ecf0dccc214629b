// The periodic job both syncCycle and ratingSync run (the sync schedule, the rating upload): a
// deadline in context (`nextSyncAt`, `nextFlushAt`) set on entering the waiting state by an action
// the runtime provides (src/policy/periodic.ts computes it), a named delay to it, a switch operators
// flip (spec 002 "Emergency Stop"), and a re-arm after a restore. Each chart spreads these pieces.

export interface PeriodicContext {
  intervalMs: number;
  schedulerEnabled: boolean;
}

export type PeriodicEvent = { type: 'schedule.pause' } | { type: 'schedule.resume' } | { type: 'timers.rearm' };

export const periodicGuards = {
  schedulerEnabled: ({ context }: { context: PeriodicContext }) => context.schedulerEnabled,
};

/**
 * At the chart's root: operators stop and restart the periodic job in any state; requests still run.
 * Each chart declares `pauseSchedule`/`resumeSchedule` as `assign({ schedulerEnabled })` in its own
 * setup: an assign built outside a setup does not fit the setup's types.
 */
export const scheduleSwitch = {
  'schedule.pause': { actions: 'pauseSchedule' },
  'schedule.resume': { actions: 'resumeSchedule' },
} as const;

/**
 * The events of a state that waits for the schedule: `timers.rearm` (after a restore) re-enters it
 * and so re-arms its delay from the deadline in context, and so does `schedule.resume` (the paused
 * timer fired and found the guard false).
 */
export function waitingForSchedule<S extends string>(state: S) {
  return {
    'timers.rearm': { target: state, reenter: true },
    'schedule.resume': { target: state, reenter: true, actions: 'resumeSchedule' },
  } as const;
}
