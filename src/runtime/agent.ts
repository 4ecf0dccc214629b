import { EventEmitter } from 'node:events';
import { fromPromise, waitFor, type ActorRefFrom } from 'xstate';
import { agentMachine } from '../../machines/agent.ts';
import { conflictsMachine, type ResolveReport, type ResolveRequest } from '../../machines/conflicts.ts';
import type { SyncFailure } from '../../machines/syncCycle.ts';
import { configSecrets, type AgentConfig } from '../config/index.ts';
import { createPlatformClient, type PlatformClient } from '../marketplace/http/client.ts';
import { createRequestBudget, type RequestBudget } from '../marketplace/http/request-budget.ts';
import type { Logger } from '../logging/logger.ts';
import { openStore, type Store } from '../store/index.ts';
import { startWalCheckpointer } from '../store/wal-checkpointer.ts';
import { hostActor, wasRestored, type TransitionRecord } from './actor-host.ts';
import { systemClock, type Clock } from './clock.ts';
import { createConflictResolver } from './conflict-resolver.ts';
import { editSkill, rateSkill, type RatingInput, type SkillPatch } from './local-edits.ts';
import { provideRatingSync } from './rating-sync.ts';
import { createRatingUploader } from './rating-upload.ts';
import { provideSyncCycle } from './sync-cycle.ts';
import { emptyRealtimeStats, type RealtimeStats } from './realtime.ts';
import { createConnectionActor, reportPlatformAnswered, type ConnectionActor, type RealtimeApplied } from './connection-actor.ts';
import { createHealthProbe, type HealthProbe } from '../marketplace/http/health-probe.ts';
import { createSyncRunner, type SyncProgress } from './sync-run.ts';
import { createWorkerSyncRunner, type WorkerSyncRunner } from './sync-worker/worker-runner.ts';
import type { Dispatcher } from 'undici';

export interface CreateAgentOptions {
  config: AgentConfig;
  clock?: Clock;
  logger?: Logger;
  /** An undici dispatcher for the platform client (fault-injection tests). */
  dispatcher?: Dispatcher;
  onSyncProgress?: (progress: SyncProgress) => void;
  /** `full` makes the initial sync a full one even on a warm cache (`atom-sync sync --once`). */
  initialSync?: 'auto' | 'full';
  /** Each WebSocket message once it is in the cache. */
  onRealtimeApplied?: RealtimeApplied;
  /**
   * Where sync runs execute; ATOM_SYNC_WORKER decides when not given. `worker`: a worker thread with
   * its own database connection and platform client, so a long sync never holds this event loop.
   * `main`: on this thread, with this agent's clock and dispatcher (what tests with a simulated clock need).
   */
  syncThread?: 'main' | 'worker';
  /** false: never open the WebSocket (`atom-sync sync --once` only syncs). Default true. */
  realtime?: boolean;
}

export type SyncCycleActor = ActorRefFrom<ReturnType<typeof provideSyncCycle>>;
export type RatingSyncActor = ActorRefFrom<ReturnType<typeof provideRatingSync>>;
export type ConflictsActor = ActorRefFrom<typeof conflictsMachine>;
export type { ConnectionActor } from './connection-actor.ts';

/** The actors of a running agent, by id. Absent ones do not exist in this mode (local-only). */
export interface AgentActors {
  agent: ActorRefFrom<typeof agentMachine>;
  conflicts: ConflictsActor;
  syncCycle?: SyncCycleActor;
  ratingSync?: RatingSyncActor;
  connection?: ConnectionActor;
}

/** What operators call the agent's mode (DESIGN.md "agent"). */
export type AgentMode = 'realtime' | 'polling' | 'local-only';

export interface Agent {
  readonly config: AgentConfig;
  readonly store: Store;
  readonly clock: Clock;
  readonly actors: AgentActors;
  /** Emits 'transition' with a TransitionRecord for every journaled transition. */
  readonly transitions: EventEmitter;
  /** Counters of the WebSocket message path. */
  readonly realtime: RealtimeStats;
  /** The instance's one request budget against the platform (absent in local-only mode). */
  readonly budget?: RequestBudget;
  mode(): AgentMode;
  /** Resolves once the agent is running (or local-only): after boot and the initial sync. */
  start(): Promise<void>;
  stop(): Promise<void>;
  rateSkill(input: RatingInput): ReturnType<typeof rateSkill>;
  editSkill(skillId: string, patch: SkillPatch): ReturnType<typeof editSkill>;
}

