import { assign, fromPromise } from 'xstate';
import { ratingSyncMachine, type UploadAbort, type UploadReport } from '../../machines/ratingSync.ts';
import { untilDeadline, type Clock } from './clock.ts';

export interface RatingSyncEffects {
  clock: Clock;
  uploadRatings(input: { replayFailed: boolean }): Promise<UploadReport>;
}

/** The ratingSync chart with its upload effect and its time provided. */
export function provideRatingSync(effects: RatingSyncEffects) {
  const { clock } = effects;
  return ratingSyncMachine.provide({
    actors: {
      uploadRatings: fromPromise<UploadReport, { replayFailed: boolean }>(({ input }) => effects.uploadRatings(input)),
    },
    actions: {
      ensureNextFlush: assign({
        nextFlushAt: ({ context }) =>
          context.nextFlushAt !== null && context.nextFlushAt > clock.now() ? context.nextFlushAt : clock.now() + context.intervalMs,
      }),
      scheduleResume: assign({
        resumeAt: (_, params: { abort: UploadAbort }) => clock.now() + (params.abort.retryAfterMs ?? 60_000),
      }),
    },
    delays: {
      untilNextFlush: ({ context }) => untilDeadline(clock, context.nextFlushAt),
      untilResume: ({ context }) => untilDeadline(clock, context.resumeAt),
    },
  });
}
