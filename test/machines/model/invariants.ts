import type { AnyMachineSnapshot, EventObject } from 'xstate';
import type { AgentContext } from '../../../machines/agent.ts';
import type { ConflictsContext, ResolveRequest } from '../../../machines/conflicts.ts';
import type { ConnectionContext } from '../../../machines/connection.ts';
import type { RatingSyncContext } from '../../../machines/ratingSync.ts';
import type { SyncCycleContext } from '../../../machines/syncCycle.ts';
import { backoffDelay, RECONNECT_BACKOFF, SYNC_RETRY } from '../../../src/policy/backoff.ts';
import { PLATFORM_PROBE } from '../../../src/policy/probe-interval.ts';
import type { Recorded } from '../../../src/replay/scripted.ts';

// What must hold after every step of every path, read from each chart: its context stays
// consistent with its state, deadlines exist exactly where a state waits for them and follow the
// policy, and effects run exactly on the transitions that need them. A check returns what broke.

export interface StepFacts {
  snapshot: AnyMachineSnapshot;
  /** Before the step; undefined for the initial state. */
  previous: AnyMachineSnapshot | undefined;
  event: EventObject;
  /** The replay's clock after the step. */
  now: number;
  /** Custom actions the step ran (src/replay/scripted.ts records them). */
  recorded: Recorded[];
}

type Check = (facts: StepFacts) => string | false;

const ran = (f: StepFacts, action: string) => f.recorded.some((r) => r.action === action);
const entered = (f: StepFacts, state: string) => f.snapshot.matches(state) && !(f.previous?.matches(state) ?? false);
const failureKind = (error: unknown) => (error as { kind?: string } | null)?.kind;

/** Every chart: the interpreter runs exactly the actors its active states invoke. */
const common: Check[] = [
  (f) => {
    if (f.snapshot.status !== 'active') return false;
    const invoked = f.snapshot._nodes.flatMap((n) => n.invoke.map((i) => i.id)).sort();
    const running = Object.keys(f.snapshot.children).sort();
    return JSON.stringify(invoked) !== JSON.stringify(running) && `running actors ${JSON.stringify(running)}, active states invoke ${JSON.stringify(invoked)}`;
  },
];

const agent: Check[] = [
  (f) => {
    const c = f.snapshot.context as AgentContext;
    return f.snapshot.matches('localOnly') && c.saasEnabled && 'localOnly with SaaS enabled';
  },
  (f) => {
    const c = f.snapshot.context as AgentContext;
    return (f.snapshot.matches('initialSync') || f.snapshot.matches('running')) && !c.saasEnabled && 'syncing with SaaS disabled';
  },
  (f) => {
    const c = f.snapshot.context as AgentContext;
    return c.degraded && c.lastError === null && 'degraded without the error that caused it';
  },
  // The WebSocket starts with the initial sync (once boot restored the actors), and only then.
  (f) => ran(f, 'startRealtime') !== entered(f, 'initialSync') && `startRealtime ${ran(f, 'startRealtime') ? 'ran' : 'did not run'} on ${entered(f, 'initialSync') ? '' : 'not '}entering initialSync`,
  (f) => f.snapshot.matches('stopped') !== (f.snapshot.status === 'done') && `stopped is final, status ${f.snapshot.status}`,
];

const conflictRow: Check[] = [
  (f) => f.snapshot.matches('resolved') !== (f.snapshot.status === 'done') && `resolved is final, status ${f.snapshot.status}`,
];

/** What conflicts.ts's enqueue turns an operator event into. */
function requestOf(event: EventObject): ResolveRequest {
  const e = event as EventObject & Record<string, unknown>;
  return e.type === 'conflict.resolve'
    ? ({ kind: 'one', id: e.id, strategy: e.strategy } as ResolveRequest)
    : ({ kind: 'bulk', strategy: e.strategy, ...(e.conflictType ? { conflictType: e.conflictType } : {}), ...(e.skillId ? { skillId: e.skillId } : {}) } as ResolveRequest);
}

const conflicts: Check[] = [
  // `always [hasPending]`: idle never holds a request.
  (f) => f.snapshot.matches('idle') && (f.snapshot.context as ConflictsContext).pending.length > 0 && 'idle with requests pending',
  (f) => f.snapshot.matches('resolving') && (f.snapshot.context as ConflictsContext).pending.length === 0 && 'resolving nothing',
  // The queue is first in, first out: a request joins at the end, a result removes the head.
  (f) => {
    if (!f.previous) return false;
    const before = (f.previous.context as ConflictsContext).pending;
    const after = (f.snapshot.context as ConflictsContext).pending;
    const type = f.event.type;
    const expected = type.startsWith('conflict.') ? [...before, requestOf(f.event)] : type.startsWith('xstate.') ? before.slice(1) : before;
    return JSON.stringify(after) !== JSON.stringify(expected) && `queue ${JSON.stringify(before)} became ${JSON.stringify(after)} on ${type}`;
  },
];

