import { assign, cancel, fromCallback, raise, setup, type EventObject } from 'xstate';
import { notProvided } from './not-provided.ts';

// The WebSocket lifecycle (DESIGN.md "connection"). `link` owns the socket actor for as long as a
// connection is being made or used: leaving it closes the socket. After a failure the transient
// `failing` state decides: give up (suspended), poll only for a while (fallback), or back off and
// try again. Deadlines live in context; after a restore the runtime sends `timers.rearm`.

/** The settings the chart starts with (input), and what it tracks as it runs. */
export interface ConnectionContext extends ConnectionInput {
  /** Attempts since the last good connection (one that stayed open a heartbeat interval). */
  reconnectAttempts: number;
  consecutiveFailures: number;
  lastDisconnectReason: string | null;
  connectedAt: number | null;
  lastMessageAt: number | null;
  nextAttemptAt: number | null;
  fallbackUntil: number | null;
}

export type SocketEvent =
  | { type: 'socket.opened' }
  /** A ping or a message arrived: the link is alive. */
  | { type: 'socket.alive' }
  | { type: 'socket.closed'; reason: string }
  | { type: 'socket.authRejected'; reason: string };

export type ConnectionEvent =
  | SocketEvent
  | { type: 'link.stale' }
  | { type: 'connection.reconnect' }
  | { type: 'connection.disable' }
  | { type: 'connection.enable' }
  | { type: 'timers.rearm' };

export interface ConnectionInput {
  wsEnabled: boolean;
  maxAttempts: number;
  fallbackAfter: number;
  heartbeatMs: number;
  pongTimeoutMs: number;
  fallbackMs: number;
  connectTimeoutMs: number;
}

const WATCHDOG = 'watchdog';
const reasonOf = (event: ConnectionEvent): string => ('reason' in event ? event.reason : event.type);

export const connectionMachine = setup({
  types: {
    context: {} as ConnectionContext,
    events: {} as ConnectionEvent,
    input: {} as ConnectionInput,
  },
  actors: {
    /** Opens the WebSocket and reports socket.* events; closing it is the cleanup. */
    socket: fromCallback<EventObject, { attempt: number }>(() => notProvided('socket')),
  },
  actions: {
    // Time-dependent: provided by the runtime with its clock (and randomness, for jitter).
    markOpen: () => notProvided('markOpen'),
    touch: () => notProvided('touch'),
    scheduleAttempt: () => notProvided('scheduleAttempt'),
    startFallback: () => notProvided('startFallback'),
    countAttempt: assign({ reconnectAttempts: ({ context }) => context.reconnectAttempts + 1, nextAttemptAt: null }),
    recordFailure: assign(({ context }, params: { reason: string }) => ({
      consecutiveFailures: context.consecutiveFailures + 1,
      lastDisconnectReason: params.reason,
    })),
    recordRejection: assign((_, params: { reason: string }) => ({ lastDisconnectReason: params.reason })),
    /** A connection that stayed open a whole heartbeat interval was a good one. */
    resetFailures: assign({ reconnectAttempts: 0, consecutiveFailures: 0 }),
    resetCounters: assign({ reconnectAttempts: 0, consecutiveFailures: 0, nextAttemptAt: null, fallbackUntil: null }),
    endFallback: assign({ fallbackUntil: null }),
    armWatchdog: raise({ type: 'link.stale' }, { delay: 'staleAfter', id: WATCHDOG }),
    disarmWatchdog: cancel(WATCHDOG),
  },
  guards: {
    wsEnabled: ({ context }) => context.wsEnabled,
    attemptsExhausted: ({ context }) => context.reconnectAttempts >= context.maxAttempts,
    shouldFallBack: ({ context }) => context.consecutiveFailures >= context.fallbackAfter,
  },
  delays: {
    connectTimeout: ({ context }) => context.connectTimeoutMs,
    stableAfter: ({ context }) => context.heartbeatMs,
    staleAfter: () => notProvided('staleAfter'),
    untilNextAttempt: () => notProvided('untilNextAttempt'),
    untilFallbackEnds: () => notProvided('untilFallbackEnds'),
  },
}).createMachine({
  id: 'connection',
  context: ({ input }) => ({
    ...input,
    reconnectAttempts: 0,
    consecutiveFailures: 0,
    lastDisconnectReason: null,
    connectedAt: null,
    lastMessageAt: null,
    nextAttemptAt: null,
    fallbackUntil: null,
  }),
  initial: 'init',
  on: {
    // From every state: counters reset, fallback ends early, a fresh connection is made.
    'connection.reconnect': { target: '.link', reenter: true, actions: ['resetCounters', 'countAttempt'] },
    'connection.disable': { target: '.disabled' },
  },
  states: {
    init: {
      always: [{ guard: 'wsEnabled', target: 'link', actions: 'countAttempt' }, { target: 'disabled' }],
    },
    disabled: {
      on: { 'connection.enable': { target: 'link', actions: ['resetCounters', 'countAttempt'] } },
    },
    // Every transition that starts a new attempt counts it (not link's entry): a restart re-enters
    // link to connect afresh without spending an attempt, so attempts never exceed maxAttempts.
    link: {
      invoke: { id: 'socket', src: 'socket', input: ({ context }) => ({ attempt: context.reconnectAttempts }) },
      initial: 'connecting',
      states: {
        connecting: {
          after: {
            connectTimeout: { target: '#connection.failing', actions: { type: 'recordFailure', params: { reason: 'connect timeout' } } },
          },
          on: { 'socket.opened': 'open' },
        },
        open: {
          tags: ['realtime'],
          entry: ['markOpen', 'armWatchdog'],
          exit: 'disarmWatchdog',
          after: { stableAfter: { actions: 'resetFailures' } },
          on: {
            'socket.alive': { actions: ['touch', 'disarmWatchdog', 'armWatchdog'] },
            // No ping or message for heartbeat + pong timeout: the link is stale.
            'link.stale': { target: '#connection.failing', actions: { type: 'recordFailure', params: { reason: 'heartbeat timeout' } } },
          },
        },
      },
      on: {
        'socket.closed': { target: 'failing', actions: { type: 'recordFailure', params: ({ event }) => ({ reason: reasonOf(event) }) } },
        // No retry storm: an operator rotates the token and sends connection.reconnect.
        'socket.authRejected': { target: 'unauthorized', actions: { type: 'recordRejection', params: ({ event }) => ({ reason: reasonOf(event) }) } },
        // After a restart the old socket is gone: connect afresh.
        'timers.rearm': { target: 'link', reenter: true },
      },
    },
    failing: {
      always: [
        { guard: 'attemptsExhausted', target: 'suspended' },
        { guard: 'shouldFallBack', target: 'fallback', actions: 'startFallback' },
        { target: 'backingOff', actions: 'scheduleAttempt' },
      ],
    },
    backingOff: {
      after: { untilNextAttempt: { target: 'link', actions: 'countAttempt' } },
      on: { 'timers.rearm': { target: 'backingOff', reenter: true } },
    },
    // Polling only, until fallbackUntil.
    fallback: {
      after: { untilFallbackEnds: { target: 'link', actions: ['endFallback', 'countAttempt'] } },
      on: { 'timers.rearm': { target: 'fallback', reenter: true } },
    },
    // Gave up after maxAttempts: polling only until an operator sends connection.reconnect.
    suspended: {},
    unauthorized: {},
  },
});

export type ConnectionMachine = typeof connectionMachine;
