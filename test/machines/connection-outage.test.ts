import { describe, expect, it } from 'vitest';
import { MINUTE, runUntil, SECOND, settle, start, type Harness } from './connection-harness.ts';

// An outage ends on evidence, not only on the clock (issue 13 item 4), on a simulated clock: the
// platform as a whole goes down (sockets refused, GET /health refused) and comes back; or only its
// WebSocket endpoint refuses while HTTP works (a proxy that blocks WebSockets).

const isOpen = (h: Harness) => h.actor.getSnapshot().hasTag('realtime');

/** An open socket, then the platform is down from `downAt` for `outageMs`. */
async function outage(outageMs: number, random: number) {
  const downAt = 1_000_000 + 10 * SECOND;
  const upAt = downAt + outageMs;
  const down = (at: number) => at >= downAt && at < upAt;
  const h = start({ behaviour: (at) => (down(at) ? 'refuse' : 'open'), platformUp: (at) => !down(at), random: () => random });
  await settle();
  expect(isOpen(h)).toBe(true);
  await runUntil(h, downAt);
  // The platform dies: its sockets are reset.
  h.last().report({ type: 'socket.closed', reason: 'ECONNRESET' });
  await settle();
  const attemptsBefore = h.sockets.length;
  const probesBefore = h.probes.length;
  await runUntil(h, upAt);
  const duringOutage = { attempts: h.sockets.length - attemptsBefore, probes: h.probes.length - probesBefore };
  // Step the clock until the socket is open again (a bound, not an expectation: 10 minutes).
  while (!isOpen(h) && h.clock.now() < upAt + 10 * MINUTE) await runUntil(h, h.clock.now() + SECOND);
  return { h, reopenedAfterMs: h.clock.now() - upAt, duringOutage, upAt };
}

