// The reference platform's WebSocket push hub (spec 000 "Required WebSocket Endpoint"): GET /ws,
// authenticated by `?token=`, fanning committed changes out to every connected Atom instance.
// The protocol as implemented is described in docs/push.md.

import websocketPlugin from '@fastify/websocket';
import type {
  FastifyBaseLogger,
  FastifyInstance,
  FastifyPluginAsync,
  FastifyReply,
  FastifyRequest,
  FastifyTypeProvider,
  RawServerDefault,
} from 'fastify';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { WebSocket } from 'ws';
import { ConnectAttemptLimiter } from './attempt-limiter.ts';
import { CLOSE_GOING_AWAY, CLOSE_TOKEN_REVOKED, PushConnection, type ConnectionContext } from './connection.ts';
import { hashToken } from '../db/tokens.ts';
import { Heartbeat } from './heartbeat.ts';
import { createPushMetrics } from './metrics.ts';
import { resolvePushHubOptions, type PushHubOptions } from './options.ts';
import { pushRouteSchema } from './route-schema.ts';
import type { PushMessage } from './types.ts';

export type { PushHubOptions } from './options.ts';

export interface PushHub {
  /** Sends one message to every connected client. Serializes once and never waits for a client. */
  broadcast(message: PushMessage): void;
  connectionCount(): number;
  /** Turns the server's heartbeat off and on (tests of the agent's staleness watchdog). */
  setPingsEnabled(on: boolean): void;
  stats(): PushHubStats;
  /**
   * Closes the sockets opened with `token` (4401 "token revoked"): a revoked token loses its push
   * as it loses the HTTP API, not at its next reconnect. Returns how many were closed.
   */
  disconnectToken(token: string): number;
  /** The same by the token's sha256 hash: what another replica's revocation carries. */
  disconnectTokenHash(tokenHash: string): number;
  /** Closes every socket with 1001 and stops all timers; idempotent. Also run by app.close(). */
  close(): Promise<void>;
}

export interface PushHubStats {
  connections: number;
  pingsEnabled: boolean;
  broadcasts: number;
  lastBroadcastSeq: number | null;
  slowConsumersTerminated: number;
}

const ATTEMPT_WINDOW_MS = 60_000;

/**
 * Adds `GET /ws` to `app` and returns the hub that pushes to it. Call before `ready`/`listen`.
 * Registers @fastify/websocket unless the app already has it.
 */
