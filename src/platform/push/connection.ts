// One authenticated push client: what it is owed (a pong deadline), what it may send (pongs, at a
// bounded rate and size) and how far behind it may fall before it is cut off.

import type { FastifyBaseLogger } from 'fastify';
import { WebSocket, type RawData } from 'ws';
import { classifyInbound, rawDataLength } from './inbound.ts';
import type { DisconnectReason, PushMetrics } from './metrics.ts';
import { fullBucket, takeToken, type TokenBucket, type TokenBucketPolicy } from '../../policy/token-bucket.ts';

/** RFC 6455: the server is going away (shutdown). */
export const CLOSE_GOING_AWAY = 1001;
/** RFC 6455: a message too big to process. */
export const CLOSE_MESSAGE_TOO_BIG = 1009;
/** Ours (4000-4999 is for applications; 4401 mirrors HTTP 401): the socket's token was revoked. */
export const CLOSE_TOKEN_REVOKED = 4401;

const FLOOD_WARN_INTERVAL_MS = 1_000;

export interface ConnectionContext {
  metrics: PushMetrics;
  logger: FastifyBaseLogger;
  now: () => number;
  inboundRate: TokenBucketPolicy;
  maxPayloadBytes: number;
  maxBufferedBytes: number;
  onClosed: (connection: PushConnection, reason: DisconnectReason) => void;
}

export type SendOutcome = 'sent' | 'slow_consumer' | 'not_open';

export class PushConnection {
  /** The heartbeat round this client still owes a pong for; null when it has answered. */
  owesPongSinceRound: number | null = null;
  /** Resolves once the socket is fully closed. */
  readonly closed: Promise<void>;
  private endReason: DisconnectReason | null = null;
  private inboundBucket: TokenBucket;
  private lastFloodWarnAt = Number.NEGATIVE_INFINITY;
  private droppedSinceWarn = 0;

  readonly socket: WebSocket;
  readonly instanceId: string;
  /** The hash of the token the socket was opened with (never the token itself). */
  readonly tokenHash: string;
  private readonly context: ConnectionContext;

  constructor(socket: WebSocket, instanceId: string, tokenHash: string, context: ConnectionContext) {
    this.socket = socket;
    this.instanceId = instanceId;
    this.tokenHash = tokenHash;
    this.context = context;
    this.inboundBucket = fullBucket(context.inboundRate, context.now());
    socket.on('message', (data, isBinary) => this.onMessage(data, isBinary));
    // A protocol pong (ws clients answer pings by themselves) proves liveness as well as a JSON one.
    socket.on('pong', () => this.markAlive());
    socket.on('error', (err) => this.onError(err));
    this.closed = new Promise((resolve) => {
      socket.once('close', () => {
        context.onClosed(this, this.endReason ?? 'client_closed');
        resolve();
      });
    });
  }

  /**
   * Queues one pre-serialized text frame. Never waits: a client whose backlog would pass the
   * bound is terminated instead, so one stalled reader cannot hold memory or stall the fan-out.
   */
  send(frame: Buffer): SendOutcome {
    if (this.socket.readyState !== WebSocket.OPEN) return 'not_open';
    if (this.socket.bufferedAmount + frame.length > this.context.maxBufferedBytes) {
      this.context.logger.warn(
        { instanceId: this.instanceId, bufferedBytes: this.socket.bufferedAmount },
        'push client too slow; terminating it',
      );
      // terminate, not close(1013): a close frame would queue behind the backlog it cannot read.
      this.terminate('slow_consumer');
      return 'slow_consumer';
    }
    this.socket.send(frame, { binary: false });
    return 'sent';
  }

  /** A protocol ping frame; the JSON ping goes through send(). */
  sendProtocolPing(): void {
    if (this.socket.readyState === WebSocket.OPEN) this.socket.ping();
  }

  close(code: number, text: string, reason: DisconnectReason): void {
    this.endReason ??= reason;
    this.socket.close(code, text);
  }

  terminate(reason: DisconnectReason): void {
    this.endReason ??= reason;
    this.socket.terminate();
  }

  private markAlive(): void {
    this.owesPongSinceRound = null;
  }

  private onMessage(data: RawData, isBinary: boolean): void {
    if (this.socket.readyState !== WebSocket.OPEN) return;
    // ws enforces maxPayload itself when the hub registered @fastify/websocket; this covers an app
    // that registered it earlier with a larger limit.
    if (rawDataLength(data) > this.context.maxPayloadBytes) {
      this.context.logger.warn({ instanceId: this.instanceId }, 'push client sent an oversized message; closing');
      this.close(CLOSE_MESSAGE_TOO_BIG, 'message too big', 'message_too_big');
      return;
    }
    const now = this.context.now();
    const taken = takeToken(this.inboundBucket, now, this.context.inboundRate);
    this.inboundBucket = taken.bucket;
    if (!taken.allowed) {
      this.context.metrics.dropped.inc({ reason: 'rate_limited' });
      this.warnFloodAtMostOncePerSecond(now);
      return;
    }
    const kind = classifyInbound(data, isBinary);
    this.context.metrics.messages.inc({ type: kind === 'pong' ? 'pong' : 'other', direction: 'incoming' });
    if (kind === 'pong') this.markAlive();
    else this.context.metrics.dropped.inc({ reason: kind });
  }

  private warnFloodAtMostOncePerSecond(now: number): void {
    this.droppedSinceWarn += 1;
    if (now - this.lastFloodWarnAt < FLOOD_WARN_INTERVAL_MS) return;
    this.context.logger.warn(
      { instanceId: this.instanceId, dropped: this.droppedSinceWarn },
      'push client over the inbound rate limit; dropping messages',
    );
    this.lastFloodWarnAt = now;
    this.droppedSinceWarn = 0;
  }

  private onError(err: Error & { code?: string }): void {
    // ws has already started the close (with 1009 for an oversized frame); record why.
    const tooBig = err.code === 'WS_ERR_UNSUPPORTED_MESSAGE_LENGTH';
    this.endReason ??= tooBig ? 'message_too_big' : 'protocol_error';
    this.context.logger.warn(
      { instanceId: this.instanceId, code: err.code },
      tooBig ? 'push client sent an oversized message; closing' : 'push client broke the protocol; closing',
    );
  }
}
