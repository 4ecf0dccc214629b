import Fastify from 'fastify';
import websocketPlugin from '@fastify/websocket';
import { Registry } from 'prom-client';
import { afterEach, describe, expect, it } from 'vitest';
import { registerPushHub } from '../../../src/platform/push/hub.ts';
import {
  GOOD_TOKEN,
  closeOf,
  connect,
  delay,
  pushMessage,
  recordMessages,
  sampleValue,
  startHub,
  waitFor,
  type HubHarness,
} from './helpers.ts';

let harness: HubHarness | undefined;
afterEach(async () => {
  await harness?.stop();
  harness = undefined;
});

describe('push hub: inbound limits', () => {
  it('closes a client that sends a 2 MB frame with 1009 and keeps serving the others', async () => {
    harness = await startHub({ tokens: [GOOD_TOKEN, 'tok-bystander-000000'] });
    const offender = await connect(harness.url());
    const bystander = await connect(harness.url('tok-bystander-000000'));
    const received = recordMessages(bystander);
    await waitFor(() => harness!.hub.connectionCount() === 2, 1_000, 'two clients');

    offender.send(JSON.stringify({ type: 'pong', padding: 'x'.repeat(2 * 1024 * 1024) }));
    const { code } = await closeOf(offender);

    expect(code).toBe(1009);
    harness.hub.broadcast(pushMessage(1));
    await waitFor(() => received.length === 1, 1_000, 'the bystander to get the broadcast');
    expect(harness.hub.connectionCount()).toBe(1);
    expect(await sampleValue(harness.registry, 'atom_saas_websocket_disconnects_total', { reason: 'message_too_big' })).toBe(1);
    // And a new client is still welcome.
    const late = await connect(harness.url());
    late.close();
    bystander.close();
  });

  it('accepts a frame just under 1 MiB', async () => {
    harness = await startHub();
    const ws = await connect(harness.url());
    const pong = JSON.stringify({ type: 'pong', padding: '' });
    ws.send(JSON.stringify({ type: 'pong', padding: 'x'.repeat(1024 * 1024 - pong.length) }));
    const pongs = async (): Promise<number | undefined> =>
      sampleValue(harness!.registry, 'atom_saas_websocket_messages_total', { type: 'pong', direction: 'incoming' });
    for (let i = 0; i < 200 && (await pongs()) === undefined; i++) await delay(5);

    expect(await pongs()).toBe(1);
    expect(ws.readyState).toBe(ws.OPEN);
    ws.close();
  });

  it('drops and counts inbound messages over 100 per second, warns at most once a second, keeps the connection', async () => {
    harness = await startHub();
    const ws = await connect(harness.url());
    const received = recordMessages(ws);
    await waitFor(() => harness!.hub.connectionCount() === 1, 1_000, 'the client');

    const sent = 300;
    for (let i = 0; i < sent; i++) ws.send(JSON.stringify({ type: 'pong', timestamp: new Date().toISOString() }));
    const counted = async (): Promise<number> =>
      ((await sampleValue(harness!.registry, 'atom_saas_websocket_messages_total', { type: 'pong', direction: 'incoming' })) ?? 0) +
      ((await sampleValue(harness!.registry, 'atom_saas_websocket_dropped_total', { reason: 'rate_limited' })) ?? 0);
    for (let i = 0; i < 200 && (await counted()) < sent; i++) await delay(5);

    const accepted = (await sampleValue(harness.registry, 'atom_saas_websocket_messages_total', { type: 'pong', direction: 'incoming' })) ?? 0;
    const dropped = (await sampleValue(harness.registry, 'atom_saas_websocket_dropped_total', { reason: 'rate_limited' })) ?? 0;
    expect(accepted + dropped).toBe(sent);
    // A full bucket of 100 plus whatever refilled while the burst was being read.
    expect(accepted).toBeGreaterThanOrEqual(100);
    expect(accepted).toBeLessThan(150);
    const floodWarnings = harness.logLines.filter((line) => String(line.msg).includes('inbound rate limit'));
    expect(floodWarnings.length).toBe(1);

    harness.hub.broadcast(pushMessage(7));
    await waitFor(() => received.length === 1, 1_000, 'a broadcast after the flood');
    expect(ws.readyState).toBe(ws.OPEN);
    ws.close();
  });

  it('drops and counts anything but a pong', async () => {
    harness = await startHub();
    const ws = await connect(harness.url());
    ws.send('{"type":"subscribe","channel":"all"}');
    ws.send('not json');
    ws.send('[1,2]');
    ws.send(Buffer.from([1, 2, 3]), { binary: true });
    const total = async (): Promise<number> =>
      ((await sampleValue(harness!.registry, 'atom_saas_websocket_dropped_total', { reason: 'unsupported_type' })) ?? 0) +
      ((await sampleValue(harness!.registry, 'atom_saas_websocket_dropped_total', { reason: 'malformed' })) ?? 0);
    for (let i = 0; i < 200 && (await total()) < 4; i++) await delay(5);

    expect(await sampleValue(harness.registry, 'atom_saas_websocket_dropped_total', { reason: 'unsupported_type' })).toBe(1);
    expect(await sampleValue(harness.registry, 'atom_saas_websocket_dropped_total', { reason: 'malformed' })).toBe(3);
    expect(ws.readyState).toBe(ws.OPEN);
    ws.close();
  });

  it('enforces the size limit itself when the app registered @fastify/websocket with a larger maxPayload', async () => {
    const app = Fastify({ logger: false });
    await app.register(websocketPlugin, { options: { maxPayload: 8 * 1024 * 1024 } });
    const hub = registerPushHub(app, {
      registry: new Registry(),
      authenticate: (token) => (token === GOOD_TOKEN ? { instanceId: 'i-1' } : null),
    });
    await app.listen({ host: '127.0.0.1', port: 0 });
    try {
      const address = app.server.address();
      if (address === null || typeof address === 'string') throw new Error('no TCP address');
      const ws = await connect(`ws://127.0.0.1:${address.port}/ws?token=${GOOD_TOKEN}`);
      await waitFor(() => hub.connectionCount() === 1, 1_000, 'the client');
      ws.send('x'.repeat(2 * 1024 * 1024));
      expect((await closeOf(ws)).code).toBe(1009);
    } finally {
      await app.close();
    }
  });
});