export function registerPushHub<Logger extends FastifyBaseLogger, TypeProvider extends FastifyTypeProvider>(
  app: FastifyInstance<RawServerDefault, IncomingMessage, ServerResponse, Logger, TypeProvider>,
  options: PushHubOptions,
): PushHub {
  const config = resolvePushHubOptions(options);
  const log = config.logger ?? app.log.child({ module: 'push' });
  const metrics = createPushMetrics(config.registry);
  const limiter = new ConnectAttemptLimiter({ limit: config.maxConnectAttemptsPerMinute, windowMs: ATTEMPT_WINDOW_MS });
  const connections = new Set<PushConnection>();
  // Who each admitted upgrade request belongs to, from the hook that authenticated it to the handler.
  const admitted = new WeakMap<FastifyRequest, { instanceId: string; tokenHash: string }>();
  let closing: Promise<void> | undefined;
  let broadcasts = 0;
  let lastBroadcastSeq: number | null = null;
  let slowConsumersTerminated = 0;

  const connectionContext: ConnectionContext = {
    metrics,
    logger: log,
    now: config.now,
    inboundRate: { capacity: config.maxInboundPerSecond, refillPerSecond: config.maxInboundPerSecond },
    maxPayloadBytes: config.maxPayloadBytes,
    maxBufferedBytes: config.maxBufferedBytes,
    onClosed(connection, reason) {
      connections.delete(connection);
      metrics.connections.set(connections.size);
      metrics.disconnects.inc({ reason });
      if (reason === 'slow_consumer') slowConsumersTerminated += 1;
      log.debug({ instanceId: connection.instanceId, reason }, 'push client disconnected');
    },
  };

  const heartbeat = new Heartbeat({
    intervalMs: config.pingIntervalMs,
    timeoutMs: config.pongTimeoutMs,
    now: config.now,
    connections: () => connections,
    ping(connection, jsonPing) {
      connection.sendProtocolPing();
      if (connection.send(jsonPing) === 'sent') metrics.messages.inc({ type: 'ping', direction: 'outgoing' });
    },
    onStale(connection) {
      log.info({ instanceId: connection.instanceId }, 'push client missed its pong; terminating it');
      connection.terminate('pong_timeout');
    },
  });

  async function admitUpgrade(request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply | undefined> {
    if (closing !== undefined) return refuse(reply, 503, 'shutting_down', { error: 'Server shutting down' });
    const token = (request.query as { token?: unknown }).token;
    if (typeof token !== 'string' || token === '') {
      return refuse(reply, 401, 'unauthorized', { error: 'Invalid or missing token' });
    }
    // Counted before authenticating, so a token-guessing loop cannot make authenticate() run unbounded.
    const attempt = limiter.attempt(token, config.now());
    if (!attempt.allowed) {
      const retryAfter = Math.ceil(attempt.retryAfterMs / 1000);
      reply.header('retry-after', String(retryAfter));
      return refuse(reply, 429, 'rate_limited', { error: 'Rate limit exceeded', retry_after: retryAfter });
    }
    const identity = await config.authenticate(token);
    if (closing !== undefined) return refuse(reply, 503, 'shutting_down', { error: 'Server shutting down' });
    if (identity === null) return refuse(reply, 401, 'unauthorized', { error: 'Invalid or missing token' });
    admitted.set(request, { instanceId: identity.instanceId, tokenHash: hashToken(token) });
    return undefined;
  }

  function refuse(reply: FastifyReply, status: number, reason: string, body: object): FastifyReply {
    metrics.refusedUpgrades.inc({ reason });
    return reply.code(status).send(body);
  }

  function acceptSocket(socket: WebSocket, request: FastifyRequest): void {
    const identity = admitted.get(request);
    if (identity === undefined || closing !== undefined) {
      // Only reachable if the hub closed between the hook and the upgrade.
      socket.close(CLOSE_GOING_AWAY, 'server shutting down');
      return;
    }
    const connection = new PushConnection(socket, identity.instanceId, identity.tokenHash, connectionContext);
    connections.add(connection);
    metrics.connections.set(connections.size);
    metrics.accepted.inc();
    log.debug({ instanceId: identity.instanceId }, 'push client connected');
  }

  const pushRoutes: FastifyPluginAsync = async (scope) => {
    if (!scope.hasDecorator('websocketServer')) {
      await scope.register(websocketPlugin, {
        options: { maxPayload: config.maxPayloadBytes },
        errorHandler(err, socket) {
          // Protocol errors (an oversized frame) have already started ws's own close with the right
          // code; terminating here could lose that close frame. Anything else is our bug.
          if (socket.readyState !== WebSocket.OPEN) return;
          log.error({ err }, 'push socket handler failed');
          socket.terminate();
        },
      });
    } else if ((scope.websocketServer.options.maxPayload ?? Infinity) > config.maxPayloadBytes) {
      log.warn('@fastify/websocket was registered with a larger maxPayload; the push hub checks sizes per message');
    }
    scope.route({
      method: 'GET',
      url: '/ws',
      schema: pushRouteSchema,
      preValidation: admitUpgrade,
      // A plain GET that passed the hook has a good token but no Upgrade header.
      handler: (_request, reply) =>
        reply.code(426).header('upgrade', 'websocket').send({ error: 'Upgrade Required' }),
      wsHandler: acceptSocket,
    });
    heartbeat.start();
  };
  // Same effect as fastify-plugin: no encapsulation, so @fastify/websocket lands in `app` itself
  // and a later registration elsewhere sees it instead of adding a second upgrade listener.
  Object.assign(pushRoutes, { [Symbol.for('skip-override')]: true });
  app.register(pushRoutes);

  const hub: PushHub = {
    broadcast(message) {
      if (closing !== undefined) return;
      broadcasts += 1;
      lastBroadcastSeq = message.seq;
      const frame = Buffer.from(JSON.stringify(message));
      let delivered = 0;
      let slow = 0;
      for (const connection of connections) {
        const outcome = connection.send(frame);
        if (outcome === 'sent') delivered += 1;
        else if (outcome === 'slow_consumer') slow += 1;
      }
      if (delivered > 0) metrics.messages.inc({ type: message.type, direction: 'outgoing' }, delivered);
      if (slow > 0) metrics.dropped.inc({ reason: 'slow_consumer' }, slow);
    },
    connectionCount: () => connections.size,
    setPingsEnabled(on) {
      if (on && closing === undefined) heartbeat.start();
      else heartbeat.stop();
    },
    stats: () => ({
      connections: connections.size,
      pingsEnabled: heartbeat.enabled,
      broadcasts,
      lastBroadcastSeq,
      slowConsumersTerminated,
    }),
    disconnectToken(token) {
      return hub.disconnectTokenHash(hashToken(token));
    },
    disconnectTokenHash(hash) {
      let closed = 0;
      for (const connection of connections) {
        if (connection.tokenHash !== hash) continue;
        connection.close(CLOSE_TOKEN_REVOKED, 'token revoked', 'token_revoked');
        closed += 1;
      }
      if (closed > 0) log.info({ sockets: closed }, 'closed the push sockets of a revoked token');
      return closed;
    },
    close() {
      closing ??= closeAll();
      return closing;
    },
  };

  async function closeAll(): Promise<void> {
    heartbeat.stop();
    const open = [...connections];
    for (const connection of open) connection.close(CLOSE_GOING_AWAY, 'server shutting down', 'server_shutdown');
    // A client that never completes the closing handshake must not hold shutdown hostage.
    const grace = setTimeout(() => {
      for (const connection of open) connection.terminate('server_shutdown');
    }, config.closeGraceMs);
    grace.unref();
    await Promise.all(open.map((connection) => connection.closed));
    clearTimeout(grace);
  }

  // preClose, added now, runs before @fastify/websocket's own preClose (which closes without a
  // code), so clients see 1001 on app.close(). onClose covers an app closed before it was ready.
  app.addHook('preClose', async () => hub.close());
  app.addHook('onClose', async () => hub.close());
  return hub;
}