const connection: Check[] = [
  (f) => {
    const c = f.snapshot.context as ConnectionContext;
    return (c.reconnectAttempts < 0 || c.consecutiveFailures < 0) && 'negative counter';
  },
  // Attempts never exceed the limit, whatever the path (a restart's timers.rearm reconnects without
  // spending one: the paths found it counting one when link's entry counted attempts).
  (f) => {
    const c = f.snapshot.context as ConnectionContext;
    return c.reconnectAttempts > c.maxAttempts && `attempt ${c.reconnectAttempts} of ${c.maxAttempts}`;
  },
  (f) => {
    const c = f.snapshot.context as ConnectionContext;
    return f.snapshot.matches('suspended') && c.reconnectAttempts < c.maxAttempts && `suspended after ${c.reconnectAttempts} of ${c.maxAttempts} attempts`;
  },
  // Backing off: a deadline min(2^(n-1), 16) s after the n-th consecutive failure, within [1 s, 16 s].
  (f) => {
    if (!f.snapshot.matches('backingOff')) return false;
    const c = f.snapshot.context as ConnectionContext;
    if (c.nextAttemptAt === null) return 'backing off without nextAttemptAt';
    const wait = c.nextAttemptAt - f.now;
    const policy = backoffDelay(c.consecutiveFailures, RECONNECT_BACKOFF);
    return (wait < 1_000 || wait > 16_000 || wait !== policy) && `backing off ${wait} ms after ${c.consecutiveFailures} failures (policy ${policy} ms)`;
  },
  (f) => {
    const c = f.snapshot.context as ConnectionContext;
    return f.snapshot.matches('backingOff') && c.consecutiveFailures >= c.fallbackAfter && `backing off after ${c.consecutiveFailures} failures instead of falling back`;
  },
  (f) => {
    if (!f.snapshot.matches('fallback')) return false;
    const c = f.snapshot.context as ConnectionContext;
    if (c.fallbackUntil === null) return 'fallback without fallbackUntil';
    return (c.fallbackUntil <= f.now || c.fallbackUntil - f.now > c.fallbackMs || c.consecutiveFailures !== 0) && `fallback until +${c.fallbackUntil - f.now} ms with ${c.consecutiveFailures} failures`;
  },
  // A fallback's end outlives the state only through an early attempt (link, checking, probing) and
  // into `disabled`; a backoff's deadline only into `disabled`: connection.disable keeps them until
  // enable or reconnect resets the counters (noted with issue #8: the websocket_state row shows it).
  (f) => {
    const c = f.snapshot.context as ConnectionContext;
    if (f.snapshot.matches('disabled')) return false;
    const staleAttempt = c.nextAttemptAt !== null && !f.snapshot.matches('backingOff');
    const staleFallback = c.fallbackUntil !== null && !['fallback', 'link', 'checking', 'probing'].some((v) => f.snapshot.matches(v));
    return (staleAttempt || staleFallback) && `deadline outside its state: nextAttemptAt ${c.nextAttemptAt}, fallbackUntil ${c.fallbackUntil}`;
  },
  // Probes only while the platform is unreachable: a socket-only failure is never probed (no storm
  // against a blocked WebSocket), and an unreachable platform always is, 15–45 s apart.
  (f) => {
    const c = f.snapshot.context as ConnectionContext;
    const waits = f.snapshot.matches('fallback') || f.snapshot.matches('suspended');
    if (!waits) return c.nextProbeAt !== null && !f.snapshot.matches('disabled') && `probe deadline outside fallback/suspended: ${c.nextProbeAt}`;
    if (c.failureCause !== 'platform') return c.nextProbeAt !== null && `a probe planned after a socket-only failure`;
    if (c.nextProbeAt === null) return 'the platform is unreachable and no probe is planned';
    const wait = c.nextProbeAt - f.now;
    return (wait <= 0 || wait > PLATFORM_PROBE.maxMs) && `next probe in ${wait} ms`;
  },
  // Only a probe or a platform answer leads from a fallback or suspension to an early attempt, and
  // only after the platform was found unreachable.
  (f) => {
    if (!f.previous || !entered(f, 'link')) return false;
    const early = f.event.type === 'platform.answered' || f.event.type === 'xstate.done.actor.probePlatform';
    return early && (f.previous.context as ConnectionContext).failureCause !== 'platform' && `early attempt on ${f.event.type} after a socket-only failure`;
  },
  // The check after a failure says why, and only the check does.
  (f) => {
    const c = f.snapshot.context as ConnectionContext;
    const expected = f.event.type === 'xstate.done.actor.checkPlatform' ? 'socket' : f.event.type === 'xstate.error.actor.checkPlatform' ? 'platform' : (f.previous?.context as ConnectionContext | undefined)?.failureCause ?? null;
    return c.failureCause !== expected && `failureCause ${c.failureCause} after ${f.event.type} (expected ${expected})`;
  },
  (f) => {
    const c = f.snapshot.context as ConnectionContext;
    return f.snapshot.matches({ link: 'open' }) && (c.connectedAt === null || c.lastMessageAt === null || c.lastMessageAt < c.connectedAt) && 'open without connectedAt/lastMessageAt';
  },
];

