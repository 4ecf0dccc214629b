import { assign, fromPromise, setup } from 'xstate';
import { failureOf, type Failure } from './failure.ts';
import { notProvided } from './not-provided.ts';
import { periodicGuards, scheduleSwitch, waitingForSchedule, type PeriodicEvent } from './periodic.ts';

// The polling and catch-up lifecycle (DESIGN.md "syncCycle"). One run = categories, skill pages
// (each committed with its checkpoint), and for a full sync the reconciliation of deletions; the
// run itself is the `runSync` actor provided by src/runtime. Deadlines live in context so a
// restored actor keeps its schedule: XState does not persist pending `after` timers, so after a
// restore the runtime sends `timers.rearm` and each waiting state re-enters itself, recomputing its
// named delay from the deadline.

export type SyncKind = 'full' | 'incremental';

export interface SyncRunResult {
  kind: SyncKind;
  skills: number;
  pages: number;
  deleted: number;
}

export interface SyncCycleContext {
  intervalMs: number;
  schedulerEnabled: boolean;
  /** Deadline of the next periodic sync (epoch ms); null until first scheduled. */
  nextSyncAt: number | null;
  /** The running sync, or the one about to run. */
  kind: SyncKind;
  /** Asked for while a sync ran; runs right after it. A full request absorbs an incremental one. */
  queued: SyncKind | null;
  /** Failed attempts of the current sync. */
  attempt: number;
  maxRetries: number;
  retryAt: number | null;
  lastError: Failure | null;
  lastResult: SyncRunResult | null;
  hasCompletedFullSync: boolean;
  /**
   * While syncing: the run waits for the platform's request budget (a window to free, a
   * Retry-After) until this time (epoch ms); null while it proceeds. Throttling is flow control,
   * not failure: it never counts as an attempt.
   */
  throttledUntil: number | null;
}

/** Why the runtime asks for a catch-up: the socket (re)opened, or a message's seq skipped some. */
export type CatchUpCause = 'socket.opened' | 'seq.gap';

export type SyncCycleEvent =
  | { type: 'sync.trigger' }
  /** `cause`: why the runtime asked, journaled for the viewer's timeline; the chart does not read it. */
  | { type: 'sync.catchUp'; cause?: CatchUpCause }
  /** The runtime: the run waits for the request budget until `resumeAt`, or (null) proceeds again. */
  | { type: 'sync.throttled'; resumeAt: number | null }
  | PeriodicEvent;

export interface SyncCycleInput {
  intervalMs: number;
  schedulerEnabled: boolean;
  maxRetries?: number;
  hasCompletedFullSync?: boolean;
}

/** idle and failed wait for the same things: the schedule, an operator, a catch-up request. */
const waitingTransitions = {
  after: {
    untilNextSync: { guard: 'schedulerEnabled', target: 'syncing', actions: 'startIncremental' },
  },
  on: {
    'sync.trigger': { target: 'syncing', actions: 'startFull' },
    'sync.catchUp': { target: 'syncing', actions: 'startIncremental' },
  },
} as const;

/** The failure the run rejected with, as the guards' and actions' params. */
const failureParams = ({ event }: { event: { error: unknown } }) => ({ failure: failureOf(event.error) });

