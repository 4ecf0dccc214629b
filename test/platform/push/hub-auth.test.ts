import Fastify from 'fastify';
import { Writable } from 'node:stream';
import { Registry } from 'prom-client';
import { afterEach, describe, expect, it } from 'vitest';
import { createLogger } from '../../../src/logging/logger.ts';
import { registerPushHub } from '../../../src/platform/push/hub.ts';
import {
  GOOD_TOKEN,
  UpgradeRefused,
  closeOf,
  connect,
  pushMessage,
  recordMessages,
  sampleValue,
  startHub,
  upgradeStatus,
  waitFor,
  type HubHarness,
} from './helpers.ts';

let harness: HubHarness | undefined;
afterEach(async () => {
  await harness?.stop();
  harness = undefined;
});

describe('push hub: authentication and connection attempts', () => {
  it('delivers broadcasts in order, with their seq, to a client with a good token', async () => {
    harness = await startHub();
    const ws = await connect(harness.url());
    const received = recordMessages(ws);
    await waitFor(() => harness!.hub.connectionCount() === 1, 2_000, 'the hub to register the client');

    for (let seq = 1; seq <= 20; seq++) harness.hub.broadcast(pushMessage(seq, seq % 2 ? 'skill_update' : 'rating_update'));
    await waitFor(() => received.length === 20, 2_000, '20 messages');

    expect(received.map((m) => m.seq)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    expect(received[0]).toEqual({
      type: 'skill_update',
      data: { skill_id: 's-1' },
      timestamp: '2026-02-19T10:30:00.001Z',
      seq: 1,
    });
    expect(received[1]?.type).toBe('rating_update');
    ws.close();
  });

  it('closes the open sockets of a revoked token with 4401 and leaves the others', async () => {
    const OTHER = 'tok-other-0123456789abcdef';
    harness = await startHub({ tokens: [GOOD_TOKEN, OTHER] });
    const revoked = [await connect(harness.url()), await connect(harness.url())];
    const other = await connect(harness.url(OTHER));
    await waitFor(() => harness!.hub.connectionCount() === 3, 2_000, 'three clients');
    const closes = revoked.map((ws) => closeOf(ws));
    expect(harness.hub.disconnectToken(GOOD_TOKEN)).toBe(2);
    expect(await Promise.all(closes)).toEqual([{ code: 4401, reason: 'token revoked' }, { code: 4401, reason: 'token revoked' }]);
    await waitFor(() => harness!.hub.connectionCount() === 1, 2_000, 'the revoked clients to go');
    expect(other.readyState).toBe(other.OPEN);
    expect(harness.hub.disconnectToken('tok-unknown-99999999')).toBe(0);
    expect(await sampleValue(harness.registry, 'atom_saas_websocket_disconnects_total', { reason: 'token_revoked' })).toBe(2);
    expect(harness.logText()).not.toContain(GOOD_TOKEN);
    other.close();
  });

  it('refuses a missing or unknown token with 401 before upgrading', async () => {
    harness = await startHub();
    expect(await upgradeStatus(harness.url(null))).toBe(401);
    expect(await upgradeStatus(harness.url(''))).toBe(401);
    expect(await upgradeStatus(harness.url('tok-unknown-99999999'))).toBe(401);
    expect(await upgradeStatus(`${harness.url()}&token=${GOOD_TOKEN}`)).toBe(401); // ambiguous: refused
    expect(harness.hub.connectionCount()).toBe(0);
    expect(await sampleValue(harness.registry, 'atom_saas_websocket_upgrades_refused_total', { reason: 'unauthorized' })).toBe(4);
  });

  it('refuses the 11th attempt within a minute with 429 and Retry-After, per token', async () => {
    const other = 'tok-other-abcdef012345';
    harness = await startHub({ tokens: [GOOD_TOKEN, other] });
    for (let attempt = 1; attempt <= 10; attempt++) expect(await upgradeStatus(harness.url())).toBe(101);

    const refused = await connect(harness.url()).then(
      () => undefined,
      (err: unknown) => err,
    );
    expect(refused).toBeInstanceOf(UpgradeRefused);
    expect((refused as UpgradeRefused).status).toBe(429);
    const retryAfter = Number((refused as UpgradeRefused).retryAfter);
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(60);
    // Another token has its own budget.
    expect(await upgradeStatus(harness.url(other))).toBe(101);
  });

  it('counts attempts with unknown tokens too, so guessing is rate limited', async () => {
    harness = await startHub({ maxConnectAttemptsPerMinute: 3 });
    const statuses: number[] = [];
    for (let attempt = 1; attempt <= 4; attempt++) statuses.push(await upgradeStatus(harness.url('tok-guess-0000000000')));
    expect(statuses).toEqual([401, 401, 401, 429]);
  });

  it('answers a plain GET /ws (no Upgrade) with 426 for a good token and 401 for a bad one', async () => {
    harness = await startHub();
    const good = await harness.app.inject({ method: 'GET', url: `/ws?token=${GOOD_TOKEN}` });
    expect(good.statusCode).toBe(426);
    expect(good.headers.upgrade).toBe('websocket');
    const bad = await harness.app.inject({ method: 'GET', url: '/ws?token=nope-nope-nope' });
    expect(bad.statusCode).toBe(401);
    expect(bad.json()).toEqual({ error: 'Invalid or missing token' });
  });

  it('never writes a token to its log', async () => {
    harness = await startHub({ maxConnectAttemptsPerMinute: 2, maxInboundPerSecond: 1 });
    await upgradeStatus(harness.url('tok-secret-unknown-42'));
    const ws = await connect(harness.url());
    const second = await connect(harness.url());
    expect(await upgradeStatus(harness.url())).toBe(429);
    second.close();
    for (let i = 0; i < 5; i++) ws.send('{"type":"subscribe"}');
    await waitFor(() => harness!.logLines.some((line) => String(line.msg).includes('rate limit')), 2_000, 'a flood warning');
    ws.close();
    await closeOf(ws);
    await waitFor(() => harness!.logLines.some((line) => String(line.msg).includes('disconnected')), 2_000, 'a disconnect line');

    const text = harness.logText();
    expect(text).not.toContain(GOOD_TOKEN);
    expect(text).not.toContain('tok-secret-unknown-42');
    expect(text).toContain('instance-cdef'); // clients are identified by instance, not token
  });

  it('with the project logger as Fastify logger, no request line carries the token either', async () => {
    const lines: string[] = [];
    const destination = new Writable({
      write(chunk: Buffer, _encoding, callback) {
        lines.push(chunk.toString('utf8'));
        callback();
      },
    });
    const app = Fastify({ loggerInstance: createLogger({ level: 'debug', destination }) });
    registerPushHub(app, {
      registry: new Registry(),
      authenticate: (token) => (token === GOOD_TOKEN ? { instanceId: 'i-1' } : null),
    });
    await app.listen({ host: '127.0.0.1', port: 0 });
    try {
      const address = app.server.address();
      if (address === null || typeof address === 'string') throw new Error('no TCP address');
      const base = `ws://127.0.0.1:${address.port}/ws`;
      expect(await upgradeStatus(`${base}?token=tok-wrong-guess-777777`)).toBe(401);
      const ws = await connect(`${base}?token=${GOOD_TOKEN}`);
      ws.close();
      await closeOf(ws);
    } finally {
      await app.close();
    }
    const text = lines.join('');
    expect(text).toContain('incoming request'); // Fastify's own request lines were written too
    expect(text).not.toContain(GOOD_TOKEN);
    expect(text).not.toContain('tok-wrong-guess-777777');
  });
});