/**
 * Builds the agent (DESIGN.md "Runtime"): the store, the platform client, every chart provided with
 * its effects and the one clock, actors restored from their snapshots and journaled, and the root
 * agent actor that boots them. With ATOM_SAAS_ENABLED=false nothing here touches the network.
 */
export function createAgent(options: CreateAgentOptions): Agent {
  const { config } = options;
  const clock = options.clock ?? systemClock;
  const logger = options.logger;
  const store = openStore(config.db.path);
  const checkpointer = startWalCheckpointer(store.db, store.path, logger ? { logger } : {});
  const transitions = new EventEmitter();
  transitions.setMaxListeners(0);
  const onTransition = (record: TransitionRecord) => transitions.emit('transition', record);
  const host = { store, clock, onTransition, secrets: configSecrets(config), ...(logger ? { logger } : {}) };

  let client: PlatformClient | undefined;
  let syncCycle: SyncCycleActor | undefined;
  let ratingSync: RatingSyncActor | undefined;
  let connection: ConnectionActor | undefined;
  let syncWorker: WorkerSyncRunner | undefined;
  let healthProbe: HealthProbe | undefined;
  let budget: RequestBudget | undefined;
  const realtime = emptyRealtimeStats();

  if (config.saas.enabled) {
    // One budget per instance: every request of this client and of the sync worker's draws from it.
    budget = createRequestBudget({
      clock,
      onThrottle: (resumeAt) => {
        if (syncCycle?.getSnapshot().status === 'active') syncCycle.send({ type: 'sync.throttled', resumeAt });
      },
    });
    const instanceBudget = budget;
    client = createPlatformClient({
      budget,
      baseUrl: config.saas.apiUrl,
      token: config.saas.apiToken,
      timeoutMs: config.saas.apiTimeoutSeconds * 1000,
      now: () => clock.now(),
      ...(options.dispatcher ? { dispatcher: options.dispatcher } : {}),
      // Any answer from the platform is evidence an outage is over (the connection chart decides).
      onExchange: (answered) => answered && reportPlatformAnswered(connection),
    });
    healthProbe = createHealthProbe({ baseUrl: config.saas.apiUrl });
    const onRejected = (reasons: string[]) => logger?.warn({ count: reasons.length, first: reasons[0] }, 'platform sent entries that failed validation; dropped');
    const strategy = () => config.saas.conflictStrategy;
    const onSyncProgress = options.onSyncProgress;
    const progress = onSyncProgress ? { onProgress: onSyncProgress } : {};
    // A worker has its own client: each page it reads is an answer from the platform too.
    const workerProgress = { onProgress: (p: SyncProgress) => (reportPlatformAnswered(connection), onSyncProgress?.(p)) };
    const runner = (options.syncThread ?? (config.saas.syncWorker ? 'worker' : 'main')) === 'worker'
      ? (syncWorker = createWorkerSyncRunner({
          dbPath: store.path, baseUrl: config.saas.apiUrl, token: config.saas.apiToken,
          timeoutMs: config.saas.apiTimeoutSeconds * 1000, pageSize: config.saas.syncBatchSize,
          strategy, onRejected, budget, ...workerProgress,
        }))
      : createSyncRunner({
          store, client, clock, pageSize: config.saas.syncBatchSize, strategy, onRejected, ...progress,
          // The platform's push seq when the sync's first page was read: everything up to it is in.
          onHighWaterSeq: (seq) => store.syncState.advanceSeq(seq),
        });
    syncCycle = hostActor({
      ...host,
      id: 'syncCycle',
      machine: 'syncCycle',
      persist: true,
      logic: provideSyncCycle({
        clock,
        // An expedited run (an operator asked during it) is back to the sync lane once it ends.
        runSync: (kind) => runner.run(kind).finally(() => instanceBudget.expedite(false)),
        expedite: () => instanceBudget.expedite(true),
        onGivenUp: (failure: SyncFailure) => {
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
    ratingSync = hostActor({
      ...host,
      id: 'ratingSync',
      machine: 'ratingSync',
      persist: true,
      logic: provideRatingSync({ clock, uploadRatings: createRatingUploader({ store, client, clock }) }),
      input: { intervalMs: config.saas.ratingSyncIntervalMinutes * 60_000, schedulerEnabled: config.scheduler.enabled },
    });
    connection = createConnectionActor({
      config, store, clock, host, stats: realtime,
      // The cause rides along for the journal and the timeline; the chart does not read it.
      catchUp: (cause) => {
        const event = { type: 'sync.catchUp' as const, cause };
        syncCycle?.send(event);
      },
      probePlatform: (signal) => healthProbe!.probe(signal),
      ...(options.onRealtimeApplied ? { onApplied: options.onRealtimeApplied } : {}),
      ...(logger ? { logger } : {}),
    });
  }


  const resolve = createConflictResolver(store, clock);
  const conflicts = hostActor({
    ...host,
    id: 'conflicts',
    machine: 'conflicts',
    persist: true,
    logic: conflictsMachine.provide({
      actors: { resolveConflicts: fromPromise<ResolveReport, { request: ResolveRequest }>(({ input }) => resolve(input)) },
    }),
    input: undefined,
  });

  const children = [syncCycle, ratingSync, conflicts].filter((a) => a !== undefined);

  const agent = hostActor({
    ...host,
    id: 'agent',
    machine: 'agent',
    persist: false,
    logic: agentMachine.provide({
      actions: {
        startRealtime: () => {
          // Not after a stop (a stopped actor cannot start again); start() on a running actor is a no-op.
          if (!connection || options.realtime === false || connection.getSnapshot().status !== 'active') return;
          connection.start();
          // Restored in link, it reconnects; in backingOff or fallback, it keeps its remaining time.
          if (wasRestored(connection)) connection.send({ type: 'timers.rearm' });
        },
      },
      actors: {
        boot: fromPromise(async () => {
          for (const child of children) {
            child.start();
            // XState does not re-arm a restored actor's timers: each waiting state re-enters and
            // recomputes its delay from the deadline in context.
            if (wasRestored(child)) child.send({ type: 'timers.rearm' } as never);
          }
          // A schedule paused through the admin API lasts until restart, like a deleted job: the
          // configuration decides again (ENABLE_SCHEDULER) for restored actors.
          for (const periodic of [syncCycle, ratingSync]) {
            if (periodic && wasRestored(periodic)) periodic.send({ type: config.scheduler.enabled ? 'schedule.resume' : 'schedule.pause' });
          }
        }),
        initialSync: fromPromise(async () => {
          if (!syncCycle) return;
          const full = options.initialSync === 'full' || store.syncState.get().lastFullSyncAt === null;
          // A restored actor may already be resuming an interrupted sync: let it finish instead.
          if (!syncCycle.getSnapshot().hasTag('busy')) syncCycle.send({ type: full ? 'sync.trigger' : 'sync.catchUp' });
          const settled = await waitFor(syncCycle, (s) => !s.hasTag('busy'));
          if (settled.value !== 'idle') throw new Error(settled.context.lastError?.message ?? `initial sync ended in ${String(settled.value)}`);
        }),
        shutdown: fromPromise(async () => {
          connection?.stop();
          for (const child of children) child.stop();
          budget?.close();
          await client?.close();
          await healthProbe?.close();
        }),
      },
    }),
    input: { saasEnabled: config.saas.enabled },
  });

  let started: Promise<void> | undefined;
  let stopped: Promise<void> | undefined;
  return {
    config,
    store,
    clock,
    actors: { agent, conflicts, ...(syncCycle ? { syncCycle } : {}), ...(ratingSync ? { ratingSync } : {}), ...(connection ? { connection } : {}) },
    transitions,
    realtime,
    ...(budget ? { budget } : {}),
    mode() {
      if (!config.saas.enabled) return 'local-only';
      return connection?.getSnapshot().hasTag('realtime') ? 'realtime' : 'polling';
    },
    start() {
      started ??= (async () => {
        agent.start();
        const settled = await waitFor(agent, (s) => s.matches('running') || s.matches('localOnly') || s.status === 'done');
        if (settled.status === 'done') throw new Error(settled.context.lastError ? `agent failed to start: ${settled.context.lastError}` : 'agent stopped before it finished starting');
      })();
      return started;
    },
    stop() {
      stopped ??= (async () => {
        // A stop may interrupt a start still in its initial sync (the chart takes agent.stop there).
        if (started && agent.getSnapshot().status === 'active') {
          if (agent.getSnapshot().matches('booting')) await waitFor(agent, (s) => !s.matches('booting'));
          if (agent.getSnapshot().status === 'active') {
            agent.send({ type: 'agent.stop' });
            await waitFor(agent, (s) => s.status === 'done');
          }
        }
        agent.stop();
        await syncWorker?.close();
        await checkpointer.stop();
        store.close();
      })();
      return stopped;
    },
    rateSkill: (input) => rateSkill(store, input, clock.now()),
    editSkill: (skillId, patch) => editSkill(store, skillId, patch, clock.now()),
  };
}
