import { assign, fromPromise, setup } from 'xstate';
import { failureOf, type Failure } from './failure.ts';
import { notProvided } from './not-provided.ts';
import { periodicGuards, scheduleSwitch, waitingForSchedule, type PeriodicEvent } from './periodic.ts';

// The rating outbox (DESIGN.md "ratingSync"). Local ratings wait in skill_rating with a client id
// (the idempotency key); every interval, or on `ratings.flush`, the `uploadRatings` actor sends the
// pending ones and the failed ones whose retry time has come, at most 10 at a time, and records each
// outcome in the store. Deadlines live in context; after a restore the runtime sends `timers.rearm`.

export interface UploadReport {
  uploaded: number;
  failed: number;
  deadLettered: number;
}

/**
 * Why a whole upload round stopped early (per-rating failures are recorded, not thrown), with what
 * the round had done before it stopped: a round that uploaded 81 ratings and then met a 429 reports 81.
 */
export type UploadAbort = Failure & { report?: UploadReport };

export interface RatingSyncContext {
  intervalMs: number;
  schedulerEnabled: boolean;
  nextFlushAt: number | null;
  /** Rate-limited: no upload before this. */
  resumeAt: number | null;
  /** `ratings.retry`: this round also replays failed uploads and dead letters now. */
  replayFailed: boolean;
  /** A flush asked for while uploading runs right after. */
  flushQueued: boolean;
  lastReport: UploadReport | null;
  lastError: UploadAbort | null;
}

export type RatingSyncEvent =
  | { type: 'ratings.flush' }
  | { type: 'ratings.retry' }
  | PeriodicEvent;

export interface RatingSyncInput {
  intervalMs: number;
  schedulerEnabled: boolean;
}

/** Why the round stopped, as the guards' and actions' params. */
const abortParams = ({ event }: { event: { error: unknown } }) => ({ abort: failureOf(event.error) as UploadAbort });

export const ratingSyncMachine = setup({
  types: {
    context: {} as RatingSyncContext,
    events: {} as RatingSyncEvent,
    input: {} as RatingSyncInput,
  },
  actors: {
    uploadRatings: fromPromise<UploadReport, { replayFailed: boolean }>(() => notProvided('uploadRatings')),
  },
  actions: {
    /** Keeps a flush deadline still in the future, else now + interval (provided with the clock). */
    ensureNextFlush: () => notProvided('ensureNextFlush'),
    /** Rate limited: resumeAt = now + Retry-After (provided with the clock). */
    scheduleResume: (_, _params: { abort: UploadAbort }) => notProvided('scheduleResume'),
    pauseSchedule: assign({ schedulerEnabled: false }),
    resumeSchedule: assign({ schedulerEnabled: true }),
    markReplay: assign({ replayFailed: true }),
    queueFlush: assign({ flushQueued: true }),
    recordReport: assign((_, params: { report: UploadReport }) => ({
      lastReport: params.report,
      lastError: null,
      replayFailed: false,
      flushQueued: false,
      resumeAt: null,
    })),
    recordAbort: assign(({ context }, params: { abort: UploadAbort }) => ({
      lastError: params.abort,
      lastReport: params.abort.report ?? context.lastReport,
      replayFailed: false,
    })),
  },
  guards: {
    ...periodicGuards,
    flushQueued: ({ context }) => context.flushQueued,
    isAuth: (_, params: { abort: UploadAbort }) => params.abort.kind === 'auth',
    isRateLimited: (_, params: { abort: UploadAbort }) => params.abort.kind === 'rateLimited',
  },
  delays: {
    untilNextFlush: () => notProvided('untilNextFlush'),
    untilResume: () => notProvided('untilResume'),
  },
}).createMachine({
  id: 'ratingSync',
  context: ({ input }) => ({
    intervalMs: input.intervalMs,
    schedulerEnabled: input.schedulerEnabled,
    nextFlushAt: null,
    resumeAt: null,
    replayFailed: false,
    flushQueued: false,
    lastReport: null,
    lastError: null,
  }),
  initial: 'idle',
  on: scheduleSwitch,
  states: {
    idle: {
      entry: 'ensureNextFlush',
      after: { untilNextFlush: { guard: 'schedulerEnabled', target: 'uploading' } },
      on: {
        'ratings.flush': 'uploading',
        'ratings.retry': { target: 'uploading', actions: 'markReplay' },
        ...waitingForSchedule('idle'),
      },
    },
    uploading: {
      tags: ['busy'],
      invoke: {
        id: 'uploadRatings',
        src: 'uploadRatings',
        input: ({ context }) => ({ replayFailed: context.replayFailed }),
        onDone: [
          { guard: 'flushQueued', target: 'uploading', reenter: true, actions: { type: 'recordReport', params: ({ event }) => ({ report: event.output }) } },
          { target: 'idle', actions: { type: 'recordReport', params: ({ event }) => ({ report: event.output }) } },
        ],
        onError: [
          {
            guard: { type: 'isAuth', params: abortParams },
            target: 'unauthorized',
            actions: { type: 'recordAbort', params: abortParams },
          },
          {
            guard: { type: 'isRateLimited', params: abortParams },
            target: 'rateLimited',
            actions: [
              { type: 'recordAbort', params: abortParams },
              { type: 'scheduleResume', params: abortParams },
            ],
          },
          // Anything else already left its per-rating failures in the store: wait for the next round.
          { target: 'idle', actions: { type: 'recordAbort', params: abortParams } },
        ],
      },
      on: {
        'ratings.flush': { actions: 'queueFlush' },
        'ratings.retry': { actions: ['queueFlush', 'markReplay'] },
      },
    },
    // 429: the platform said when to come back; flushing early would only be refused again.
    rateLimited: {
      after: { untilResume: { target: 'uploading' } },
      on: {
        'ratings.retry': { actions: 'markReplay' },
        'timers.rearm': { target: 'rateLimited', reenter: true },
      },
    },
    // 401/403: the outbox keeps filling; an operator rotates the token and flushes.
    unauthorized: {
      on: {
        'ratings.flush': 'uploading',
        'ratings.retry': { target: 'uploading', actions: 'markReplay' },
      },
    },
  },
});

export type RatingSyncMachine = typeof ratingSyncMachine;