describe('the platform down and back: the socket reopens on evidence', () => {
  for (const outageMs of [5 * SECOND, 30 * SECOND, 120 * SECOND]) {
    for (const random of [0, 0.5, 0.999]) {
      it(`after ${outageMs / SECOND} s down (jitter draw ${random}) the socket is open within 60 s of the platform answering`, async () => {
        const { h, reopenedAfterMs, duringOutage } = await outage(outageMs, random);
        console.log(`outage ${outageMs / SECOND} s, draw ${random}: socket open ${reopenedAfterMs / SECOND} s after the platform listens; during the outage ${duringOutage.attempts} socket attempts, ${duringOutage.probes} GET /health`);
        expect(isOpen(h)).toBe(true);
        expect(reopenedAfterMs).toBeLessThanOrEqual(60 * SECOND);
        // Not hammered: the spec's first attempts (1, 2 s), then one probe per 15–45 s.
        expect(duringOutage.attempts).toBeLessThanOrEqual(2);
        expect(duringOutage.probes).toBeLessThanOrEqual(3 + Math.ceil(outageMs / (15 * SECOND)));
        // The good connection ended the fallback; a heartbeat later the counters are reset too.
        await runUntil(h, h.clock.now() + 30 * SECOND);
        expect(h.actor.getSnapshot().context).toMatchObject({ fallbackUntil: null, reconnectAttempts: 0, consecutiveFailures: 0, nextProbeAt: null });
      });
    }
  }

  it('falls back for the hour, but probes GET /health 15 s, 30 s, then every 45 s (±20 %) while the platform is down', async () => {
    const h = start({ behaviour: 'refuse', platformUp: false, random: () => 0.5 });
    await runUntil(h, 1_000_000 + 10 * MINUTE);
    const snapshot = h.actor.getSnapshot();
    expect(snapshot.value).toBe('fallback');
    expect(snapshot.context.failureCause).toBe('platform');
    // The three checks after the three failures, then the probes.
    const probeTimes = h.probes.slice(3).map((p) => p.at);
    const gaps = probeTimes.slice(1).map((at, i) => at - probeTimes[i]!);
    expect(gaps.slice(0, 4)).toEqual([30, 45, 45, 45].map((s) => s * SECOND));
    expect(h.sockets).toHaveLength(3);
  });

  it('any answered HTTP exchange (a poll, a catch-up) ends a fallback an outage began', async () => {
    const h = start({ behaviour: 'refuse', platformUp: false });
    await runUntil(h, 1_000_000 + 5 * SECOND);
    expect(h.actor.getSnapshot().value).toBe('fallback');
    h.platform.up = true;
    h.actor.send({ type: 'platform.answered' });
    expect(h.actor.getSnapshot().matches({ link: 'connecting' })).toBe(true);
    expect(h.sockets).toHaveLength(4);
  });

  it('a platform back with its WebSocket still refused resumes the fallback for the time it had left, and stops probing', async () => {
    const h = start({ behaviour: 'refuse', platformUp: false, random: () => 0 });
    await runUntil(h, 1_000_000 + 5 * SECOND);
    const { fallbackUntil } = h.actor.getSnapshot().context;
    h.platform.up = true; // HTTP works again; the WebSocket endpoint still refuses
    await runUntil(h, 1_000_000 + 30 * SECOND);
    expect(h.sockets).toHaveLength(4); // the early attempt after the probe answered
    const snapshot = h.actor.getSnapshot();
    expect(snapshot.value).toBe('fallback');
    expect(snapshot.context).toMatchObject({ fallbackUntil, failureCause: 'socket', nextProbeAt: null });
    const probes = h.probes.length;
    h.actor.send({ type: 'platform.answered' });
    await runUntil(h, fallbackUntil! - 1);
    expect(h.sockets).toHaveLength(4);
    expect(h.probes).toHaveLength(probes);
    await runUntil(h, fallbackUntil!);
    expect(h.sockets).toHaveLength(5);
  });

  it('an outage that used up the attempts (suspended) ends when the platform answers: counters reset, socket tried', async () => {
    const h = start({ input: { maxAttempts: 2, fallbackAfter: 100 }, behaviour: (at) => (at < 1_000_000 + 5 * MINUTE ? 'refuse' : 'open'), platformUp: (at) => at >= 1_000_000 + 5 * MINUTE });
    await runUntil(h, 1_000_000 + 4 * MINUTE);
    expect(h.actor.getSnapshot().value).toBe('suspended');
    expect(h.actor.getSnapshot().context.failureCause).toBe('platform');
    await runUntil(h, 1_000_000 + 6 * MINUTE);
    expect(isOpen(h)).toBe(true);
    expect(h.actor.getSnapshot().context.reconnectAttempts).toBe(1);
  });

  it('a restarted agent keeps the probe deadline of an outage fallback (timers.rearm)', async () => {
    const first = start({ behaviour: 'refuse', platformUp: false, random: () => 0.5 });
    await runUntil(first, 1_000_000 + 10 * SECOND);
    const { nextProbeAt } = first.actor.getSnapshot().context;
    expect(nextProbeAt).not.toBeNull();
    const persisted = first.actor.getPersistedSnapshot();
    first.actor.stop();
    const again = start({ behaviour: 'refuse', platformUp: false, snapshot: persisted, startAt: first.clock.now() });
    again.actor.send({ type: 'timers.rearm' });
    expect(again.actor.getSnapshot().context.nextProbeAt).toBe(nextProbeAt);
    await runUntil(again, nextProbeAt! - 1);
    expect(again.probes).toHaveLength(0);
    await runUntil(again, nextProbeAt!);
    expect(again.probes).toHaveLength(1);
  });
});

describe('only the WebSocket endpoint refuses (HTTP works): the spec schedule, no storm', () => {
  it('1 s, 2 s, then an hour of fallback, suspended after 10 attempts; answered polls do not shorten it', async () => {
    const h = start({ behaviour: 'refuse', platformUp: true });
    const hours: number[] = [];
    for (let hour = 1; hour <= 4; hour += 1) {
      await runUntil(h, 1_000_000 + hour * 60 * MINUTE + 10 * SECOND);
      hours.push(h.sockets.length);
      // A poll answered every 15 minutes does not end a fallback the socket itself caused.
      h.actor.send({ type: 'platform.answered' });
    }
    console.log(`socket-only refusal: connection attempts after 1, 2, 3, 4 h: ${hours.join(', ')}; GET /health ${h.probes.length} (one check per failure)`);
    expect(hours).toEqual([6, 9, 10, 10]);
    expect(h.actor.getSnapshot().value).toBe('suspended');
    expect(h.actor.getSnapshot().context.failureCause).toBe('socket');
    // One GET /health per failure, to tell why, and never a probe loop.
    expect(h.probes).toHaveLength(10);
    expect(h.actor.getSnapshot().context.nextProbeAt).toBeNull();
  });
});
