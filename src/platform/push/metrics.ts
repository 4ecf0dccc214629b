import { Counter, Gauge, type Registry } from 'prom-client';

/** Why a connection ended; bounded set, safe as a label value. */
export type DisconnectReason =
  | 'client_closed'
  | 'pong_timeout'
  | 'slow_consumer'
  | 'message_too_big'
  | 'protocol_error'
  | 'server_shutdown'
  | 'token_revoked';

/** Why a message was not processed (inbound) or not delivered (outbound). */
export type DropReason = 'rate_limited' | 'unsupported_type' | 'malformed' | 'slow_consumer';

export interface PushMetrics {
  /** Connections open now. */
  connections: Gauge;
  /**
   * Connections accepted since start. Spec 000 gives this name to the current count, but `_total` is
   * reserved for counters and promtool refuses a gauge so named; the current count is the gauge above.
   */
  accepted: Counter;
  messages: Counter<'type' | 'direction'>;
  dropped: Counter<'reason'>;
  disconnects: Counter<'reason'>;
  /** Upgrades answered with an HTTP error instead: unauthorized, rate_limited, shutting_down. */
  refusedUpgrades: Counter<'reason'>;
}

/**
 * Creates the hub's metrics in `registry`, or returns the ones already there, so that an app
 * rebuilt in the same process (tests, hot reload) does not fail on duplicate registration.
 */
export function createPushMetrics(registry: Registry): PushMetrics {
  return {
    connections: getOrCreate(registry, Gauge, {
      name: 'atom_saas_websocket_connections',
      help: 'WebSocket push connections currently open',
      registers: [registry],
    }),
    accepted: getOrCreate(registry, Counter, {
      name: 'atom_saas_websocket_connections_total',
      help: 'WebSocket push connections accepted since the platform started',
      registers: [registry],
    }),
    messages: getOrCreate(registry, Counter<'type' | 'direction'>, {
      name: 'atom_saas_websocket_messages_total',
      help: 'WebSocket messages by type; outgoing counts one per client delivered to',
      labelNames: ['type', 'direction'] as const,
      registers: [registry],
    }),
    dropped: getOrCreate(registry, Counter<'reason'>, {
      name: 'atom_saas_websocket_dropped_total',
      help: 'WebSocket messages dropped: inbound over the rate limit or not understood, outbound to slow consumers',
      labelNames: ['reason'] as const,
      registers: [registry],
    }),
    disconnects: getOrCreate(registry, Counter<'reason'>, {
      name: 'atom_saas_websocket_disconnects_total',
      help: 'WebSocket push connections ended, by reason',
      labelNames: ['reason'] as const,
      registers: [registry],
    }),
    refusedUpgrades: getOrCreate(registry, Counter<'reason'>, {
      name: 'atom_saas_websocket_upgrades_refused_total',
      help: 'WebSocket upgrade requests refused before the upgrade, by reason',
      labelNames: ['reason'] as const,
      registers: [registry],
    }),
  };
}

function getOrCreate<M, C extends { name: string }>(
  registry: Registry,
  MetricClass: new (config: C) => M,
  config: C,
): M {
  const existing = registry.getSingleMetric(config.name);
  if (existing === undefined) return new MetricClass(config);
  if (!(existing instanceof (MetricClass as unknown as abstract new (...args: never[]) => unknown))) {
    throw new Error(`metric ${config.name} already registered with another type`);
  }
  return existing as M;
}
