import { EventEmitter } from 'node:events';
import type { Dispatcher } from 'undici';
import { configSecrets, type AgentConfig } from '../config/index.ts';
import type { Logger } from '../logging/logger.ts';
import { createPlatformClient } from '../marketplace/http/client.ts';
import { createRequestBudget, type RequestBudget } from '../marketplace/http/request-budget.ts';
import { openStore, type Store } from '../store/index.ts';
import { startWalCheckpointer } from '../store/wal-checkpointer.ts';
import type { TransitionRecord } from './actor-host.ts';
import { createAgentActor, runAgent, stopAgent, type AgentActor, type AgentChildren } from './agent.ts';
import type { Clock } from '../policy/clock.ts';
import { systemClock } from './clock.ts';
import { createConflictsActor } from './conflicts.ts';
import { createConnectionActor, reportPlatformAnswered, type ConnectionActor, type RealtimeApplied } from './connection.ts';
import type { Hosting } from './hosting.ts';
import { importSkills, removeExpired } from './local-catalog.ts';
import { editSkill, rateSkill, type RatingInput, type SkillPatch } from './local-edits.ts';
import { scheduledJobs, type ScheduledJob } from './operator-jobs.ts';
import { requeueFailedUpload } from './rating-outbox.ts';
import { createRatingSyncActor } from './rating-sync.ts';
import { emptyRealtimeStats, type RealtimeStats } from './realtime.ts';
import { createSyncCycleActor, type HostedSyncCycle } from './sync-cycle.ts';
import type { SyncProgress } from './sync-run.ts';

export type { ConflictsActor } from './conflicts.ts';
export type { ConnectionActor } from './connection.ts';
export type { RatingSyncActor } from './rating-sync.ts';
export type { SyncCycleActor } from './sync-cycle.ts';

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

/** The actors of a running agent, by id. Absent ones do not exist in this mode (local-only). */
export interface AgentActors extends AgentChildren {
  agent: AgentActor;
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
  /** Local-only imports: all entries valid and stored, or none (local-catalog.ts). */
  importSkills(values: readonly unknown[]): ReturnType<typeof importSkills>;
  removeExpired(): ReturnType<typeof removeExpired>;
  requeueFailedUpload(failedUploadId: number): ReturnType<typeof requeueFailedUpload>;
  /** The periodic jobs now scheduled (spec 002 GET /sync/jobs). */
  scheduledJobs(): ScheduledJob[];
}

/**
 * Builds the agent (DESIGN.md "Runtime"): the store, the platform client and its one request budget,
 * each chart's actor from the runtime file of that chart (sync-cycle.ts, rating-sync.ts,
 * connection.ts, conflicts.ts, agent.ts), all on the one clock, restored from their snapshots and
 * journaled. With ATOM_SAAS_ENABLED=false nothing here touches the network.
 */
export function createAgent(options: CreateAgentOptions): Agent {
  const { config, logger } = options;
  const clock = options.clock ?? systemClock;
  const store = openStore(config.db.path);
  const checkpointer = startWalCheckpointer(store.db, store.path, { logger });
  const transitions = new EventEmitter();
  transitions.setMaxListeners(0);
  const hosting: Hosting = { store, clock, logger, secrets: configSecrets(config), onTransition: (record: TransitionRecord) => transitions.emit('transition', record) };
  const realtime = emptyRealtimeStats();
  const children: AgentChildren = { conflicts: createConflictsActor(hosting) };
  let syncCycle: HostedSyncCycle | undefined;
  let budget: RequestBudget | undefined;
  let closePlatform = async () => {};

  if (config.saas.enabled) {
    // One budget per instance: every request of this client and of the sync worker's draws from it.
    const instanceBudget = (budget = createRequestBudget({
      clock,
      onThrottle: (resumeAt) => {
        if (children.syncCycle?.getSnapshot().status === 'active') children.syncCycle.send({ type: 'sync.throttled', resumeAt });
      },
    }));
    // Any answer from the platform is evidence an outage is over (the connection chart decides).
    const platformAnswered = () => reportPlatformAnswered(children.connection);
    const client = createPlatformClient({
      budget,
      baseUrl: config.saas.apiUrl,
      token: config.saas.apiToken,
      timeoutMs: config.saas.apiTimeoutSeconds * 1000,
      now: () => clock.now(),
      dispatcher: options.dispatcher,
      onExchange: (answered) => answered && platformAnswered(),
    });
    syncCycle = createSyncCycleActor({
      config, hosting, client, budget,
      thread: options.syncThread ?? (config.saas.syncWorker ? 'worker' : 'main'),
      onProgress: options.onSyncProgress,
      onPlatformAnswered: platformAnswered,
    });
    children.syncCycle = syncCycle.actor;
    children.ratingSync = createRatingSyncActor({ config, hosting, client });
    const connection = createConnectionActor({
      config, hosting, stats: realtime,
      catchUp: (cause) => children.syncCycle?.send({ type: 'sync.catchUp', cause }),
      onApplied: options.onRealtimeApplied,
    });
    children.connection = connection.actor;
    closePlatform = async () => {
      instanceBudget.close();
      await client.close();
      await connection.close();
    };
  }

  const agent = createAgentActor(hosting, {
    children,
    saasEnabled: config.saas.enabled,
    schedulerEnabled: config.scheduler.enabled,
    realtime: options.realtime !== false,
    initialSyncIsFull: () => options.initialSync === 'full' || store.syncState.get().lastFullSyncAt === null,
    closePlatform: () => closePlatform(),
  });

  let started: Promise<void> | undefined;
  let stopped: Promise<void> | undefined;
  return {
    config,
    store,
    clock,
    actors: { agent, ...children },
    transitions,
    realtime,
    budget,
    mode() {
      if (!config.saas.enabled) return 'local-only';
      return children.connection?.getSnapshot().hasTag('realtime') ? 'realtime' : 'polling';
    },
    start() {
      started ??= runAgent(agent);
      return started;
    },
    stop() {
      stopped ??= (async () => {
        await stopAgent(agent, started !== undefined);
        await syncCycle?.close();
        await checkpointer.stop();
        store.close();
      })();
      return stopped;
    },
    rateSkill: (input) => rateSkill(store, input, clock.now()),
    editSkill: (skillId, patch) => editSkill(store, skillId, patch, clock.now()),
    importSkills: (values) => importSkills(store, values, clock.now()),
    removeExpired: () => removeExpired(store, clock.now()),
    requeueFailedUpload: (failedUploadId) => requeueFailedUpload(store, failedUploadId),
    scheduledJobs: () => scheduledJobs(children, config.saas),
  };
}
