import type { AnyMachineSnapshot } from 'xstate';
import type { ConnectionContext, ConnectionInput } from '../../../machines/connection.ts';
import type { ConflictsContext } from '../../../machines/conflicts.ts';
import type { RatingSyncContext, RatingSyncInput } from '../../../machines/ratingSync.ts';
import type { SyncCycleContext, SyncCycleInput } from '../../../machines/syncCycle.ts';

// What the traversal needs to know about each chart beyond its definition: the inputs it starts
// from (guards read context, and input is how context is fed), which part of the context tells two
// states apart, and where an unbounded counter must stop being explored. A chart missing here is
// still traversed, from no input, with its whole context.

export interface Seed {
  /** Shown in path names when a chart has more than one seed. */
  label: string;
  input: unknown;
}

export interface MachineModel {
  seeds: Seed[];
  /**
   * The context that tells two states of the same value apart: what guards will read from there
   * on. Times and messages are left out, and so are leftovers the next transition overwrites (a
   * failed sync's attempt count): they never change which transition is taken, and would only
   * multiply the states. A wrong omission tends to show: a replay then leaves its path.
   */
  relevant?: (snapshot: AnyMachineSnapshot) => unknown;
  /** Stop exploring past states where this holds (a counter nothing else bounds). */
  bound?: (context: any) => boolean;
  /**
   * Context that makes two edges between the same state values different edges: where the same
   * event leads to the same value by different guarded branches (a fallback started or resumed).
   */
  edgeContext?: (snapshot: AnyMachineSnapshot) => unknown;
}

const SECOND = 1000;
const MINUTE = 60 * SECOND;

// Small limits so both ways out of `failing` are reached in few steps: the 2nd consecutive failure
// falls back, the 3rd attempt since the last good connection gives up.
const CONNECTION: ConnectionInput = {
  wsEnabled: true, maxAttempts: 4, fallbackAfter: 2, heartbeatMs: 30 * SECOND, pongTimeoutMs: 10 * SECOND,
  fallbackMs: 60 * MINUTE, connectTimeoutMs: 10 * SECOND,
};

export const MODELS: Record<string, MachineModel> = {
  agent: {
    seeds: [
      { label: 'saas', input: { saasEnabled: true } },
      { label: 'local-only', input: { saasEnabled: false } },
    ],
  },
  connection: {
    seeds: [
      { label: 'ws', input: CONNECTION },
      { label: 'ws disabled', input: { ...CONNECTION, wsEnabled: false } },
    ],
    // Counters matter until something resets them: reconnect and enable do, from every other state.
    // So do the cause of the last failure (probes or not) and a running fallback (an early attempt
    // that fails resumes it).
    relevant: (s) => {
      const c = s.context as ConnectionContext;
      const waiting = ['link', 'checking', 'backingOff', 'fallback', 'suspended', 'probing'].some((v) => s.matches(v));
      return waiting ? { attempts: c.reconnectAttempts, failures: c.consecutiveFailures, cause: c.failureCause, fallback: c.fallbackUntil !== null } : {};
    },
    // `timers.rearm` re-enters `link` and counts one more attempt each time.
    bound: (c: ConnectionContext) => c.reconnectAttempts > c.maxAttempts,
    // A failed early attempt resumes its fallback; a third failure starts one: same values, other branch.
    // A probe that finds the platform back tries again from a fallback or, counters reset, from suspended.
    edgeContext: (s) => {
      const c = s.context as ConnectionContext;
      return { cause: c.failureCause, fallback: c.fallbackUntil !== null };
    },
  },
  conflicts: {
    seeds: [{ label: '', input: undefined }],
    relevant: (s) => ({ pending: (s.context as ConflictsContext).pending.length }),
    // Requests queue without limit while one is resolved; three are enough to see the queue drain.
    bound: (c: ConflictsContext) => c.pending.length >= 3,
  },
  ratingSync: {
    seeds: [{ label: '', input: { intervalMs: 30 * MINUTE, schedulerEnabled: true } satisfies RatingSyncInput }],
    relevant: (s) => {
      const c = s.context as RatingSyncContext;
      return { scheduler: c.schedulerEnabled, replay: c.replayFailed, queued: c.flushQueued };
    },
  },
  syncCycle: {
    // Two retries (1 s, 2 s) show the policy and giving up, with fewer states than the default three.
    seeds: [{ label: '', input: { intervalMs: 15 * MINUTE, schedulerEnabled: true, maxRetries: 2 } satisfies SyncCycleInput }],
    // The kind and the attempt count of a sync matter while it runs or waits to retry; every way
    // into syncing from elsewhere sets them afresh.
    relevant: (s) => {
      const c = s.context as SyncCycleContext;
      const current = s.matches('syncing') || s.matches('retrying') ? { kind: c.kind, attempt: c.attempt } : {};
      return { scheduler: c.schedulerEnabled, queued: c.queued, full: c.hasCompletedFullSync, ...current };
    },
  },
};

export function modelOf(machineId: string): Required<Pick<MachineModel, 'seeds' | 'relevant'>> & MachineModel {
  const model = MODELS[machineId];
  return { relevant: (snapshot: AnyMachineSnapshot) => snapshot.context, ...model, seeds: model?.seeds ?? [{ label: '', input: undefined }] };
}
