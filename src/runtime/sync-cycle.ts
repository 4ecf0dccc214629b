import { assign, fromPromise } from 'xstate';
import { syncCycleMachine, type SyncFailure, type SyncKind, type SyncRunResult } from '../../machines/syncCycle.ts';
import { backoffDelay, SYNC_RETRY } from '../policy/backoff.ts';
import { untilDeadline, type Clock } from './clock.ts';

export interface SyncCycleEffects {
  clock: Clock;
  /** One whole sync run (categories, pages, reconciliation); rejects with a SyncFailure. */
  runSync(kind: SyncKind): Promise<SyncRunResult>;
  /** The cycle gave up on the current sync (failed or unauthorized). */
  onGivenUp(failure: SyncFailure): void;
  /** An operator asked for a sync while one runs: let the running one use the budget's reserve. */
  expedite?(): void;
}

/** The sync-cycle chart with its effects and its time provided. */
export function provideSyncCycle(effects: SyncCycleEffects) {
  const { clock } = effects;
  return syncCycleMachine.provide({
    actors: {
      runSync: fromPromise<SyncRunResult, { kind: SyncKind }>(({ input }) => effects.runSync(input.kind)),
    },
    actions: {
      ensureNextSync: assign({
        nextSyncAt: ({ context }) =>
          context.nextSyncAt !== null && context.nextSyncAt > clock.now() ? context.nextSyncAt : clock.now() + context.intervalMs,
      }),
      // recordFailure has already counted this attempt: the first retry waits 1 s, then 2 s, then 4 s.
      scheduleRetry: assign({
        retryAt: ({ context }, params: { failure: SyncFailure }) =>
          clock.now() +
          (params.failure.kind === 'rateLimited' && params.failure.retryAfterMs !== undefined
            ? params.failure.retryAfterMs
            : backoffDelay(context.attempt, SYNC_RETRY)),
      }),
      reportGivenUp: (_, params: { failure: SyncFailure }) => effects.onGivenUp(params.failure),
      expediteRun: () => effects.expedite?.(),
    },
    delays: {
      untilNextSync: ({ context }) => untilDeadline(clock, context.nextSyncAt),
      untilRetry: ({ context }) => untilDeadline(clock, context.retryAt),
    },
  });
}