export const syncCycleMachine = setup({
  types: {
    context: {} as SyncCycleContext,
    events: {} as SyncCycleEvent,
    input: {} as SyncCycleInput,
  },
  actors: {
    runSync: fromPromise<SyncRunResult, { kind: SyncKind }>(() => notProvided('runSync')),
  },
  actions: {
    // Time-dependent: provided by the runtime with its clock.
    /** Keeps a deadline still in the future (a manual sync does not shift the schedule), else now + interval. */
    ensureNextSync: () => notProvided('ensureNextSync'),
    scheduleRetry: (_, _params: { failure: Failure }) => notProvided('scheduleRetry'),
    /** The sync gave up (failed or unauthorized): close its bookkeeping, count it. */
    reportGivenUp: (_, _params: { failure: Failure }) => notProvided('reportGivenUp'),
    /** An operator asked for a sync while one runs: the running one may spend the budget's reserve. */
    expediteRun: () => notProvided('expediteRun'),
    recordThrottle: assign({
      throttledUntil: (_, params: { resumeAt: number | null }) => params.resumeAt,
    }),
    clearThrottle: assign({ throttledUntil: null }),
    startFull: assign({ kind: 'full', attempt: 0, retryAt: null }),
    /** A catch-up or the periodic sync: incremental once a full sync has filled the cache. */
    startIncremental: assign({
      kind: ({ context }) => (context.hasCompletedFullSync ? 'incremental' : 'full'),
      attempt: 0,
      retryAt: null,
    }),
    pauseSchedule: assign({ schedulerEnabled: false }),
    resumeSchedule: assign({ schedulerEnabled: true }),
    queueFull: assign({ queued: 'full' }),
    queueIncremental: assign({ queued: ({ context }) => context.queued ?? 'incremental' }),
    takeQueued: assign({
      kind: ({ context }) => (context.queued === 'full' || !context.hasCompletedFullSync ? 'full' : 'incremental'),
      queued: null,
      attempt: 0,
      retryAt: null,
    }),
    recordSuccess: assign(({ context }, params: { result: SyncRunResult }) => ({
      lastResult: params.result,
      lastError: null,
      attempt: 0,
      retryAt: null,
      hasCompletedFullSync: context.hasCompletedFullSync || params.result.kind === 'full',
    })),
    recordFailure: assign(({ context }, params: { failure: Failure }) => ({
      lastError: params.failure,
      attempt: context.attempt + 1,
    })),
  },
  guards: {
    ...periodicGuards,
    hasQueued: ({ context }) => context.queued !== null,
    isAuthFailure: (_, params: { failure: Failure }) => params.failure.kind === 'auth',
    /** Retries left for a failure worth retrying (transient, or rate limited with a wait). */
    canRetry: ({ context }, params: { failure: Failure }) =>
      (params.failure.kind === 'transient' || params.failure.kind === 'rateLimited') && context.attempt < context.maxRetries,
  },
  delays: {
    untilNextSync: () => notProvided('untilNextSync'),
    untilRetry: () => notProvided('untilRetry'),
  },
}).createMachine({
  id: 'syncCycle',
  context: ({ input }) => ({
    intervalMs: input.intervalMs,
    schedulerEnabled: input.schedulerEnabled,
    nextSyncAt: null,
    kind: 'full',
    queued: null,
    attempt: 0,
    maxRetries: input.maxRetries ?? 3,
    retryAt: null,
    lastError: null,
    lastResult: null,
    hasCompletedFullSync: input.hasCompletedFullSync ?? false,
    throttledUntil: null,
  }),
  initial: 'idle',
  on: scheduleSwitch,
  states: {
    idle: {
      entry: 'ensureNextSync',
      after: waitingTransitions.after,
      on: {
        ...waitingTransitions.on,
        ...waitingForSchedule('idle'),
      },
    },
    syncing: {
      tags: ['busy'],
      invoke: {
        id: 'runSync',
        src: 'runSync',
        input: ({ context }) => ({ kind: context.kind }),
        onDone: [
          {
            guard: 'hasQueued',
            target: 'syncing',
            reenter: true,
            actions: [{ type: 'recordSuccess', params: ({ event }) => ({ result: event.output }) }, 'takeQueued'],
          },
          { target: 'idle', actions: { type: 'recordSuccess', params: ({ event }) => ({ result: event.output }) } },
        ],
        onError: [
          {
            guard: { type: 'isAuthFailure', params: failureParams },
            target: 'unauthorized',
            actions: [
              { type: 'recordFailure', params: failureParams },
              { type: 'reportGivenUp', params: failureParams },
            ],
          },
          {
            guard: { type: 'canRetry', params: failureParams },
            target: 'retrying',
            actions: [
              { type: 'recordFailure', params: failureParams },
              { type: 'scheduleRetry', params: failureParams },
            ],
          },
          {
            target: 'failed',
            actions: [
              { type: 'recordFailure', params: failureParams },
              { type: 'reportGivenUp', params: failureParams },
            ],
          },
        ],
      },
      exit: 'clearThrottle',
      on: {
        // Queued as before, and the running sync may use the reserve from now on: an operator waits.
        'sync.trigger': { actions: ['queueFull', 'expediteRun'] },
        'sync.catchUp': { actions: 'queueIncremental' },
        'sync.throttled': { actions: { type: 'recordThrottle', params: ({ event }) => ({ resumeAt: event.resumeAt }) } },
      },
    },
    retrying: {
      tags: ['busy'],
      after: { untilRetry: { target: 'syncing' } },
      on: {
        // An operator does not wait for the backoff.
        'sync.trigger': { target: 'syncing', actions: 'startFull' },
        'sync.catchUp': { actions: 'queueIncremental' },
        'timers.rearm': { target: 'retrying', reenter: true },
      },
    },
    failed: {
      entry: 'ensureNextSync',
      after: waitingTransitions.after,
      on: {
        ...waitingTransitions.on,
        ...waitingForSchedule('failed'),
      },
    },
    // 401/403: retrying would only hammer the platform. An operator rotates the token and triggers.
    unauthorized: {
      on: {
        'sync.trigger': { target: 'syncing', actions: 'startFull' },
      },
    },
  },
});

export type SyncCycleMachine = typeof syncCycleMachine;
