import {
  decide, DEFAULT_BUDGET_POLICY, reserveOf, emptyView, expire, recordResponse, recordSend,
  type BudgetObservation, type BudgetPolicy, type BudgetView, type Lane,
} from '../../policy/request-budget.ts';

// The one request budget of an agent instance (src/policy/request-budget.ts decides; this holds
// the view and the waiting requests). Every platform request takes a permit first and settles it
// with what the response said. The sync worker's client takes its permits from this same budget
// over its message port (src/runtime/sync-worker/), so the platform sees one paced client.

export interface BudgetClock {
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(id: unknown): void;
}

export interface Permit {
  readonly id: number;
  readonly lane: Lane;
}

/** What a platform client needs of a budget (the local one, or the worker's proxy of it). */
export interface BudgetGate {
  acquire(lane: Lane): Promise<Permit>;
  settle(permit: Permit, observation: BudgetObservation | null): void;
}

/** How one platform request ended, for the requests-by-outcome metric. */
export type RequestOutcome = 'ok' | 'throttled' | 'failed';

/** A sync-lane request waits longer than this: the sync is throttled (the chart and the CLI show it). */
export const THROTTLE_NOTICE_MS = 2_000;

export interface BudgetStatus {
  limit: number | null;
  /** Window length as advertised; null until the platform said. */
  windowMs: number | null;
  /** Requests of each window the sync lane may spend (the limit less the reserve); null until known. */
  syncPerWindow: number | null;
  remaining: number | null;
  resetAt: number | null;
  inFlight: number;
  blockedUntil: number | null;
  /** When the waiting sync-lane request may go; null when the sync is not throttled. */
  throttledUntil: number | null;
  /** Total time sync-lane requests have spent throttled (ms). */
  throttledMs: number;
  /** Sync-lane requests go as priority (an operator asked for the running sync). */
  expedited: boolean;
  /** Requests settled so far, by lane and outcome (429 = throttled; no answer or another error = failed). */
  requests: Record<Lane, Record<RequestOutcome, number>>;
}

export interface RequestBudgetOptions {
  clock: BudgetClock;
  policy?: Partial<BudgetPolicy>;
  /** The sync lane waits (resumeAt) or proceeds again (null). */
  onThrottle?: (resumeAt: number | null) => void;
}

interface Waiter {
  lane: Lane;
  since: number;
  resolve(permit: Permit): void;
  reject(error: Error): void;
}

export interface RequestBudget extends BudgetGate {
  status(): BudgetStatus;
  /** While on, sync-lane requests draw on the reserve too. */
  expedite(on: boolean): void;
  /** Refuses every waiting and later request and drops the timer (the agent stops). */
  close(): void;
}

export function createRequestBudget(options: RequestBudgetOptions): RequestBudget {
  const { clock } = options;
  const policy: BudgetPolicy = { ...DEFAULT_BUDGET_POLICY, ...options.policy };
  let view: BudgetView = emptyView();
  const waiting: Waiter[] = [];
  let timer: { id: unknown; at: number } | undefined;
  let nextId = 1;
  let expedited = false;
  let throttledSince: number | null = null;
  let throttledUntil: number | null = null;
  let throttledMs = 0;
  let closed = false;
  const requests: Record<Lane, Record<RequestOutcome, number>> = {
    sync: { ok: 0, throttled: 0, failed: 0 },
    priority: { ok: 0, throttled: 0, failed: 0 },
  };

  const laneOf = (lane: Lane): Lane => (expedited ? 'priority' : lane);

  function setThrottle(until: number | null): void {
    const now = clock.now();
    if (until === null) {
      if (throttledSince === null) return;
      throttledMs += Math.max(0, now - throttledSince);
      throttledSince = null;
      throttledUntil = null;
      options.onThrottle?.(null);
      return;
    }
    if (throttledUntil === until) return;
    throttledSince ??= now;
    throttledUntil = until;
    options.onThrottle?.(until);
  }

  /** Lets every waiter go that may, priority first, and arms one timer for the earliest that may later. */
  function pump(): void {
    const now = clock.now();
    let earliest: number | null = null;
    let syncWaitsUntil: number | null = null;
    const order = [...waiting.filter((w) => laneOf(w.lane) === 'priority'), ...waiting.filter((w) => laneOf(w.lane) !== 'priority')];
    for (const waiter of order) {
      const decision = decide(view, laneOf(waiter.lane), now, policy);
      if (decision.go) {
        view = recordSend(view, now);
        waiting.splice(waiting.indexOf(waiter), 1);
        waiter.resolve({ id: nextId++, lane: waiter.lane });
        continue;
      }
      if (decision.at !== null) earliest = earliest === null ? decision.at : Math.min(earliest, decision.at);
      if (waiter.lane === 'sync' && decision.at !== null && decision.at - now >= THROTTLE_NOTICE_MS) syncWaitsUntil ??= decision.at;
    }
    if (syncWaitsUntil !== null) setThrottle(syncWaitsUntil);
    else if (!waiting.some((w) => w.lane === 'sync')) setThrottle(null);
    if (earliest !== null && (!timer || timer.at !== earliest)) {
      if (timer) clock.clearTimeout(timer.id);
      const at = earliest;
      timer = { at, id: clock.setTimeout(() => {
        timer = undefined;
        pump();
      }, Math.max(0, at - now)) };
    }
  }

  return {
    acquire(lane) {
      if (closed) return Promise.reject(new Error('the request budget is closed'));
      return new Promise<Permit>((resolve, reject) => {
        waiting.push({ lane, since: clock.now(), resolve, reject });
        pump();
      });
    },
    settle(permit, observation) {
      const status = observation?.status;
      requests[permit.lane][status === undefined ? 'failed' : status === 429 ? 'throttled' : status < 400 ? 'ok' : 'failed'] += 1;
      view = recordResponse(view, observation, clock.now());
      pump();
    },
    status() {
      const now = clock.now();
      const current = expire(view, now);
      return {
        limit: current.limit,
        windowMs: current.windowMs,
        syncPerWindow: current.limit === null ? null : current.limit - reserveOf(current.limit, policy),
        remaining: current.resetAt === null ? current.limit : current.remaining,
        resetAt: current.resetAt,
        inFlight: current.inFlight,
        blockedUntil: current.blockedUntil > now ? current.blockedUntil : null,
        throttledUntil,
        throttledMs: throttledMs + (throttledSince === null ? 0 : Math.max(0, now - throttledSince)),
        expedited,
        requests: { sync: { ...requests.sync }, priority: { ...requests.priority } },
      };
    },
    expedite(on) {
      expedited = on;
      pump();
    },
    close() {
      closed = true;
      if (timer) clock.clearTimeout(timer.id);
      timer = undefined;
      for (const waiter of waiting.splice(0)) waiter.reject(new Error('the platform client is closing'));
      // No notice: whoever listened is stopping too.
      throttledSince = null;
      throttledUntil = null;
    },
  };
}
