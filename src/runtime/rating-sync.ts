import { assign, fromPromise, type ActorRefFrom } from 'xstate';
import { ratingSyncMachine, type UploadAbort, type UploadReport } from '../../machines/ratingSync.ts';
import type { AgentConfig } from '../config/index.ts';
import type { PlatformClient } from '../marketplace/http/client.ts';
import { nextPeriodicDeadline } from '../policy/periodic.ts';
import { hostActor } from './actor-host.ts';
import { untilDeadline, type Clock } from '../policy/clock.ts';
import type { Hosting } from './hosting.ts';
import { createRatingUploader } from './rating-upload.ts';

// Everything the ratingSync chart (machines/ratingSync.ts) runs: its provided actions and delays,
// and the actor whose `uploadRatings` effect is rating-upload.ts.

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
      ensureNextFlush: assign({ nextFlushAt: ({ context }) => nextPeriodicDeadline(context.nextFlushAt, clock.now(), context.intervalMs) }),
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

export type RatingSyncActor = ActorRefFrom<ReturnType<typeof provideRatingSync>>;

/** The ratingSync actor, restored from its snapshot and journaled, uploading through `client`. */
export function createRatingSyncActor(deps: { config: AgentConfig; hosting: Hosting; client: PlatformClient }): RatingSyncActor {
  const { config, hosting, client } = deps;
  const { store, clock } = hosting;
  return hostActor({
    ...hosting,
    id: 'ratingSync',
    machine: 'ratingSync',
    persist: true,
    logic: provideRatingSync({ clock, uploadRatings: createRatingUploader({ store, client, clock }) }),
    input: { intervalMs: config.saas.ratingSyncIntervalMinutes * 60_000, schedulerEnabled: config.scheduler.enabled },
  });
}
