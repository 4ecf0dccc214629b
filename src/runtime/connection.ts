import { assign, fromCallback, fromPromise, type ActorRefFrom, type EventObject } from 'xstate';
import { connectionMachine, type PlatformAnswer, type SocketEvent } from '../../machines/connection.ts';
import type { CatchUpCause } from '../../machines/syncCycle.ts';
import type { AgentConfig } from '../config/index.ts';
import { createHealthProbe } from '../marketplace/http/health-probe.ts';
import { openSocket } from '../marketplace/socket/transport.ts';
import { backoffDelay, RECONNECT_BACKOFF } from '../policy/backoff.ts';
import { PLATFORM_PROBE, probeDelay } from '../policy/probe-interval.ts';
import { hostActor } from './actor-host.ts';
import { untilDeadline, type Clock } from '../policy/clock.ts';
import type { Hosting } from './hosting.ts';
import { createMessageHandler, type MessageHandlerDeps, type RealtimeStats } from './realtime.ts';
import { websocketRow } from './websocket-row.ts';

// Everything the connection chart (machines/connection.ts) runs: its provided actions and delays,
// and the actor with its transport (marketplace/socket/transport.ts), its health probe
// (marketplace/http/health-probe.ts), its message path (realtime.ts) and the websocket_state row
// that follows it.

/** Opens one socket, reports what happens to it through `report`, and returns how to close it. */
export type OpenSocket = (report: (event: SocketEvent) => void, input: { attempt: number }) => () => void;

/** One GET /health of the platform: resolves on a 2xx, rejects otherwise; `signal` aborts it. */
export type ProbePlatform = (signal: AbortSignal) => Promise<PlatformAnswer>;

export interface ConnectionEffects {
  clock: Clock;
  openSocket: OpenSocket;
  probePlatform: ProbePlatform;
  /** Share of each reconnect delay that is random (ATOM_SAAS_WS_BACKOFF_JITTER). */
  jitter?: number;
  /** For reconnect jitter and probe jitter (probes are always jittered: they spread a herd). */
  random?: () => number;
}

/** The connection chart with its transport, its health probe, its time and its randomness provided. */
export function provideConnection(effects: ConnectionEffects) {
  const { clock } = effects;
  const random = effects.random ? { random: effects.random } : {};
  return connectionMachine.provide({
    actors: {
      openSocket: fromCallback<EventObject, { attempt: number }>(({ sendBack, input }) => effects.openSocket((event) => sendBack(event), input)),
      probePlatform: fromPromise<PlatformAnswer>(({ signal }) => effects.probePlatform(signal)),
    },
    actions: {
      markOpen: assign({ connectedAt: () => clock.now(), lastMessageAt: () => clock.now() }),
      touch: assign({ lastMessageAt: () => clock.now() }),
      // recordFailure has counted this failure: the n-th consecutive one waits min(2^(n-1), 16) s.
      scheduleAttempt: assign({
        nextAttemptAt: ({ context }) => clock.now() + backoffDelay(context.consecutiveFailures, { ...RECONNECT_BACKOFF, jitter: effects.jitter ?? 0, ...random }),
      }),
      startFallback: assign({ fallbackUntil: ({ context }) => clock.now() + context.fallbackMs, consecutiveFailures: 0, nextAttemptAt: null }),
      // Only an unreachable platform is probed; a deadline already set (a restored actor) is kept.
      ensureProbe: assign({
        nextProbeAt: ({ context }) =>
          context.failureCause !== 'platform' ? null : (context.nextProbeAt ?? clock.now() + probeDelay(context.probes + 1, { ...PLATFORM_PROBE, ...random })),
      }),
    },
    delays: {
      staleAfter: ({ context }) => untilDeadline(clock, (context.lastMessageAt ?? clock.now()) + context.heartbeatMs + context.pongTimeoutMs),
      untilNextAttempt: ({ context }) => untilDeadline(clock, context.nextAttemptAt),
      untilFallbackEnds: ({ context }) => untilDeadline(clock, context.fallbackUntil),
      // Nothing to probe (a socket-only failure): the timer fires at once and its guard refuses it.
      untilNextProbe: ({ context }) => untilDeadline(clock, context.nextProbeAt),
    },
  });
}

