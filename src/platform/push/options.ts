import type { FastifyBaseLogger } from 'fastify';
import type { Registry } from 'prom-client';
import type { Authenticate } from './types.ts';

export interface PushHubOptions {
  /** Maps `?token=` to an instance, or null: the upgrade is then refused with 401. */
  authenticate: Authenticate;
  /** Where the `atom_saas_websocket_*` metrics are registered. */
  registry: Registry;
  /** Defaults to a child of the Fastify logger. */
  logger?: FastifyBaseLogger;
  /** Spec 000: the server pings every 30 s. */
  pingIntervalMs?: number;
  /** Spec 000: no pong within 10 s → the connection is stale. */
  pongTimeoutMs?: number;
  /** Spec 000: inbound messages of at most 1 MB; larger frames close the socket with 1009. */
  maxPayloadBytes?: number;
  /** Spec 000: at most 100 inbound messages per second per client; the excess is dropped. */
  maxInboundPerSecond?: number;
  /** Spec 000: at most 10 connection attempts per minute (per token here); the excess gets 429. */
  maxConnectAttemptsPerMinute?: number;
  /** A client whose unsent bytes would exceed this is a slow consumer and is terminated. */
  maxBufferedBytes?: number;
  /** How long close() waits for closing handshakes before terminating the rest. */
  closeGraceMs?: number;
  /** Milliseconds since the epoch; injected so rate-limit policy can be tested without waiting. */
  now?: () => number;
}

export const PUSH_HUB_DEFAULTS = {
  pingIntervalMs: 30_000,
  pongTimeoutMs: 10_000,
  maxPayloadBytes: 1024 * 1024,
  maxInboundPerSecond: 100,
  maxConnectAttemptsPerMinute: 10,
  // Several seconds of the busiest realistic stream (skill_update with code) for one client.
  maxBufferedBytes: 4 * 1024 * 1024,
  closeGraceMs: 2_000,
} as const;

export type ResolvedPushHubOptions = Required<Omit<PushHubOptions, 'logger'>> & {
  logger: FastifyBaseLogger | undefined;
};

/** Fills in defaults and refuses nonsense early, at registration, rather than at the first ping. */
export function resolvePushHubOptions(options: PushHubOptions): ResolvedPushHubOptions {
  const resolved: ResolvedPushHubOptions = {
    authenticate: options.authenticate,
    registry: options.registry,
    logger: options.logger,
    pingIntervalMs: options.pingIntervalMs ?? PUSH_HUB_DEFAULTS.pingIntervalMs,
    pongTimeoutMs: options.pongTimeoutMs ?? PUSH_HUB_DEFAULTS.pongTimeoutMs,
    maxPayloadBytes: options.maxPayloadBytes ?? PUSH_HUB_DEFAULTS.maxPayloadBytes,
    maxInboundPerSecond: options.maxInboundPerSecond ?? PUSH_HUB_DEFAULTS.maxInboundPerSecond,
    maxConnectAttemptsPerMinute: options.maxConnectAttemptsPerMinute ?? PUSH_HUB_DEFAULTS.maxConnectAttemptsPerMinute,
    maxBufferedBytes: options.maxBufferedBytes ?? PUSH_HUB_DEFAULTS.maxBufferedBytes,
    closeGraceMs: options.closeGraceMs ?? PUSH_HUB_DEFAULTS.closeGraceMs,
    now: options.now ?? Date.now,
  };
  const positive = [
    'pingIntervalMs',
    'pongTimeoutMs',
    'maxPayloadBytes',
    'maxInboundPerSecond',
    'maxConnectAttemptsPerMinute',
    'maxBufferedBytes',
  ] as const;
  const invalid: string[] = positive.filter((key) => !Number.isFinite(resolved[key]) || resolved[key] <= 0);
  if (!Number.isFinite(resolved.closeGraceMs) || resolved.closeGraceMs < 0) invalid.push('closeGraceMs');
  if (invalid.length > 0) throw new RangeError(`push hub: invalid option(s) ${invalid.join(', ')}`);
  if (typeof resolved.authenticate !== 'function') throw new TypeError('push hub: authenticate is required');
  return resolved;
}
