import WebSocket from 'ws';
import type { SocketEvent } from '../../../machines/connection.ts';
import { MAX_MESSAGE_BYTES } from './messages.ts';

export interface SocketOptions {
  /** ws:// or wss:// URL of the platform's push endpoint; the token is added as `?token=`. */
  url: string;
  token: string;
  connectTimeoutMs: number;
  /** Every text frame, with a way to answer on the same socket (JSON pong). */
  onFrame: (frame: Buffer, reply: (message: unknown) => void) => void;
  /** A frame over the size limit closed the connection (1009): counted by the caller. */
  onOversize?: () => void;
  now: () => number;
  /** socket.alive reaches the chart at most this often, however many frames arrive. */
  aliveEveryMs?: number;
}

/** WebSocket close codes operators see in `lastDisconnectReason`. */
const CLOSE_REASONS: Record<number, string> = {
  1000: 'closed normally', 1001: 'server going away', 1006: 'connection lost', 1008: 'policy violation',
  1009: 'message too big', 1011: 'server error', 1012: 'server restarting', 1013: 'try again later',
  4401: 'token revoked',
};

/** The platform's close code for a socket whose token was revoked (docs/push.md). */
const CLOSE_TOKEN_REVOKED = 4401;

/**
 * One connection attempt, as the body of the connection chart's callback actor: opens the socket
 * (connect timeout, frames up to 1 MB, no compression), answers every protocol ping (ws does that
 * itself), turns what happens into socket.* events, and returns the cleanup that closes it.
 */
export function openSocket(options: SocketOptions, report: (event: SocketEvent) => void): () => void {
  const url = new URL(options.url);
  url.searchParams.set('token', options.token);
  const ws = new WebSocket(url, {
    handshakeTimeout: options.connectTimeoutMs,
    maxPayload: MAX_MESSAGE_BYTES,
    perMessageDeflate: false,
    autoPong: true,
  });
  const aliveEvery = options.aliveEveryMs ?? 1000;
  let lastAlive = Number.NEGATIVE_INFINITY;
  let finished = false;
  let lastError: string | undefined;
  let oversize = false;
  const finish = (event: SocketEvent) => {
    if (finished) return;
    finished = true;
    report(event);
  };
  // The watchdog only needs to know the link lives; a flood of frames must not flood the chart.
  const alive = () => {
    const now = options.now();
    if (now - lastAlive < aliveEvery) return;
    lastAlive = now;
    if (!finished) report({ type: 'socket.alive' });
  };
  const reply = (message: unknown) => {
    if (ws.readyState === WebSocket.OPEN) ws.send(JSON.stringify(message));
  };

  ws.on('open', () => {
    if (!finished) report({ type: 'socket.opened' });
  });
  // The platform refuses a bad token before the upgrade with an HTTP status.
  ws.on('unexpected-response', (_request, response) => {
    const status = response.statusCode ?? 0;
    response.resume();
    finish(status === 401 || status === 403
      ? { type: 'socket.authRejected', reason: `HTTP ${status} on upgrade` }
      : { type: 'socket.closed', reason: `HTTP ${status} on upgrade` });
    ws.terminate();
  });
  ws.on('ping', alive);
  ws.on('message', (data, isBinary) => {
    alive();
    if (!isBinary) options.onFrame(Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data as Buffer), reply);
  });
  ws.on('error', (error) => {
    // 'close' follows; keep the cause for its reason. ws's messages carry no token.
    const code = (error as NodeJS.ErrnoException).code;
    // A frame over maxPayload: ws fails the connection (close code 1009 sent, 1006 seen locally).
    if (code === 'WS_ERR_UNSUPPORTED_MESSAGE_LENGTH') oversize = true;
    lastError = code ?? error.message;
  });
  ws.on('close', (code, reason) => {
    if (oversize || code === 1009) {
      options.onOversize?.();
      finish({ type: 'socket.closed', reason: `1009 ${CLOSE_REASONS[1009]} (over ${MAX_MESSAGE_BYTES} bytes)` });
      return;
    }
    const text = reason.toString() || CLOSE_REASONS[code] || `close code ${code}`;
    // The platform revoked the token of an open socket: like a 401 on upgrade, no retry storm.
    if (code === CLOSE_TOKEN_REVOKED) {
      finish({ type: 'socket.authRejected', reason: `${code} ${text}` });
      return;
    }
    finish({ type: 'socket.closed', reason: lastError && code === 1006 ? lastError : `${code} ${text}` });
  });

  return () => {
    finished = true;
    ws.removeAllListeners('message');
    if (ws.readyState === WebSocket.OPEN) ws.close(1000, 'agent closing');
    else ws.terminate(); // its 'error' ("closed before the connection was established") is handled above
  };
}
