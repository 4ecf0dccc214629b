// Shared harness: a real Fastify server on 127.0.0.1:0 with the hub, and real ws clients.

import Fastify, { type FastifyInstance } from 'fastify';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { Registry } from 'prom-client';
import { WebSocket, type ClientOptions } from 'ws';
import { registerPushHub, type PushHub, type PushHubOptions } from '../../../src/platform/push/hub.ts';
import type { PushMessage, PushType } from '../../../src/platform/push/types.ts';

export const GOOD_TOKEN = 'tok-good-0123456789abcdef';

export interface HubHarness {
  app: FastifyInstance;
  hub: PushHub;
  registry: Registry;
  /** Every log line the hub wrote, parsed. */
  logLines: Array<Record<string, unknown>>;
  /** Raw log text, to check that no token ever reaches it. */
  logText: () => string;
  url: (token?: string | null) => string;
  stop: () => Promise<void>;
}

export async function startHub(
  options: Partial<Omit<PushHubOptions, 'authenticate' | 'registry'>> & { tokens?: string[] } = {},
): Promise<HubHarness> {
  const tokens = new Set(options.tokens ?? [GOOD_TOKEN]);
  const registry = new Registry();
  const chunks: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      chunks.push(chunk.toString('utf8'));
      callback();
    },
  });
  const logger = options.logger ?? pino({ level: 'debug' }, destination);
  const app = Fastify({ logger: false });
  const hub = registerPushHub(app, {
    ...options,
    logger,
    registry,
    authenticate: (token) => (tokens.has(token) ? { instanceId: `instance-${token.slice(-4)}` } : null),
  });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const address = app.server.address();
  if (address === null || typeof address === 'string') throw new Error('no TCP address');
  const base = `ws://127.0.0.1:${address.port}/ws`;
  const logText = (): string => chunks.join('');
  return {
    app,
    hub,
    registry,
    get logLines() {
      return logText()
        .split('\n')
        .filter((line) => line.trim() !== '')
        .map((line) => JSON.parse(line) as Record<string, unknown>);
    },
    logText,
    url: (token = GOOD_TOKEN) => (token === null ? base : `${base}?token=${encodeURIComponent(token)}`),
    stop: () => app.close(),
  };
}

/** Opens a client; rejects with the HTTP status if the upgrade is refused. */
export function connect(url: string, options: ClientOptions = {}): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, options);
    ws.once('open', () => resolve(ws));
    ws.once('unexpected-response', (_req, res) => {
      reject(new UpgradeRefused(res.statusCode ?? 0, res.headers['retry-after']));
      ws.terminate();
    });
    ws.once('error', reject);
  });
}

export class UpgradeRefused extends Error {
  readonly status: number;
  readonly retryAfter: string | string[] | undefined;

  constructor(status: number, retryAfter: string | string[] | undefined) {
    super(`upgrade refused with ${status}`);
    this.status = status;
    this.retryAfter = retryAfter;
  }
}

/** The status the server answered an upgrade with: 101, or the refusal's HTTP status. */
export async function upgradeStatus(url: string): Promise<number> {
  try {
    const ws = await connect(url);
    ws.close();
    return 101;
  } catch (err) {
    if (err instanceof UpgradeRefused) return err.status;
    throw err;
  }
}

/** Records every text message a client receives, parsed. */
export function recordMessages(ws: WebSocket): Array<Record<string, unknown>> {
  const received: Array<Record<string, unknown>> = [];
  ws.on('message', (data) => received.push(JSON.parse(String(data)) as Record<string, unknown>));
  return received;
}

/** Resolves with the close code and reason; rejects if the socket is still open after `timeoutMs`. */
export function closeOf(ws: WebSocket, timeoutMs = 3_000): Promise<{ code: number; reason: string }> {
  return new Promise((resolve, reject) => {
    if (ws.readyState === WebSocket.CLOSED) reject(new Error('socket was already closed'));
    const timer = setTimeout(() => reject(new Error(`socket still open after ${timeoutMs} ms`)), timeoutMs);
    ws.once('close', (code, reason) => {
      clearTimeout(timer);
      resolve({ code, reason: reason.toString() });
    });
  });
}

/** Polls `predicate` every 5 ms; throws after `timeoutMs`. */
export async function waitFor(predicate: () => boolean, timeoutMs = 3_000, what = 'condition'): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await delay(5);
  }
}

export function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

export function pushMessage(seq: number, type: PushType = 'skill_update', data: Record<string, unknown> = {}): PushMessage {
  return { type, seq, timestamp: new Date(1_771_497_000_000 + seq).toISOString(), data: { skill_id: `s-${seq}`, ...data } };
}

/** The value of one sample in the registry's text exposition, or undefined if absent. */
export async function sampleValue(registry: Registry, name: string, labels: Record<string, string> = {}): Promise<number | undefined> {
  const metric = (await registry.getMetricsAsJSON()).find((m) => m.name === name);
  const values = (metric as { values?: Array<{ value: number; labels: Record<string, unknown> }> } | undefined)?.values ?? [];
  const match = values.find((v) => Object.entries(labels).every(([k, want]) => String(v.labels[k]) === want));
  return match?.value;
}
