import type { Socket } from 'node:net';
import { performance } from 'node:perf_hooks';
import type { WebSocket } from 'ws';
import { afterEach, describe, expect, it } from 'vitest';
import {
  closeOf,
  connect,
  delay,
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

/** Stops reading from the TCP socket: the kernel buffers fill, then the server's backlog grows. */
function stopReading(ws: WebSocket): Socket {
  const socket = (ws as unknown as { _socket: Socket })._socket;
  socket.pause();
  return socket;
}

describe('push hub: fan-out', () => {
  it('delivers every broadcast to 50 clients, in order', async () => {
    harness = await startHub({ maxConnectAttemptsPerMinute: 100 });
    const clients = await Promise.all(Array.from({ length: 50 }, () => connect(harness!.url())));
    const inboxes = clients.map(recordMessages);
    await waitFor(() => harness!.hub.connectionCount() === 50, 2_000, '50 clients');

    for (let seq = 1; seq <= 10; seq++) harness.hub.broadcast(pushMessage(seq, 'category_update', { name: `c${seq}` }));
    await waitFor(() => inboxes.every((inbox) => inbox.length === 10), 3_000, 'every client to get 10 messages');

    for (const inbox of inboxes) expect(inbox.map((m) => m.seq)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(await sampleValue(harness.registry, 'atom_saas_websocket_connections')).toBe(50);
    expect(await sampleValue(harness.registry, 'atom_saas_websocket_connections_total')).toBe(50);
    expect(await sampleValue(harness.registry, 'atom_saas_websocket_messages_total', { type: 'category_update', direction: 'outgoing' })).toBe(500);
    for (const ws of clients) ws.close();
    await waitFor(() => harness!.hub.connectionCount() === 0, 2_000, 'all clients to leave');
    expect(await sampleValue(harness.registry, 'atom_saas_websocket_connections')).toBe(0);
    expect(await sampleValue(harness.registry, 'atom_saas_websocket_connections_total')).toBe(50);
    expect(await sampleValue(harness.registry, 'atom_saas_websocket_disconnects_total', { reason: 'client_closed' })).toBe(50);
  });

  it('terminates a client that stops reading without stalling the others', async () => {
    const messageBytes = 64 * 1024;
    const count = 300; // ~19 MB per client: far beyond loopback socket buffers
    harness = await startHub({ maxConnectAttemptsPerMinute: 100, maxBufferedBytes: 1024 * 1024 });
    const fast = await Promise.all([1, 2, 3].map(() => connect(harness!.url())));
    const inboxes = fast.map(recordMessages);
    const slow = await connect(harness.url());
    const slowInbox = recordMessages(slow);
    const slowSocket = stopReading(slow);
    await waitFor(() => harness!.hub.connectionCount() === 4, 1_000, 'four clients');

    const padding = 'x'.repeat(messageBytes);
    const started = performance.now();
    let slowestBroadcastMs = 0;
    for (let seq = 1; seq <= count; seq++) {
      const before = performance.now();
      harness.hub.broadcast(pushMessage(seq, 'skill_update', { code: padding }));
      slowestBroadcastMs = Math.max(slowestBroadcastMs, performance.now() - before);
      // A steady stream, as commits arrive, rather than one synchronous burst: fast readers in this
      // same process need the event loop to read.
      if (seq % 10 === 0) await delay(1);
    }
    await waitFor(() => inboxes.every((inbox) => inbox.length === count), 10_000, 'fast clients to get everything');
    const deliveredInMs = performance.now() - started;

    for (const inbox of inboxes) {
      expect(inbox.map((m) => m.seq)).toEqual(Array.from({ length: count }, (_, i) => i + 1));
    }
    expect(deliveredInMs).toBeLessThan(8_000);
    expect(slowestBroadcastMs).toBeLessThan(200);
    await waitFor(() => harness!.hub.connectionCount() === 3, 1_000, 'the slow client to be dropped');
    expect(harness.hub.stats().slowConsumersTerminated).toBe(1);
    expect(await sampleValue(harness.registry, 'atom_saas_websocket_disconnects_total', { reason: 'slow_consumer' })).toBe(1);
    expect(await sampleValue(harness.registry, 'atom_saas_websocket_dropped_total', { reason: 'slow_consumer' })).toBe(1);

    // Once it reads again, the slow client finds the connection gone, short of the full stream.
    const slowClosed = closeOf(slow);
    slowSocket.resume();
    expect((await slowClosed).code).toBe(1006);
    expect(slowInbox.length).toBeLessThan(count);
    for (const ws of fast) ws.close();
  });

  it('close() sends 1001 to every client, refuses new upgrades and ignores later broadcasts', async () => {
    harness = await startHub({ maxConnectAttemptsPerMinute: 100 });
    const clients = await Promise.all([1, 2, 3].map(() => connect(harness!.url())));
    const inboxes = clients.map(recordMessages);
    await waitFor(() => harness!.hub.connectionCount() === 3, 1_000, 'three clients');
    const closes = clients.map((ws) => closeOf(ws));

    await harness.hub.close();

    expect((await Promise.all(closes)).map((c) => c.code)).toEqual([1001, 1001, 1001]);
    expect(harness.hub.connectionCount()).toBe(0);
    expect(await upgradeStatus(harness.url())).toBe(503);
    harness.hub.broadcast(pushMessage(1));
    await delay(20);
    expect(inboxes.flat()).toEqual([]);
    expect(await sampleValue(harness.registry, 'atom_saas_websocket_disconnects_total', { reason: 'server_shutdown' })).toBe(3);
  });

  it('close() does not wait past its grace period for a client that never answers the close', async () => {
    harness = await startHub({ closeGraceMs: 100 });
    const stuck = await connect(harness.url());
    await waitFor(() => harness!.hub.connectionCount() === 1, 1_000, 'the client');
    stopReading(stuck);

    const started = performance.now();
    await harness.hub.close();
    const tookMs = performance.now() - started;

    expect(tookMs).toBeGreaterThanOrEqual(90);
    expect(tookMs).toBeLessThan(1_000);
    expect(harness.hub.connectionCount()).toBe(0);
  });

  it('app.close() closes clients with 1001 before the server stops', async () => {
    harness = await startHub();
    const ws = await connect(harness.url());
    await waitFor(() => harness!.hub.connectionCount() === 1, 1_000, 'the client');
    const closed = closeOf(ws);

    await harness.stop();
    harness = undefined;

    expect((await closed).code).toBe(1001);
  });

  it('exposes its metrics in the registry text format', async () => {
    harness = await startHub();
    const ws = await connect(harness.url());
    await waitFor(() => harness!.hub.connectionCount() === 1, 1_000, 'the client');
    harness.hub.broadcast(pushMessage(1)); // counted synchronously, delivered or not
    const text = await harness.registry.metrics();
    expect(text).toContain('# TYPE atom_saas_websocket_connections gauge');
    expect(text).toContain('atom_saas_websocket_connections 1');
    expect(text).toContain('# TYPE atom_saas_websocket_connections_total counter');
    expect(text).toContain('atom_saas_websocket_messages_total{type="skill_update",direction="outgoing"} 1');
    expect(text).toContain('# TYPE atom_saas_websocket_dropped_total counter');
    expect(text).toContain('# TYPE atom_saas_websocket_disconnects_total counter');
    expect(text).toContain('# TYPE atom_saas_websocket_upgrades_refused_total counter');
    ws.close();
  });
});
