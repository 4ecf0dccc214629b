import { assign, cancel, fromCallback, fromPromise, raise, setup, type EventObject } from 'xstate';
import { notProvided } from './not-provided.ts';

// The WebSocket lifecycle (DESIGN.md "connection", docs/connection.md). `link` owns the socket actor
// for as long as a connection is being made or used: leaving it closes the socket. A failure is first
// `checking`: does the platform as a whole answer (GET /health)? Then the transient `failing` state
// decides: give up (suspended), poll only for a while (fallback), or back off and try again. The
// answer is kept as `failureCause`: a socket that fails while the platform answers (a proxy blocking
// WebSockets) gets the spec's schedule and its hour of fallback; a platform that did not answer is
// watched (`probing` every 15–45 s, and any answered HTTP exchange counts) and the socket is tried
// as soon as it answers. Deadlines live in context; after a restore the runtime sends `timers.rearm`.

/** Why the last attempt failed: the platform answered GET /health (`socket`: only the socket failed) or it did not (`platform`). */
export type FailureCause = 'socket' | 'platform';

/** The settings the chart starts with (input), and what it tracks as it runs. */
export interface ConnectionContext extends ConnectionInput {
  /** Attempts since the last good connection (one that stayed open a heartbeat interval). */
  reconnectAttempts: number;
  consecutiveFailures: number;
  lastDisconnectReason: string | null;
  connectedAt: number | null;
  lastMessageAt: number | null;
  nextAttemptAt: number | null;
  /**
   * End of the polling-only fallback. Kept while an early attempt (the platform answered again)
   * runs: if that socket fails too, the fallback resumes for the time it had left.
   */
  fallbackUntil: number | null;
  /** What the check after the last failure found; null before any failure. */
  failureCause: FailureCause | null;
  /** While the platform is unreachable: when to probe it next. */
  nextProbeAt: number | null;
  /** Probes since the platform was found unreachable (they space out: 15 s, 30 s, then 45 s). */
  probes: number;
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
  /** The platform client got an answer from the platform (a poll, a catch-up, a rating upload). */
  | { type: 'platform.answered' }
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

/** What GET /health answered. */
export interface PlatformAnswer {
  status: number;
}

const WATCHDOG = 'watchdog';
const reasonOf = (event: ConnectionEvent): string => ('reason' in event ? event.reason : event.type);

/** The platform answered again while the connection only polled: try the socket now. */
const tryAgain = [
  // An early end of a fallback keeps fallbackUntil: a socket that fails while HTTP works resumes it.
  { guard: 'inFallback', target: '#connection.link', actions: 'countAttempt' },
  // Suspended by an outage: the attempts went to a dead platform and say nothing of the socket.
  { target: '#connection.link', actions: ['resetCounters', 'countAttempt'] },
] as const;

export const connectionMachine = setup({
  types: {
    context: {} as ConnectionContext,
    events: {} as ConnectionEvent,
    input: {} as ConnectionInput,
  },
  actors: {
    /** Opens the WebSocket and reports socket.* events; closing it is the cleanup. */
    openSocket: fromCallback<EventObject, { attempt: number }>(() => notProvided('openSocket')),
    /** GET /health of the platform: resolves when it answers 2xx, rejects otherwise. */
    probePlatform: fromPromise<PlatformAnswer>(() => notProvided('probePlatform')),
  },
  actions: {
    // Time-dependent: provided by the runtime with its clock (and randomness, for jitter).
    markOpen: () => notProvided('markOpen'),
    touch: () => notProvided('touch'),
    scheduleAttempt: () => notProvided('scheduleAttempt'),
    startFallback: () => notProvided('startFallback'),
    /** While the platform is unreachable, keeps a probe deadline (a restart keeps it) or sets the next one. */
    ensureProbe: () => notProvided('ensureProbe'),
    countAttempt: assign({ reconnectAttempts: ({ context }) => context.reconnectAttempts + 1, nextAttemptAt: null, nextProbeAt: null }),
    recordFailure: assign(({ context }, params: { reason: string }) => ({
      consecutiveFailures: context.consecutiveFailures + 1,
      lastDisconnectReason: params.reason,
    })),
    recordRejection: assign((_, params: { reason: string }) => ({ lastDisconnectReason: params.reason })),
    platformAnswers: assign({ failureCause: 'socket' as FailureCause }),
    platformDown: assign({ failureCause: 'platform' as FailureCause, probes: 0 }),
    startProbe: assign({ nextProbeAt: null, probes: ({ context }) => context.probes + 1 }),
    /** A connection that stayed open a whole heartbeat interval was a good one: it also ends a fallback. */
    resetFailures: assign({ reconnectAttempts: 0, consecutiveFailures: 0, fallbackUntil: null }),
    resetCounters: assign({ reconnectAttempts: 0, consecutiveFailures: 0, nextAttemptAt: null, fallbackUntil: null, nextProbeAt: null, probes: 0 }),
    /** An early attempt failed: the fallback goes on until the time it had. */
    resumeFallback: assign({ consecutiveFailures: 0, nextAttemptAt: null }),
    endFallback: assign({ fallbackUntil: null }),
    armWatchdog: raise({ type: 'link.stale' }, { delay: 'staleAfter', id: WATCHDOG }),
    disarmWatchdog: cancel(WATCHDOG),
  },
  guards: {
    wsEnabled: ({ context }) => context.wsEnabled,
    attemptsExhausted: ({ context }) => context.reconnectAttempts >= context.maxAttempts,
    shouldFallBack: ({ context }) => context.consecutiveFailures >= context.fallbackAfter,
    /** A fallback is running (or was, before an early attempt). */
    inFallback: ({ context }) => context.fallbackUntil !== null,
    /** The check after the last failure found the platform as a whole unreachable. */
    platformUnreachable: ({ context }) => context.failureCause === 'platform',
  },
  delays: {
    connectTimeout: ({ context }) => context.connectTimeoutMs,
    stableAfter: ({ context }) => context.heartbeatMs,
    staleAfter: () => notProvided('staleAfter'),
    untilNextAttempt: () => notProvided('untilNextAttempt'),
    untilFallbackEnds: () => notProvided('untilFallbackEnds'),
    untilNextProbe: () => notProvided('untilNextProbe'),
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
    failureCause: null,
    nextProbeAt: null,
    probes: 0,
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
      invoke: { id: 'openSocket', src: 'openSocket', input: ({ context }) => ({ attempt: context.reconnectAttempts }) },
      initial: 'connecting',
      states: {
        connecting: {
          after: {
            connectTimeout: { target: '#connection.checking', actions: { type: 'recordFailure', params: { reason: 'connect timeout' } } },
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
            'link.stale': { target: '#connection.checking', actions: { type: 'recordFailure', params: { reason: 'heartbeat timeout' } } },
          },
        },
      },
      on: {
        'socket.closed': { target: 'checking', actions: { type: 'recordFailure', params: ({ event }) => ({ reason: reasonOf(event) }) } },
        // No retry storm: an operator rotates the token and sends connection.reconnect.
        'socket.authRejected': { target: 'unauthorized', actions: [{ type: 'recordRejection', params: ({ event }) => ({ reason: reasonOf(event) }) }, 'endFallback'] },
        // After a restart the old socket is gone: connect afresh.
        'timers.rearm': { target: 'link', reenter: true },
      },
    },
    // Why did it fail? One GET /health (≤ 5 s) tells a blocked or broken socket from a platform
    // that is down. A restored actor re-runs the check.
    checking: {
      invoke: {
        id: 'checkPlatform',
        src: 'probePlatform',
        onDone: { target: 'failing', actions: 'platformAnswers' },
        onError: { target: 'failing', actions: 'platformDown' },
      },
    },
    failing: {
      always: [
        { guard: 'attemptsExhausted', target: 'suspended', actions: 'endFallback' },
        { guard: 'inFallback', target: 'fallback', actions: 'resumeFallback' },
        { guard: 'shouldFallBack', target: 'fallback', actions: 'startFallback' },
        { target: 'backingOff', actions: 'scheduleAttempt' },
      ],
    },
    // The spec's 1→16 s schedule, whatever the cause: its next attempt comes sooner than any probe
    // could (≥ 15 s), so the attempt is the probe.
    backingOff: {
      after: { untilNextAttempt: { target: 'link', actions: 'countAttempt' } },
      on: { 'timers.rearm': { target: 'backingOff', reenter: true } },
    },
    // Polling only, until fallbackUntil; earlier once an unreachable platform answers again.
    fallback: {
      entry: 'ensureProbe',
      after: {
        untilFallbackEnds: { target: 'link', actions: ['endFallback', 'countAttempt'] },
        untilNextProbe: { guard: 'platformUnreachable', target: 'probing' },
      },
      on: {
        'platform.answered': { guard: 'platformUnreachable', target: 'link', actions: 'countAttempt' },
        'timers.rearm': { target: 'fallback', reenter: true },
      },
    },
    // Gave up after maxAttempts: polling only until an operator sends connection.reconnect, or, when
    // the platform was unreachable, until it answers again.
    suspended: {
      entry: 'ensureProbe',
      after: { untilNextProbe: { guard: 'platformUnreachable', target: 'probing' } },
      on: {
        'platform.answered': { guard: 'platformUnreachable', target: 'link', actions: ['resetCounters', 'countAttempt'] },
        'timers.rearm': { target: 'suspended', reenter: true },
      },
    },
    // Is the unreachable platform back? Yes: try the socket. No: wait for the next probe.
    probing: {
      entry: 'startProbe',
      invoke: {
        id: 'probePlatform',
        src: 'probePlatform',
        onDone: tryAgain,
        onError: [{ guard: 'inFallback', target: 'fallback' }, { target: 'suspended' }],
      },
    },
    unauthorized: {},
  },
});

export type ConnectionMachine = typeof connectionMachine;
