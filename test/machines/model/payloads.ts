import type { Failure } from '../../../machines/failure.ts';

// What the model sends with each event type (the types themselves come from the charts, events.ts).
// One entry per type a chart listens for, `xstate.after.*` excepted: NONE for an event without
// fields, else one payload per variant, keyed by the label that names it in a path. Variants exist
// only where a guard or an assignment tells them apart: each one multiplies the paths. A payload may
// be a function of the context, for results that echo what the actor was asked (a sync's kind).

export type Fields = Record<string, unknown>;
export type Variants = Record<string, Fields | ((context: any) => Fields)>;

/** An event without fields. */
export const NONE: Variants = { '': {} };

const failure = (kind: Failure['kind'], status: number | null, extra: Partial<Failure> = {}): { error: Failure } => ({
  error: { kind, message: `${kind} (${status ?? 'network'})`, status, ...extra },
});

export const PAYLOADS: Record<string, Record<string, Variants>> = {
  agent: {
    'agent.stop': NONE,
    'xstate.done.actor.boot': { '': { output: undefined } },
    'xstate.error.actor.boot': { '': { error: new Error('migration failed') } },
    'xstate.done.actor.initialSync': { '': { output: undefined } },
    'xstate.error.actor.initialSync': { '': { error: new Error('platform unreachable') } },
    'xstate.done.actor.shutdown': { '': { output: undefined } },
    'xstate.error.actor.shutdown': { '': { error: new Error('close timed out') } },
  },
  conflictRow: {
    'conflict.autoResolved': NONE,
    'conflict.queued': NONE,
    'conflict.resolve': NONE,
  },
  conflicts: {
    'conflict.resolve': { '': { id: 7, strategy: 'local_wins' } },
    'conflict.resolveAll': { '': { strategy: 'merge', conflictType: 'content' } },
    'xstate.done.actor.resolveConflicts': { '': { output: { resolved: 1, refused: 0 } } },
    'xstate.error.actor.resolveConflicts': { '': { error: new Error('database is locked') } },
  },
  connection: {
    'socket.opened': NONE,
    'socket.alive': NONE,
    'socket.closed': { '': { reason: 'ECONNRESET' } },
    'socket.authRejected': { '': { reason: 'HTTP 401' } },
    'link.stale': NONE,
    'platform.answered': NONE,
    // GET /health answered (the socket alone failed) or did not (the platform is unreachable).
    'xstate.done.actor.checkPlatform': { '': { output: { status: 200 } } },
    'xstate.error.actor.checkPlatform': { '': { error: new Error('GET /health: ECONNREFUSED') } },
    'xstate.done.actor.probePlatform': { '': { output: { status: 200 } } },
    'xstate.error.actor.probePlatform': { '': { error: new Error('GET /health: ECONNREFUSED') } },
    'connection.reconnect': NONE,
    'connection.disable': NONE,
    'connection.enable': NONE,
    'timers.rearm': NONE,
  },
  ratingSync: {
    'ratings.flush': NONE,
    'ratings.retry': NONE,
    'schedule.pause': NONE,
    'schedule.resume': NONE,
    'timers.rearm': NONE,
    'xstate.done.actor.uploadRatings': { '': { output: { uploaded: 2, failed: 1, deadLettered: 0 } } },
    // The guards tell auth and rate limiting apart; anything else waits for the next round.
    'xstate.error.actor.uploadRatings': {
      auth: failure('auth', 401),
      rateLimited: failure('rateLimited', 429, { retryAfterMs: 60_000 }),
      transient: failure('transient', 503),
    },
  },
  syncCycle: {
    'sync.trigger': NONE,
    'sync.catchUp': NONE,
    // The runtime reports the run waiting for the request budget (a time) or proceeding (null).
    'sync.throttled': { waiting: { resumeAt: Date.parse('2026-03-01T00:01:00Z') }, proceeding: { resumeAt: null } },
    'schedule.pause': NONE,
    'schedule.resume': NONE,
    'timers.rearm': NONE,
    // A run reports the kind it was asked for.
    'xstate.done.actor.runSync': { '': (context: { kind: string }) => ({ output: { kind: context.kind, skills: 3, pages: 1, deleted: 0 } }) },
    // auth gives up at once, transient and rate limited retry (the latter after its Retry-After),
    // invalid is not worth retrying.
    'xstate.error.actor.runSync': {
      auth: failure('auth', 401),
      transient: failure('transient', 503),
      rateLimited: failure('rateLimited', 429, { retryAfterMs: 30_000 }),
      invalid: failure('invalid', 400),
    },
  },
};
