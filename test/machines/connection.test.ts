import { describe, expect, it } from 'vitest';
import { MINUTE, SECOND, settle, start as startHarness, stateOf, type Behaviour } from './connection-harness.ts';
import type { ConnectionInput } from '../../machines/connection.ts';

// The spec's schedule, for a socket that fails while the platform answers GET /health (the
// scripted platform is up): outages are in connection-outage.test.ts.

function start(input: Partial<ConnectionInput> = {}, behaviour?: Behaviour, snapshot?: unknown, startAt = 1_000_000) {
  return startHarness({ input, ...(behaviour ? { behaviour } : {}), ...(snapshot ? { snapshot } : {}), startAt });
}
describe('connection chart', () => {
  it('connects, stays open while pings arrive, and declares the link stale after heartbeat + pong timeout', async () => {
    const { clock, actor, last, sockets } = start();
    expect(actor.getSnapshot().matches({ link: 'connecting' })).toBe(true);
    last().report({ type: 'socket.opened' });
    expect(actor.getSnapshot().matches({ link: 'open' })).toBe(true);
    for (let i = 0; i < 5; i += 1) {
      clock.increment(30 * SECOND);
      last().report({ type: 'socket.alive' });
    }
    expect(actor.getSnapshot().matches({ link: 'open' })).toBe(true);
    clock.increment(40 * SECOND - 1);
    expect(actor.getSnapshot().matches({ link: 'open' })).toBe(true);
    clock.increment(1);
    // Why? GET /health answers: the socket alone failed, the spec's schedule applies.
    expect(actor.getSnapshot().value).toBe('checking');
    await settle();
    expect(actor.getSnapshot().value).toBe('backingOff');
    expect(actor.getSnapshot().context).toMatchObject({ lastDisconnectReason: 'heartbeat timeout', failureCause: 'socket' });
    expect(sockets[0]!.closed).toBe(true);
    clock.increment(1 * SECOND);
    expect(sockets).toHaveLength(2);
  });

  it('backs off 1, 2, 4, 8, 16, 16 s between failed attempts', async () => {
    const { clock, actor, sockets } = start({ fallbackAfter: 100, maxAttempts: 100 }, 'refuse');
    for (let i = 0; i < 7; i += 1) {
      await settle();
      clock.increment(actor.getSnapshot().context.nextAttemptAt! - clock.now());
    }
    const gaps = sockets.slice(1).map((s, i) => s.at - sockets[i]!.at);
    expect(gaps.slice(0, 6)).toEqual([1, 2, 4, 8, 16, 16].map((s) => s * SECOND));
  });

  it('falls back to polling for 60 minutes after 3 consecutive failures, then connects again', async () => {
    const { clock, actor, sockets } = start({}, 'refuse');
    await settle();
    clock.increment(1 * SECOND);
    await settle();
    clock.increment(2 * SECOND);
    await settle();
    expect(actor.getSnapshot().value).toBe('fallback');
    expect(actor.getSnapshot().context.fallbackUntil).toBe(clock.now() + 60 * MINUTE);
    clock.increment(60 * MINUTE - 1);
    expect(sockets).toHaveLength(3);
    clock.increment(1);
    expect(sockets).toHaveLength(4);
  });

  it('gives up after 10 attempts since the last good connection: suspended until an operator reconnects', async () => {
    const { clock, actor, sockets } = start({ fallbackAfter: 100 }, 'refuse');
    for (let i = 0; i < 12; i += 1) {
      await settle();
      if (actor.getSnapshot().value !== 'backingOff') break;
      clock.increment(16 * SECOND);
    }
    expect(actor.getSnapshot().value).toBe('suspended');
    expect(sockets).toHaveLength(10);
    clock.increment(24 * 60 * MINUTE);
    expect(sockets).toHaveLength(10);
    actor.send({ type: 'connection.reconnect' });
    expect(actor.getSnapshot().context).toMatchObject({ reconnectAttempts: 1, consecutiveFailures: 0 });
    expect(sockets).toHaveLength(11);
  });

  it('resets the failure counters once a connection stays open a heartbeat interval', async () => {
    const { clock, actor, last } = start({}, 'refuse');
    await settle();
    clock.increment(1 * SECOND);
    await settle();
    expect(actor.getSnapshot().context.consecutiveFailures).toBe(2);
    clock.increment(2 * SECOND);
    // This third attempt succeeds.
    last().report({ type: 'socket.opened' });
    expect(actor.getSnapshot().matches({ link: 'open' })).toBe(true);
    clock.increment(30 * SECOND);
    expect(actor.getSnapshot().context).toMatchObject({ reconnectAttempts: 0, consecutiveFailures: 0 });
  });

  it('goes to unauthorized on an auth rejection and stays there', async () => {
    const { clock, actor, last, sockets } = start();
    last().report({ type: 'socket.authRejected', reason: 'HTTP 401' });
    expect(actor.getSnapshot().value).toBe('unauthorized');
    clock.increment(10 * 60 * MINUTE);
    expect(sockets).toHaveLength(1);
  });

  it('connection.reconnect works from every state and resets the counters', async () => {
    const reach: Record<string, (h: ReturnType<typeof start>) => Promise<void>> = {
      connecting: async () => {},
      open: async (h) => h.last().report({ type: 'socket.opened' }),
      backingOff: async (h) => {
        h.last().report({ type: 'socket.closed', reason: 'x' });
        await settle();
      },
      fallback: async (h) => {
        for (let i = 0; i < 3; i += 1) {
          h.last().report({ type: 'socket.closed', reason: 'x' });
          await settle();
          if (h.actor.getSnapshot().value === 'backingOff') h.clock.increment(h.actor.getSnapshot().context.nextAttemptAt! - h.clock.now());
        }
      },
      suspended: async (h) => {
        for (let i = 0; i < 10 && h.actor.getSnapshot().value !== 'suspended'; i += 1) {
          h.last().report({ type: 'socket.closed', reason: 'x' });
          await settle();
          if (h.actor.getSnapshot().value === 'backingOff') h.clock.increment(16 * SECOND);
        }
      },
      unauthorized: async (h) => h.last().report({ type: 'socket.authRejected', reason: 'HTTP 401' }),
      disabled: async (h) => void h.actor.send({ type: 'connection.disable' }),
    };
    for (const [state, go] of Object.entries(reach)) {
      const h = start(state === 'suspended' ? { fallbackAfter: 100 } : {});
      await go(h);
      expect(stateOf(h.actor), state).toContain(state);
      const before = h.sockets.length;
      h.actor.send({ type: 'connection.reconnect' });
      expect(h.actor.getSnapshot().matches({ link: 'connecting' }), state).toBe(true);
      expect(h.actor.getSnapshot().context, state).toMatchObject({ reconnectAttempts: 1, consecutiveFailures: 0, fallbackUntil: null });
      expect(h.sockets.length, state).toBe(before + 1);
      h.actor.stop();
    }
  });

  it('disable closes the socket; enable connects again; wsEnabled=false starts disabled', () => {
    const h = start();
    h.actor.send({ type: 'connection.disable' });
    expect(h.actor.getSnapshot().value).toBe('disabled');
    expect(h.last().closed).toBe(true);
    h.actor.send({ type: 'connection.enable' });
    expect(h.actor.getSnapshot().matches({ link: 'connecting' })).toBe(true);
    expect(start({ wsEnabled: false }).actor.getSnapshot().value).toBe('disabled');
  });

  it.each(['backingOff', 'fallback'] as const)('a restored actor in %s keeps the remaining time after timers.rearm', async (state) => {
    const first = start({ fallbackAfter: state === 'fallback' ? 1 : 100 }, 'refuse');
    await settle();
    expect(first.actor.getSnapshot().value).toBe(state);
    const total = state === 'fallback' ? 60 * MINUTE : 1 * SECOND;
    first.clock.increment(total * 0.4);
    const persisted = first.actor.getPersistedSnapshot();
    first.actor.stop();

    const again = start({}, 'refuse', persisted, first.clock.now());
    again.actor.send({ type: 'timers.rearm' });
    expect(again.actor.getSnapshot().value).toBe(state);
    again.clock.increment(total * 0.6 - 1);
    expect(again.sockets).toHaveLength(0);
    again.clock.increment(1);
    expect(again.sockets).toHaveLength(1);
  });
});
