import type { AnyMachineSnapshot, EventObject } from 'xstate';
import type { ConnectionContext } from '../../../../machines/connection.ts';
import type { ConnectionActor } from '../../../../src/runtime/create-agent.ts';
import { stateString } from '../../../../src/runtime/actor-host.ts';
import { advanceTo, type AgentWorld } from './world.ts';
import type { ChartStep, DriverTable, EventRecorder } from './chart-paths.ts';

// The connection chart's events, each caused for real: the WebSocket and the HTTP API each go
// through a TCP fault proxy to the reference platform, the agent runs on a simulated clock,
// operators send events. GET /health (the check after a failure, the probes of an outage) goes
// through the HTTP proxy like every other request: refusing it is "the platform is unreachable".

export interface ConnectionWorld extends AgentWorld {
  connection(): ConnectionActor;
  recorder: EventRecorder;
}

const ctx = (snapshot: AnyMachineSnapshot) => snapshot.context as ConnectionContext;

/** Stub payloads for the events whose payload the chart reads. */
export const CONNECTION_EVENT_STUBS: Record<string, EventObject[]> = {
  'socket.closed': [{ type: 'socket.closed', reason: 'connection lost' } as EventObject],
  'socket.authRejected': [{ type: 'socket.authRejected', reason: 'HTTP 401 on upgrade' } as EventObject],
};

/** What must agree between chart and runtime: the state and the counters the guards read. */
export function projectConnection(snapshot: AnyMachineSnapshot): Record<string, unknown> {
  const c = ctx(snapshot);
  return { value: stateString(snapshot.value), attempts: c.reconnectAttempts, failures: c.consecutiveFailures, fallback: c.fallbackUntil !== null, cause: c.failureCause };
}

/**
 * While the chart is in link.connecting, the TCP proxy holds the handshake: the state stays
 * observable until the next driver decides how the attempt ends (pass, cut, refuse, 401, timeout).
 */
export function holdWhileConnecting(world: ConnectionWorld): void {
  world.recorder.onProcessed((p) => {
    if (p.value === 'link.connecting' && p.event.type !== 'xstate.stop') void world.wsProxy!.setMode({ kind: 'hold' });
    // Likewise the check after a failure and a probe: GET /health waits in the HTTP proxy.
    if ((p.value === 'checking' || p.value === 'probing') && p.event.type !== 'xstate.stop') void world.httpProxy!.setMode({ kind: 'hold' });
  });
}

/** Before a step into link.connecting: the proxy listens (again) and holds, so the attempt waits there. */
export async function beforeConnectionStep(world: ConnectionWorld, step: ChartStep): Promise<void> {
  const target = stateString(step.state.value);
  if (target === 'link.connecting') await world.wsProxy!.setMode({ kind: 'hold' });
  if (target === 'checking' || target === 'probing') await world.httpProxy!.setMode({ kind: 'hold' });
}

const platformUnreachable = (from: AnyMachineSnapshot) => ctx(from).failureCause === 'platform';

const operator = (type: string) => async (world: ConnectionWorld) => void world.connection().send({ type } as never);

