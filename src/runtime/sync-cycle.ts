import { assign, fromPromise, type ActorRefFrom } from 'xstate';
import { syncCycleMachine, type SyncKind, type SyncRunResult } from '../../machines/syncCycle.ts';
import type { Failure } from '../../machines/failure.ts';
import type { AgentConfig } from '../config/index.ts';
import type { PlatformClient } from '../marketplace/http/client.ts';
import type { RequestBudget } from '../marketplace/http/request-budget.ts';
import { backoffDelay, SYNC_RETRY } from '../policy/backoff.ts';
import { nextPeriodicDeadline } from '../policy/periodic.ts';
import { hostActor } from './actor-host.ts';
import { untilDeadline, type Clock } from '../policy/clock.ts';
import type { Hosting } from './hosting.ts';
import { createSyncRunner, type SyncProgress } from './sync-run.ts';
import { createWorkerSyncRunner } from './sync-worker/worker-runner.ts';

// Everything the syncCycle chart (machines/syncCycle.ts) runs: its provided actions and delays, and
// the actor with its `runSync` effect, one sync run on this thread (sync-run.ts) or in the sync
// worker (sync-worker/), and what happens when the cycle gives up.

export interface SyncCycleEffects {
  clock: Clock;
  /** One whole sync run (categories, pages, reconciliation); rejects with a Failure. */
  runSync(kind: SyncKind): Promise<SyncRunResult>;
  /** The cycle gave up on the current sync (failed or unauthorized). */
  onGivenUp(failure: Failure): void;
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
      ensureNextSync: assign({ nextSyncAt: ({ context }) => nextPeriodicDeadline(context.nextSyncAt, clock.now(), context.intervalMs) }),
      // recordFailure has already counted this attempt: the first retry waits 1 s, then 2 s, then 4 s.
      scheduleRetry: assign({
        retryAt: ({ context }, params: { failure: Failure }) =>
          clock.now() +
          (params.failure.kind === 'rateLimited' && params.failure.retryAfterMs !== undefined
            ? params.failure.retryAfterMs
            : backoffDelay(context.attempt, SYNC_RETRY)),
      }),
      reportGivenUp: (_, params: { failure: Failure }) => effects.onGivenUp(params.failure),
      expediteRun: () => effects.expedite?.(),
    },
    delays: {
      untilNextSync: ({ context }) => untilDeadline(clock, context.nextSyncAt),
      untilRetry: ({ context }) => untilDeadline(clock, context.retryAt),
    },
  });
}

export type SyncCycleActor = ActorRefFrom<ReturnType<typeof provideSyncCycle>>;

export interface SyncCycleActorDeps {
  config: AgentConfig;
  hosting: Hosting;
  client: PlatformClient;
  /** The instance's one request budget: the worker's requests draw from it too, and an operator's request expedites. */
  budget: RequestBudget;
  /** `worker`: runs in a worker thread with its own connection and client; `main`: on this thread. */
  thread: 'main' | 'worker';
  onProgress?: (progress: SyncProgress) => void;
  /** A sync page the worker read: an answer from the platform (the connection chart wants to know). */
  onPlatformAnswered: () => void;
}

export interface HostedSyncCycle {
  actor: SyncCycleActor;
  /** Ends the sync worker, if there is one (after the actor stopped). */
  close(): Promise<void>;
}

/** The syncCycle actor, restored from its snapshot and journaled, with its runner chosen. */
export function createSyncCycleActor(deps: SyncCycleActorDeps): HostedSyncCycle {
  const { config, hosting, budget } = deps;
  const { store, clock, logger } = hosting;
  const onRejected = (reasons: string[]) => logger?.warn({ count: reasons.length, first: reasons[0] }, 'platform sent entries that failed validation; dropped');
  const strategy = () => config.saas.conflictStrategy;
  const onProgress = deps.onProgress;
  const worker = deps.thread === 'worker'
    ? createWorkerSyncRunner({
        dbPath: store.path, baseUrl: config.saas.apiUrl, token: config.saas.apiToken,
        timeoutMs: config.saas.apiTimeoutSeconds * 1000, pageSize: config.saas.syncBatchSize,
        strategy, onRejected, budget,
        // A worker has its own client: each page it reads is an answer from the platform too.
        onProgress: (p) => (deps.onPlatformAnswered(), onProgress?.(p)),
      })
    : undefined;
  const runner = worker ?? createSyncRunner({
    store, client: deps.client, clock, pageSize: config.saas.syncBatchSize, strategy, onRejected, onProgress,
    // The platform's push seq when the sync's first page was read: everything up to it is in.
    onHighWaterSeq: (seq) => store.syncState.advanceSeq(seq),
  });
  const actor = hostActor({
    ...hosting,
    id: 'syncCycle',
    machine: 'syncCycle',
    persist: true,
    logic: provideSyncCycle({
      clock,
      // An expedited run (an operator asked during it) is back to the sync lane once it ends.
      runSync: (kind) => runner.run(kind).finally(() => budget.expedite(false)),
      expedite: () => budget.expedite(true),
      onGivenUp: (failure) => {
        store.syncState.finish({ ok: false, error: `${failure.kind}: ${failure.message}` }, clock.now());
        logger?.warn({ kind: failure.kind, status: failure.status }, `sync gave up: ${failure.message}`);
      },
    }),
    input: {
      intervalMs: config.saas.syncIntervalMinutes * 60_000,
      schedulerEnabled: config.scheduler.enabled,
      hasCompletedFullSync: store.syncState.get().lastFullSyncAt !== null,
    },
  });
  return { actor, close: async () => worker?.close() };
}
