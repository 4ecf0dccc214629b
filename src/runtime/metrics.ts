import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { AnyActorRef, AnyStateMachine, AnyStateNode } from 'xstate';
import type { FailureKind } from '../../machines/failure.ts';
import { stateString, type TransitionRecord } from './actor-host.ts';
import type { Agent } from './agent.ts';

// The agent's Prometheus metrics (spec 002 "Prometheus Metrics" / "Key Metrics", plus the actor
// and WebSocket series of DESIGN.md). Gauges and store-backed counters read the store and the
// actors at scrape time (collect callbacks), so nothing is updated on the hot path; counters of
// things that happen (transitions, sync outcomes, reconnects) are fed by agent.transitions.

export interface AgentMetrics {
  registry: Registry;
  /** Stops listening to the agent's transitions. */
  close(): void;
}

const FAILURE_LABELS: Record<FailureKind, string> = { auth: 'auth', rateLimited: 'rate_limited', transient: 'transient', invalid: 'invalid' };

/** Every state value an actor of this machine can rest in (`idle`, `link.open`), from its definition. */
export function machineStates(machine: AnyStateMachine): string[] {
  const out: string[] = [];
  const walk = (node: AnyStateNode): void => {
    if (node.path.length > 0 && (node.type === 'atomic' || node.type === 'final')) out.push(node.path.join('.'));
    for (const child of Object.values(node.states)) walk(child);
  };
  walk(machine.root);
  return out;
}

const logicOf = (actor: AnyActorRef): AnyStateMachine => (actor as unknown as { logic: AnyStateMachine }).logic;

/** Every event type the machine reacts to, plus the start event its first transition carries. */
export function machineEvents(machine: AnyStateMachine): string[] {
  return ['xstate.init', ...machine.root.events];
}

export interface AgentMetricsOptions {
  /**
   * Node process metrics under prom-client's stock names (process_cpu_seconds_total,
   * nodejs_eventloop_lag_seconds, ...: no prefix, so stock Node dashboards match). Off by default: each call
   * starts its own event-loop monitor, which a test process building many apps does not need.
   */
  processMetrics?: boolean;
}