export type ConnectionActor = ActorRefFrom<ReturnType<typeof provideConnection>>;
export type RealtimeApplied = NonNullable<MessageHandlerDeps['onApplied']>;

/** How long one WebSocket connection attempt may take (handshake included). */
export const CONNECT_TIMEOUT_MS = 10_000;

export interface ConnectionActorDeps {
  config: AgentConfig;
  hosting: Hosting;
  stats: RealtimeStats;
  /** Asks the sync cycle for an incremental catch-up. */
  /** Asks the sync cycle for an incremental catch-up; the cause is journaled with the event (docs/traces.md). */
  catchUp: (cause: CatchUpCause) => void;
  onApplied?: RealtimeApplied;
}

export interface HostedConnection {
  actor: ConnectionActor;
  /** Closes the health probe's connections (after the actor stopped). */
  close(): Promise<void>;
}

/**
 * The connection actor with its transport and message path: frames go through the message handler
 * into the store, a seq gap or a (re)open asks for a catch-up, and the websocket_state row follows
 * every change; the platform's GET /health, outside the request budget, tells a broken socket from
 * an unreachable platform. Created unstarted: the agent starts it when boot is done (docs/connection.md).
 */
export function createConnectionActor(deps: ConnectionActorDeps): HostedConnection {
  const { config, hosting, stats } = deps;
  const { store, clock, logger } = hosting;
  const onFrame = createMessageHandler({
    store, clock, stats, logger,
    strategy: () => config.saas.conflictStrategy,
    onSeqGap: () => deps.catchUp('seq.gap'),
    onApplied: deps.onApplied,
  });
  const socketOptions = {
    url: config.saas.wsUrl,
    token: config.saas.apiToken,
    connectTimeoutMs: CONNECT_TIMEOUT_MS,
    onFrame,
    onOversize: () => (stats.dropped.too_large += 1),
    now: () => clock.now(),
  };
  const healthProbe = createHealthProbe({ baseUrl: config.saas.apiUrl });
  const actor = hostActor({
    ...hosting,
    id: 'connection',
    machine: 'connection',
    persist: true,
    quietEvents: new Set(['socket.alive', 'platform.answered']),
    logic: provideConnection({ clock, jitter: config.saas.wsBackoffJitter, openSocket: (report) => openSocket(socketOptions, report), probePlatform: (signal) => healthProbe.probe(signal) }),
    input: {
      wsEnabled: config.saas.wsEnabled,
      maxAttempts: config.saas.wsReconnectAttempts,
      fallbackAfter: config.saas.wsFallbackAfterFailures,
      heartbeatMs: config.saas.wsHeartbeatIntervalSeconds * 1000,
      pongTimeoutMs: config.saas.wsPongTimeoutSeconds * 1000,
      fallbackMs: config.saas.wsFallbackMinutes * 60_000,
      connectTimeoutMs: CONNECT_TIMEOUT_MS,
    },
  });
  followConnection(actor, deps);
  return { actor, close: () => healthProbe.close() };
}

/**
 * The platform client got an answer: evidence that the platform is reachable. Passed on only where
 * the chart takes it (a fallback or suspension that an outage began), not once per request of a sync.
 */
export function reportPlatformAnswered(actor: ConnectionActor | undefined): void {
  if (!actor || actor.getSnapshot().status !== 'active') return;
  if (actor.getSnapshot().can({ type: 'platform.answered' })) actor.send({ type: 'platform.answered' });
}

/**
 * The websocket_state row follows every change of the connection, and every (re)open asks the sync
 * cycle for a catch-up: whatever was pushed while the socket was down arrives over HTTP.
 */
function followConnection(actor: ConnectionActor, deps: ConnectionActorDeps): void {
  const { store, clock } = deps.hosting;
  let wasConnected = false;
  let lastRow = '';
  actor.subscribe((snapshot) => {
    const row = websocketRow(snapshot);
    const now = clock.now();
    if (row.connected && !wasConnected) deps.catchUp('socket.opened');
    const disconnected = wasConnected && !row.connected;
    wasConnected = row.connected;
    const text = JSON.stringify(row);
    if (text === lastRow && !disconnected) return;
    lastRow = text;
    // save() writes only the fields it is given: the disconnect time only on a disconnect.
    store.websocketState.save({ ...row, ...(disconnected ? { lastDisconnectedAt: now } : {}) }, now);
  });
}
