import type { ActorRefFrom } from 'xstate';
import type { AgentConfig } from '../config/index.ts';
import type { Logger } from '../logging/logger.ts';
import { openSocket } from '../marketplace/socket/transport.ts';
import type { Store } from '../store/index.ts';
import { hostActor, type HostOptions } from './actor-host.ts';
import type { Clock } from './clock.ts';
import { provideConnection, type ProbePlatform } from './connection.ts';
import { createMessageHandler, type MessageHandlerDeps, type RealtimeStats } from './realtime.ts';
import { websocketRow } from './websocket-row.ts';

/** Why the runtime asked for a catch-up: the socket (re)opened, or a message's seq skipped some. */
export type CatchUpCause = 'socket.opened' | 'seq.gap';

export type ConnectionActor = ActorRefFrom<ReturnType<typeof provideConnection>>;
export type RealtimeApplied = NonNullable<MessageHandlerDeps['onApplied']>;

/** How long one WebSocket connection attempt may take (handshake included). */
export const CONNECT_TIMEOUT_MS = 10_000;

export interface ConnectionActorDeps {
  config: AgentConfig;
  store: Store;
  clock: Clock;
  /** What every hosted actor shares: store, clock, journal and transition sink. */
  host: Pick<HostOptions<never>, 'store' | 'clock' | 'onTransition' | 'logger'>;
  stats: RealtimeStats;
  /** Asks the sync cycle for an incremental catch-up; the cause is journaled with the event (docs/traces.md). */
  catchUp: (cause: CatchUpCause) => void;
  /** GET /health of the platform (src/marketplace/http/health-probe.ts), outside the request budget. */
  probePlatform: ProbePlatform;
  onApplied?: RealtimeApplied;
  logger?: Logger;
}

/**
 * The connection actor with its transport and message path: frames go through the message handler
 * into the store, a seq gap or a (re)open asks for a catch-up, and the websocket_state row follows
 * every change. Created unstarted: the agent starts it when boot is done (docs/connection.md).
 */
export function createConnectionActor(deps: ConnectionActorDeps): ConnectionActor {
  const { config, store, clock, stats } = deps;
  const onFrame = createMessageHandler({
    store, clock, stats,
    strategy: () => config.saas.conflictStrategy,
    onSeqGap: () => deps.catchUp('seq.gap'),
    ...(deps.onApplied ? { onApplied: deps.onApplied } : {}),
    ...(deps.logger ? { logger: deps.logger } : {}),
  });
  const socketOptions = {
    url: config.saas.wsUrl,
    token: config.saas.apiToken,
    connectTimeoutMs: CONNECT_TIMEOUT_MS,
    onFrame,
    onOversize: () => (stats.dropped.too_large += 1),
    now: () => clock.now(),
  };
  const actor = hostActor({
    ...deps.host,
    id: 'connection',
    machine: 'connection',
    persist: true,
    quietEvents: new Set(['socket.alive', 'platform.answered']),
    logic: provideConnection({ clock, jitter: config.saas.wsBackoffJitter, openSocket: (report) => openSocket(socketOptions, report), probePlatform: deps.probePlatform }),
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
  return actor;
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
  let wasConnected = false;
  let lastRow = '';
  actor.subscribe((snapshot) => {
    const row = websocketRow(snapshot);
    const now = deps.clock.now();
    if (row.connected && !wasConnected) deps.catchUp('socket.opened');
    const disconnected = wasConnected && !row.connected;
    wasConnected = row.connected;
    const text = JSON.stringify(row);
    if (text === lastRow && !disconnected) return;
    lastRow = text;
    deps.store.websocketState.save({ ...row, ...(disconnected ? { lastDisconnectedAt: now } : {}) }, now);
  });
}