export function createAgentMetrics(agent: Agent, options: AgentMetricsOptions = {}): AgentMetrics {
  const registry = new Registry();
  // The event-loop lag series show what the admin bench measures from outside: how long the sync
  // holds the loop. prom-client resets their histogram at each scrape, so they cover the last interval.
  if (options.processMetrics) collectDefaultMetrics({ register: registry, eventLoopMonitoringPrecision: 1 });
  const registers = [registry];
  const { store } = agent;
  // After agent.stop() the database is closed: scrapes then report the last values they read.
  const storeOpen = () => store.db.open;
  const actors = Object.entries(agent.actors).filter((entry): entry is [string, AnyActorRef] => entry[1] !== undefined);

  const duration = new Histogram({
    name: 'atom_saas_sync_duration_seconds',
    help: 'Sync duration in seconds: one attempt of the sync cycle, from entering syncing to leaving it',
    buckets: [0.5, 1, 5, 10, 30, 60, 120, 300],
    registers,
  });
  const success = new Counter({ name: 'atom_saas_sync_success_total', help: 'Total successful syncs', labelNames: ['type'], registers });
  const errors = new Counter({ name: 'atom_saas_sync_errors_total', help: 'Total sync errors', labelNames: ['type', 'error'], registers });
  for (const type of ['skill', 'rating']) {
    success.inc({ type }, 0);
    for (const error of Object.values(FAILURE_LABELS)) errors.inc({ type, error }, 0);
  }

  new Gauge({
    name: 'atom_saas_cache_size', help: 'Current cache size', labelNames: ['type'], registers,
    collect() {
      if (!storeOpen()) return;
      this.set({ type: 'skills' }, store.skills.count());
      this.set({ type: 'categories' }, store.categories.count());
    },
  });
  new Gauge({
    name: 'atom_saas_websocket_connected', help: 'WebSocket connection status (1 open, 0 otherwise)', registers,
    collect() {
      this.set(agent.actors.connection?.getSnapshot().hasTag('realtime') ? 1 : 0);
    },
  });
  // conflict_log keeps every conflict, so these counters survive restarts.
  new Counter({
    name: 'atom_saas_conflicts_detected_total', help: 'Total conflicts detected', registers,
    collect() {
      if (!storeOpen()) return;
      this.reset();
      this.inc(store.conflicts.list({ limit: 0, offset: 0 }).total);
    },
  });
  new Counter({
    name: 'atom_saas_conflicts_resolved_total', help: 'Total conflicts resolved (by the configured strategy or by an operator)', registers,
    collect() {
      if (!storeOpen()) return;
      this.reset();
      this.inc(store.conflicts.list({ resolved: true, limit: 0, offset: 0 }).total);
    },
  });
  new Gauge({
    name: 'atom_saas_sync_last_success_timestamp_seconds', help: 'When the last sync succeeded (Unix seconds; 0 = never)', registers,
    collect() {
      if (!storeOpen()) return;
      this.set((store.syncState.get().lastSuccessfulSyncAt ?? 0) / 1000);
    },
  });
  // The platform request budget (src/marketplace/http/request-budget.ts): read at scrape time.
  new Counter({
    name: 'atom_saas_sync_throttled_seconds_total', help: 'Seconds sync requests spent waiting for the platform request budget (a window to free, a Retry-After)', registers,
    collect() {
      const status = agent.budget?.status();
      this.reset();
      if (status) this.inc(status.throttledMs / 1000);
    },
  });
  new Counter({
    name: 'atom_saas_platform_requests_total', help: 'Platform API requests by lane (sync, priority) and outcome (ok, throttled = 429, failed)', labelNames: ['lane', 'outcome'], registers,
    collect() {
      const status = agent.budget?.status();
      this.reset();
      for (const lane of ['sync', 'priority'] as const) {
        for (const outcome of ['ok', 'throttled', 'failed'] as const) this.inc({ lane, outcome }, status?.requests[lane][outcome] ?? 0);
      }
    },
  });
  new Gauge({
    name: 'atom_saas_platform_budget_remaining', help: 'Requests left in the platform window as last reported (the advertised limit once a window has passed; -1 = not known yet)', registers,
    collect() {
      const status = agent.budget?.status();
      this.set(status?.remaining ?? -1);
    },
  });
  const reconnects = new Counter({ name: 'atom_saas_websocket_reconnects_total', help: 'WebSocket connection attempts after the first', registers });
  new Counter({
    name: 'atom_saas_websocket_messages_total', help: 'WebSocket messages by type and direction', labelNames: ['type', 'direction'], registers,
    collect() {
      this.reset();
      for (const [type, n] of Object.entries(agent.realtime.received)) this.inc({ type, direction: 'inbound' }, n);
    },
  });
  new Counter({
    name: 'atom_saas_websocket_messages_dropped_total', help: 'WebSocket messages dropped, by reason', labelNames: ['reason'], registers,
    collect() {
      this.reset();
      for (const [reason, n] of Object.entries(agent.realtime.dropped)) this.inc({ reason }, n);
    },
  });
  new Gauge({
    name: 'atom_saas_failed_rating_uploads', help: 'Local ratings whose upload failed (waiting for a retry, or dead letters)', registers,
    collect() {
      if (!storeOpen()) return;
      const counts = store.ratings.statusCounts();
      this.set(counts.failed + counts.dead);
    },
  });
  new Gauge({
    name: 'atom_saas_conflict_queue_depth', help: 'Conflicts not resolved yet', registers,
    collect() {
      if (storeOpen()) this.set(store.conflicts.unresolvedCount());
    },
  });
  new Gauge({
    name: 'atom_actor_state', help: 'Current state of each actor (1 for the state it is in, 0 for its other states)', labelNames: ['actor', 'state'], registers,
    collect() {
      for (const [actor, ref] of actors) {
        const current = stateString(ref.getSnapshot().value);
        for (const state of machineStates(logicOf(ref))) this.set({ actor, state }, state === current ? 1 : 0);
      }
    },
  });
  const transitions = new Counter({ name: 'atom_actor_transitions_total', help: 'Journaled transitions by actor and event', labelNames: ['actor', 'event'], registers });
  for (const [actor, ref] of actors) for (const event of machineEvents(logicOf(ref))) transitions.inc({ actor, event }, 0);

  const failureLabel = (error: { kind?: FailureKind } | null | undefined) => FAILURE_LABELS[error?.kind ?? 'transient'] ?? 'transient';
  let syncEnteredAt: number | null = null;
  const onTransition = (record: TransitionRecord) => {
    transitions.inc({ actor: record.actorId, event: record.eventType });
    switch (record.actorId) {
      case 'syncCycle': {
        // Entering and leaving syncing bracket one attempt; a restored actor's first exit has no start.
        if (record.to === 'syncing' && record.from !== 'syncing') syncEnteredAt = record.at;
        if (record.from === 'syncing' && record.to !== 'syncing' && syncEnteredAt !== null) {
          duration.observe(Math.max(0, record.at - syncEnteredAt) / 1000);
          syncEnteredAt = null;
        }
        if (record.eventType === 'xstate.done.actor.runSync') success.inc({ type: 'skill' });
        // The listener runs after the snapshot was updated: the context holds this failure.
        if (record.eventType === 'xstate.error.actor.runSync') errors.inc({ type: 'skill', error: failureLabel(agent.actors.syncCycle?.getSnapshot().context.lastError) });
        break;
      }
      case 'ratingSync':
        if (record.eventType === 'xstate.done.actor.uploadRatings') success.inc({ type: 'rating' });
        if (record.eventType === 'xstate.error.actor.uploadRatings') errors.inc({ type: 'rating', error: failureLabel(agent.actors.ratingSync?.getSnapshot().context.lastError) });
        break;
      case 'connection':
        // The first connection comes from init (or a restore, journaled as xstate.init); every later entry into link is a reconnect.
        if (record.to === 'link.connecting' && record.from !== null && record.from !== 'init' && record.eventType !== 'xstate.init') reconnects.inc();
        break;
    }
  };
  agent.transitions.on('transition', onTransition);
  return { registry, close: () => void agent.transitions.off('transition', onTransition) };
}
