import { assign, fromCallback, type EventObject } from 'xstate';
import { connectionMachine, type SocketEvent } from '../../machines/connection.ts';
import { backoffDelay, RECONNECT_BACKOFF } from '../policy/backoff.ts';
import { untilDeadline, type Clock } from './clock.ts';

/** Opens one socket, reports what happens to it through `report`, and returns how to close it. */
export type OpenSocket = (report: (event: SocketEvent) => void, input: { attempt: number }) => () => void;

export interface ConnectionEffects {
  clock: Clock;
  openSocket: OpenSocket;
  /** Share of each reconnect delay that is random (ATOM_SAAS_WS_BACKOFF_JITTER). */
  jitter?: number;
  random?: () => number;
}

/** The connection chart with its transport, its time and its randomness provided. */
export function provideConnection(effects: ConnectionEffects) {
  const { clock } = effects;
  return connectionMachine.provide({
    actors: {
      socket: fromCallback<EventObject, { attempt: number }>(({ sendBack, input }) => effects.openSocket((event) => sendBack(event), input)),
    },
    actions: {
      markOpen: assign({ connectedAt: () => clock.now(), lastMessageAt: () => clock.now() }),
      touch: assign({ lastMessageAt: () => clock.now() }),
      // recordFailure has counted this failure: the n-th consecutive one waits min(2^(n-1), 16) s.
      scheduleAttempt: assign({
        nextAttemptAt: ({ context }) =>
          clock.now() + backoffDelay(context.consecutiveFailures, { ...RECONNECT_BACKOFF, jitter: effects.jitter ?? 0, ...(effects.random ? { random: effects.random } : {}) }),
      }),
      startFallback: assign({ fallbackUntil: ({ context }) => clock.now() + context.fallbackMs, consecutiveFailures: 0, nextAttemptAt: null }),
    },
    delays: {
      staleAfter: ({ context }) => untilDeadline(clock, (context.lastMessageAt ?? clock.now()) + context.heartbeatMs + context.pongTimeoutMs),
      untilNextAttempt: ({ context }) => untilDeadline(clock, context.nextAttemptAt),
      untilFallbackEnds: ({ context }) => untilDeadline(clock, context.fallbackUntil),
    },
  });
}