const ratingSync: Check[] = [
  (f) => f.snapshot.matches('idle') && (f.snapshot.context as RatingSyncContext).nextFlushAt === null && 'idle without nextFlushAt',
  (f) => {
    if (!f.snapshot.matches('rateLimited')) return false;
    const c = f.snapshot.context as RatingSyncContext;
    const retryAfter = (c.lastError as { retryAfterMs?: number } | null)?.retryAfterMs ?? 60_000;
    return (failureKind(c.lastError) !== 'rateLimited' || c.resumeAt === null || c.resumeAt - f.now > retryAfter) && `rate limited until ${c.resumeAt} by ${JSON.stringify(c.lastError)}`;
  },
  (f) => f.snapshot.matches('unauthorized') && failureKind((f.snapshot.context as RatingSyncContext).lastError) !== 'auth' && 'unauthorized without an auth failure',
  // A finished round clears what it was asked for.
  (f) => {
    const c = f.snapshot.context as RatingSyncContext;
    return f.event.type === 'xstate.done.actor.uploadRatings' && (c.lastError !== null || c.replayFailed || c.resumeAt !== null) && 'a finished round left its error, replay or resume time';
  },
  (f) => f.event.type === 'ratings.retry' && !(f.snapshot.context as RatingSyncContext).replayFailed && 'ratings.retry without replaying failed uploads',
];

const syncCycle: Check[] = [
  (f) => {
    const c = f.snapshot.context as SyncCycleContext;
    return (c.attempt < 0 || c.attempt > c.maxRetries + 1) && `attempt ${c.attempt} with ${c.maxRetries} retries`;
  },
  // An incremental catch-up needs a cache a full sync has filled.
  (f) => {
    const c = f.snapshot.context as SyncCycleContext;
    return c.kind === 'incremental' && !c.hasCompletedFullSync && 'incremental before any full sync';
  },
  (f) => {
    if (!f.snapshot.matches('idle')) return false;
    const c = f.snapshot.context as SyncCycleContext;
    return (c.attempt !== 0 || c.lastError !== null || c.retryAt !== null || c.queued !== null || c.nextSyncAt === null) && `idle with ${JSON.stringify({ attempt: c.attempt, lastError: c.lastError, retryAt: c.retryAt, queued: c.queued, nextSyncAt: c.nextSyncAt })}`;
  },
  // Retrying: after 1, 2, 4 s (the attempt-th step of the policy), or the 429's Retry-After.
  (f) => {
    if (!f.snapshot.matches('retrying')) return false;
    const c = f.snapshot.context as SyncCycleContext;
    if (c.retryAt === null || c.lastError === null) return 'retrying without retryAt or lastError';
    const expected = c.lastError.kind === 'rateLimited' && c.lastError.retryAfterMs !== undefined ? c.lastError.retryAfterMs : backoffDelay(c.attempt, SYNC_RETRY);
    return (c.attempt < 1 || c.attempt > c.maxRetries || c.retryAt - f.now !== expected) && `retry ${c.attempt}/${c.maxRetries} in ${c.retryAt - f.now} ms (expected ${expected})`;
  },
  (f) => {
    const c = f.snapshot.context as SyncCycleContext;
    return f.snapshot.matches('failed') && (c.lastError === null || c.lastError.kind === 'auth' || c.nextSyncAt === null) && `failed with ${JSON.stringify(c.lastError)}`;
  },
  (f) => f.snapshot.matches('unauthorized') && failureKind((f.snapshot.context as SyncCycleContext).lastError) !== 'auth' && 'unauthorized without an auth failure',
  // The runtime closes a sync's bookkeeping exactly when the cycle gives up on it.
  (f) => {
    const gaveUp = entered(f, 'failed') || entered(f, 'unauthorized');
    return ran(f, 'reportGivenUp') !== gaveUp && `reportGivenUp ${ran(f, 'reportGivenUp') ? 'ran' : 'did not run'} on ${f.event.type}`;
  },
];

const BY_MACHINE: Record<string, Check[]> = { agent, conflictRow, conflicts, connection, ratingSync, syncCycle };

/** What broke after a step; empty when everything holds. */
export function violations(machineId: string, facts: StepFacts): string[] {
  return [...common, ...(BY_MACHINE[machineId] ?? [])].map((check) => check(facts)).filter((v): v is string => typeof v === 'string');
}
