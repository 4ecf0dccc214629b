import { afterEach, describe, expect, it } from 'vitest';
import { closeOf, connect, delay, recordMessages, sampleValue, startHub, waitFor, type HubHarness } from './helpers.ts';

// Small intervals instead of fake time: the hub's timers are real setInterval/setTimeout.
const PING_MS = 50;
// Client and server share this event loop: a pause longer than the timeout would run the sweep
// before a healthy client's pong is read, so leave slack for a loaded machine.
const PONG_TIMEOUT_MS = 200;

let harness: HubHarness | undefined;
afterEach(async () => {
  await harness?.stop();
  harness = undefined;
});

describe('push hub: heartbeat', () => {
  it('sends a protocol ping and a JSON ping every interval; a ws client that auto-answers stays', async () => {
    harness = await startHub({ pingIntervalMs: PING_MS, pongTimeoutMs: PONG_TIMEOUT_MS });
    const ws = await connect(harness.url());
    const received = recordMessages(ws);
    let protocolPings = 0;
    ws.on('ping', () => (protocolPings += 1));

    await delay(PING_MS * 10);

    expect(ws.readyState).toBe(ws.OPEN);
    const jsonPings = received.filter((m) => m.type === 'ping');
    expect(jsonPings.length).toBeGreaterThanOrEqual(3);
    expect(protocolPings).toBeGreaterThanOrEqual(3);
    expect(Object.keys(jsonPings[0] ?? {}).sort()).toEqual(['timestamp', 'type']);
    expect(Number.isNaN(Date.parse(String(jsonPings[0]?.timestamp)))).toBe(false);
    expect(await sampleValue(harness.registry, 'atom_saas_websocket_disconnects_total', { reason: 'pong_timeout' })).toBeUndefined();
    ws.close();
  });

  it('keeps a client that answers only JSON pongs', async () => {
    harness = await startHub({ pingIntervalMs: PING_MS, pongTimeoutMs: PONG_TIMEOUT_MS });
    const ws = await connect(harness.url(), { autoPong: false });
    ws.on('message', (data) => {
      const message = JSON.parse(String(data)) as { type: string };
      if (message.type === 'ping') ws.send(JSON.stringify({ type: 'pong', timestamp: new Date().toISOString() }));
    });

    await delay(PING_MS * 10);

    expect(ws.readyState).toBe(ws.OPEN);
    expect(harness.hub.connectionCount()).toBe(1);
    expect(await sampleValue(harness.registry, 'atom_saas_websocket_messages_total', { type: 'pong', direction: 'incoming' })).toBeGreaterThanOrEqual(3);
    ws.close();
  });

  it('terminates a client that answers no ping within the pong timeout', async () => {
    harness = await startHub({ pingIntervalMs: PING_MS, pongTimeoutMs: PONG_TIMEOUT_MS });
    const silent = await connect(harness.url(), { autoPong: false });
    const healthy = await connect(harness.url());
    const started = Date.now();

    const { code } = await closeOf(silent);
    const elapsed = Date.now() - started;

    expect(code).toBe(1006); // terminated: no closing handshake with a dead peer
    expect(elapsed).toBeGreaterThanOrEqual(PONG_TIMEOUT_MS);
    expect(elapsed).toBeLessThan(PING_MS + PONG_TIMEOUT_MS + 1_000);
    expect(healthy.readyState).toBe(healthy.OPEN);
    await waitFor(() => harness!.hub.connectionCount() === 1, 1_000, 'the hub to drop the silent client');
    expect(await sampleValue(harness.registry, 'atom_saas_websocket_disconnects_total', { reason: 'pong_timeout' })).toBe(1);
    healthy.close();
  });

  it('setPingsEnabled(false) stops pings and pong deadlines; true resumes them', async () => {
    harness = await startHub({ pingIntervalMs: PING_MS, pongTimeoutMs: PONG_TIMEOUT_MS });
    harness.hub.setPingsEnabled(false);
    expect(harness.hub.stats().pingsEnabled).toBe(false);
    const silent = await connect(harness.url(), { autoPong: false });
    const received = recordMessages(silent);
    let protocolPings = 0;
    silent.on('ping', () => (protocolPings += 1));

    await delay(PING_MS * 6);

    expect(received).toEqual([]);
    expect(protocolPings).toBe(0);
    expect(silent.readyState).toBe(silent.OPEN);

    harness.hub.setPingsEnabled(true);
    await waitFor(() => protocolPings > 0, 1_000, 'pings to resume');
    expect((await closeOf(silent)).code).toBe(1006);
  });
});