export const CONNECTION_DRIVERS: DriverTable<ConnectionWorld> = {
  'socket.opened': {
    how: 'the TCP proxy lets the held handshake through (pass)',
    drive: (world) => world.wsProxy!.setMode({ kind: 'pass' }),
  },
  'socket.alive': {
    how: 'the platform pushes a message: a skill published through its admin API',
    drive: async (world) => void (await world.publishSkill(`alive ${world.clock.now()}`)),
  },
  'socket.closed': {
    how: 'TCP proxy: reset (RST) an open socket; refuse (listener down, accepted socket closed) during the handshake',
    drive: (world, { from }) => world.wsProxy!.setMode(stateString(from.value) === 'link.open' ? { kind: 'reset' } : { kind: 'refuse' }),
  },
  'socket.authRejected': {
    how: 'the instance token is revoked through the platform admin API: an open socket is closed with 4401, a held handshake goes on to a 401 on upgrade',
    drive: async (world) => {
      await world.revokeToken();
      await world.wsProxy!.setMode({ kind: 'pass' });
    },
  },
  'link.stale': {
    how: 'the platform stops pinging (push hub pings off) and the simulated clock passes lastMessageAt + heartbeat + pong timeout',
    // The watchdog (heartbeat + pong timeout after the last message) always fires after the
    // stability timer (one heartbeat after the open), which resets the counters.
    impossible: (from) =>
      ctx(from).reconnectAttempts > 0 || ctx(from).consecutiveFailures > 0
        ? 'a stale link has always been open one heartbeat interval first (heartbeat < heartbeat + pong timeout): its counters are reset before the watchdog fires'
        : undefined,
    drive: async (world) => {
      world.platform.hub!.setPingsEnabled(false);
      const c = world.connection().getSnapshot().context;
      advanceTo(world.clock, (c.lastMessageAt ?? world.clock.now()) + c.heartbeatMs + c.pongTimeoutMs);
    },
  },
  'xstate.after.connectTimeout.connection.link.connecting': {
    how: 'the TCP proxy holds the handshake and the simulated clock passes the connect timeout',
    drive: async (world) => world.clock.increment(world.connection().getSnapshot().context.connectTimeoutMs),
  },
  'xstate.after.stableAfter.connection.link.open': {
    how: 'the simulated clock passes connectedAt + one heartbeat interval with the socket open',
    drive: async (world) => {
      const c = world.connection().getSnapshot().context;
      advanceTo(world.clock, (c.connectedAt ?? world.clock.now()) + c.heartbeatMs);
    },
  },
  'xstate.after.untilNextAttempt.connection.backingOff': {
    how: 'the simulated clock reaches nextAttemptAt',
    drive: async (world) => advanceTo(world.clock, world.connection().getSnapshot().context.nextAttemptAt),
  },
  'xstate.after.untilFallbackEnds.connection.fallback': {
    how: 'the simulated clock reaches fallbackUntil',
    impossible: (from) => (platformUnreachable(from) ? 'while the platform is unreachable a probe (every 15–45 s) always comes before the end of the fallback' : undefined),
    drive: async (world) => advanceTo(world.clock, world.connection().getSnapshot().context.fallbackUntil),
  },
  'xstate.after.untilNextProbe.connection.fallback': {
    how: 'the simulated clock reaches nextProbeAt (the platform was found unreachable)',
    impossible: (from) => (platformUnreachable(from) ? undefined : 'after a socket-only failure nothing is probed: the timer fires at once and its guard refuses it'),
    drive: async (world) => advanceTo(world.clock, world.connection().getSnapshot().context.nextProbeAt),
  },
  'xstate.after.untilNextProbe.connection.suspended': {
    how: 'the simulated clock reaches nextProbeAt (the platform was found unreachable)',
    impossible: (from) => (platformUnreachable(from) ? undefined : 'after a socket-only failure nothing is probed: the timer fires at once and its guard refuses it'),
    drive: async (world) => advanceTo(world.clock, world.connection().getSnapshot().context.nextProbeAt),
  },
  'xstate.done.actor.checkPlatform': {
    how: 'the HTTP proxy lets the held GET /health through: the platform answers',
    drive: (world) => world.httpProxy!.setMode({ kind: 'pass' }),
  },
  'xstate.error.actor.checkPlatform': {
    how: 'the HTTP proxy refuses (listener down, held connection closed): the platform is unreachable',
    drive: (world) => world.httpProxy!.setMode({ kind: 'refuse' }),
  },
  'xstate.done.actor.probePlatform': {
    how: 'the HTTP proxy lets the held GET /health through: the platform is back',
    drive: (world) => world.httpProxy!.setMode({ kind: 'pass' }),
  },
  'xstate.error.actor.probePlatform': {
    how: 'the HTTP proxy refuses: the platform is still unreachable',
    drive: (world) => world.httpProxy!.setMode({ kind: 'refuse' }),
  },
  'platform.answered': {
    how: 'the HTTP proxy passes again and an operator asks for a catch-up: the platform client gets an answer',
    impossible: (from) => (platformUnreachable(from) ? undefined : 'the runtime passes platform.answered on only where the chart takes it: after the platform was found unreachable'),
    drive: async (world) => {
      await world.httpProxy!.setMode({ kind: 'pass' });
      world.agent.actors.syncCycle!.send({ type: 'sync.catchUp' });
    },
  },
  'connection.reconnect': {
    how: 'operator: the token is valid again (rotated) and connection.reconnect is sent',
    drive: async (world) => {
      world.restoreToken();
      await operator('connection.reconnect')(world);
    },
  },
  'connection.disable': { how: 'operator: connection.disable', drive: operator('connection.disable') },
  'connection.enable': { how: 'operator: connection.enable', drive: operator('connection.enable') },
  'timers.rearm': {
    how: 'the agent is stopped and created again on its database: the restored connection gets timers.rearm from the runtime',
    drive: (world) => world.restart(),
  },
};
