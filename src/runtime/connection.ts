import { assign, fromCallback, fromPromise, type EventObject } from 'xstate';
import { connectionMachine, type PlatformAnswer, type SocketEvent } from '../../machines/connection.ts';
import { backoffDelay, RECONNECT_BACKOFF } from '../policy/backoff.ts';
import { PLATFORM_PROBE, probeDelay } from '../policy/probe-interval.ts';
import { untilDeadline, type Clock } from './clock.ts';

/** Opens one socket, reports what happens to it through `report`, and returns how to close it. */
export type OpenSocket = (report: (event: SocketEvent) => void, input: { attempt: number }) => () => void;

/** One GET /health of the platform: resolves on a 2xx, rejects otherwise; `signal` aborts it. */
export type ProbePlatform = (signal: AbortSignal) => Promise<PlatformAnswer>;

export interface ConnectionEffects {
  clock: Clock;
  openSocket: OpenSocket;
  probePlatform: ProbePlatform;
  /** Share of each reconnect delay that is random (ATOM_SAAS_WS_BACKOFF_JITTER). */
  jitter?: number;
  /** For reconnect jitter and probe jitter (probes are always jittered: they spread a herd). */
  random?: () => number;
}

/** The connection chart with its transport, its health probe, its time and its randomness provided. */
export function provideConnection(effects: ConnectionEffects) {
  const { clock } = effects;
  const random = effects.random ? { random: effects.random } : {};
  return connectionMachine.provide({
    actors: {
      socket: fromCallback<EventObject, { attempt: number }>(({ sendBack, input }) => effects.openSocket((event) => sendBack(event), input)),
      probePlatform: fromPromise<PlatformAnswer>(({ signal }) => effects.probePlatform(signal)),
    },
    actions: {
      markOpen: assign({ connectedAt: () => clock.now(), lastMessageAt: () => clock.now() }),
      touch: assign({ lastMessageAt: () => clock.now() }),
      // recordFailure has counted this failure: the n-th consecutive one waits min(2^(n-1), 16) s.
      scheduleAttempt: assign({
        nextAttemptAt: ({ context }) => clock.now() + backoffDelay(context.consecutiveFailures, { ...RECONNECT_BACKOFF, jitter: effects.jitter ?? 0, ...random }),
      }),
      startFallback: assign({ fallbackUntil: ({ context }) => clock.now() + context.fallbackMs, consecutiveFailures: 0, nextAttemptAt: null }),
      // Only an unreachable platform is probed; a deadline already set (a restored actor) is kept.
      ensureProbe: assign({
        nextProbeAt: ({ context }) =>
          context.failureCause !== 'platform' ? null : (context.nextProbeAt ?? clock.now() + probeDelay(context.probes + 1, { ...PLATFORM_PROBE, ...random })),
      }),
    },
    delays: {
      staleAfter: ({ context }) => untilDeadline(clock, (context.lastMessageAt ?? clock.now()) + context.heartbeatMs + context.pongTimeoutMs),
      untilNextAttempt: ({ context }) => untilDeadline(clock, context.nextAttemptAt),
      untilFallbackEnds: ({ context }) => untilDeadline(clock, context.fallbackUntil),
      // Nothing to probe (a socket-only failure): the timer fires at once and its guard refuses it.
      untilNextProbe: ({ context }) => untilDeadline(clock, context.nextProbeAt),
    },
  });
}
