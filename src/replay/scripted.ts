import { fromCallback, fromPromise, type AnyStateMachine } from 'xstate';
import type { Clock } from '../runtime/clock.ts';
import { provideConnection } from '../runtime/connection.ts';
import { provideRatingSync } from '../runtime/rating-sync.ts';
import { provideSyncCycle } from '../runtime/sync-cycle.ts';
import { actorIdOf, allStateNodes, eventTypesOf } from './chart-events.ts';

// The implementations a chart is replayed with, by the model-based tests (test/machines/model/) and
// by `atom-sync replay`. Nothing here does I/O and nothing settles by itself: a path's (or a trace's)
// own events deliver every actor result, so the path alone decides what happens.
// - actors: stubs that never settle (the path sends `xstate.done.actor.*` / `xstate.error.actor.*`);
// - delays: plain numbers, so a replay knows when each timer is due;
// - time-dependent actions: the runtime's own (deadlines from the clock, the backoff policy), run
//   with the replay's simulated clock, so invariants about deadlines test real code;
// - every other custom action: a recorder, so invariants can say when an effect must happen.

/** Charts whose runtime provides time-dependent actions: its assign actions are kept, the rest replaced below. */
const RUNTIME: Record<string, (clock: Clock) => AnyStateMachine> = {
  connection: (clock) => provideConnection({ clock, openSocket: () => () => {}, probePlatform: never }),
  ratingSync: (clock) => provideRatingSync({ clock, uploadRatings: never }),
  syncCycle: (clock) => provideSyncCycle({ clock, runSync: never, onGivenUp: () => {} }),
};

/**
 * Every named delay, as a number. Two timers armed in one state must not be due together (the
 * replay fires one timer per step): in `link.open`, stableAfter comes before the watchdog. They
 * need not match the deadlines in context: invariants check those against the clock when set.
 */
export const DELAYS: Record<string, Record<string, number>> = {
  connection: { connectTimeout: 10_000, stableAfter: 30_000, staleAfter: 40_000, untilNextAttempt: 4_000, untilFallbackEnds: 3_600_000, untilNextProbe: 20_000 },
  ratingSync: { untilNextFlush: 1_800_000, untilResume: 60_000 },
  syncCycle: { untilNextSync: 900_000, untilRetry: 2_000 },
};
/** A delay of a chart not listed above. */
const DEFAULT_DELAY_MS = 60_000;

export interface Recorded {
  action: string;
  params: unknown;
}

function never(): Promise<never> {
  return new Promise<never>(() => {});
}

/** `machine` provided with scripted implementations; custom actions report to `record`. */
export function scripted(machine: AnyStateMachine, clock: Clock, record: (r: Recorded) => void = () => {}): AnyStateMachine {
  // The runtime's implementations, on this very definition (the one being traversed).
  const runtime = RUNTIME[machine.id]?.(clock);
  const base = runtime ? machine.provide(runtime.implementations as never) : machine;
  const { actors, actions, delays } = base.implementations;
  // An actor the chart expects a result from is a promise that never settles; one it only hears
  // events from (the socket) is a callback that never calls back.
  const awaited = new Set(eventTypesOf(machine).map(actorIdOf));
  const resultSrcs = new Set(allStateNodes(machine).flatMap((n) => n.invoke.filter((i) => awaited.has(i.id)).map((i) => String(i.src))));
  return base.provide({
    actors: Object.fromEntries(
      Object.keys(actors).map((src) => [src, resultSrcs.has(src) ? fromPromise(never) : fromCallback(() => () => {})]),
    ),
    delays: Object.fromEntries(Object.keys(delays).map((name) => [name, DELAYS[machine.id]?.[name] ?? DEFAULT_DELAY_MS])),
    actions: Object.fromEntries(
      Object.entries(actions)
        // Built-in actions (assign, raise, cancel) carry `resolve`; they are the chart's own logic.
        .filter(([, action]) => typeof action === 'function' && !('resolve' in action))
        .map(([name]) => [name, (_: unknown, params: unknown) => record({ action: name, params })]),
    ),
  } as never);
}
