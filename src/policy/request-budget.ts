// The pacing rule of the platform client: given what the platform has told us about its request
// window (spec 000: 100 requests a minute and 10 in flight per instance), may the next request go
// now, and if not, when? Pure functions over a plain view, so the bounds are property-tested
// (test/policy/request-budget.test.ts) against the reference platform's own limiter.
//
// Two lanes share one budget. `sync` (pages, categories, catch-ups, reconciliation look-ups) stops
// short of a reserve; `priority` (rating uploads, operator-triggered work) may spend the reserve,
// so it is served within the current window even while a long sync waits for the next one.

export type Lane = 'sync' | 'priority';

export interface BudgetPolicy {
  /** In-flight requests the platform accepts (spec 000: 10). */
  maxInFlight: number;
  /** Share of each window the sync lane leaves to the priority lane (0.15 = 15 of 100). */
  reserveShare: number;
}

export const DEFAULT_BUDGET_POLICY: BudgetPolicy = { maxInFlight: 10, reserveShare: 0.15 };

/** What the client knows of the platform's current window. */
export interface BudgetView {
  /** Requests per window as advertised; null until the platform said. */
  limit: number | null;
  /** Window length as advertised (RateLimit-Policy w); null until the platform said. */
  windowMs: number | null;
  /** Requests left in the current window: the platform's last report minus what was sent since. */
  remaining: number;
  /** When the current window frees (ms); null when no window is known (never heard, or it ended). */
  resetAt: number | null;
  /** The platform answered without any budget fields: pace by in-flight limit and Retry-After only. */
  unmetered: boolean;
  inFlight: number;
  /** Nothing is sent before this (a Retry-After). */
  blockedUntil: number;
}

/** What one response said about the budget (all relative: the worker thread's clock is not ours). */
export interface BudgetObservation {
  status: number;
  limit?: number;
  remaining?: number;
  resetInMs?: number;
  windowMs?: number;
  retryAfterMs?: number;
}

export type Decision = { go: true } | { go: false; at: number } | { go: false; at: null };

export function emptyView(): BudgetView {
  return { limit: null, windowMs: null, remaining: 0, resetAt: null, unmetered: false, inFlight: 0, blockedUntil: 0 };
}

/** Requests of the window the sync lane leaves alone. */
export function reserveOf(limit: number, policy: BudgetPolicy): number {
  return Math.min(limit - 1, Math.ceil(limit * policy.reserveShare));
}

/** A known window that has ended is forgotten: the next request opens a new one on the platform. */
export function expire(view: BudgetView, now: number): BudgetView {
  if (view.resetAt !== null && now >= view.resetAt) return { ...view, resetAt: null, remaining: view.limit ?? 0 };
  return view;
}

/**
 * Whether a request of `lane` may go at `now`; if not, the time it may (a window reset or a
 * Retry-After) or null when it waits for a request in flight to finish. While no window is known
 * (start, or just after one ended) one request goes alone to learn the new one.
 */
export function decide(input: BudgetView, lane: Lane, now: number, policy: BudgetPolicy): Decision {
  const view = expire(input, now);
  if (now < view.blockedUntil) return { go: false, at: view.blockedUntil };
  // The sync lane leaves one in-flight slot free, so a priority request never waits for one.
  const slots = lane === 'priority' ? policy.maxInFlight : Math.max(1, policy.maxInFlight - 1);
  if (view.inFlight >= slots) return { go: false, at: null };
  if (view.resetAt === null) {
    if (view.unmetered) return { go: true };
    return view.inFlight === 0 ? { go: true } : { go: false, at: null };
  }
  const floor = lane === 'priority' || view.limit === null ? 0 : reserveOf(view.limit, policy);
  if (view.remaining > floor) return { go: true };
  return { go: false, at: view.resetAt };
}

/** A request left: it is counted against the window now, before the platform counts it. */
export function recordSend(input: BudgetView, now: number): BudgetView {
  const view = expire(input, now);
  return { ...view, inFlight: view.inFlight + 1, remaining: view.resetAt === null ? view.remaining : view.remaining - 1 };
}

/**
 * A request ended; `observation` is what its response said (null: no response, a network error).
 * A report of a new window is taken as it is, minus the requests still in flight (the platform may
 * not have counted them yet); a report of the known window can only lower what is left.
 */
export function recordResponse(input: BudgetView, observation: BudgetObservation | null, now: number): BudgetView {
  let view: BudgetView = { ...expire(input, now), inFlight: Math.max(0, input.inFlight - 1) };
  if (!observation) return view;
  if (observation.retryAfterMs !== undefined && (observation.status === 429 || observation.status === 503)) {
    view.blockedUntil = Math.max(view.blockedUntil, now + observation.retryAfterMs);
  }
  const { limit, remaining, resetInMs } = observation;
  if (observation.windowMs !== undefined) view.windowMs = observation.windowMs;
  if (limit === undefined || remaining === undefined || resetInMs === undefined) {
    if (view.resetAt === null && limit === undefined && remaining === undefined) view.unmetered = true;
    return view;
  }
  const resetAt = now + resetInMs;
  // A late answer from a window that has ended tells nothing about the next one.
  if (resetAt <= now) return view;
  const left = Math.max(0, remaining - view.inFlight);
  const sameWindow = view.resetAt !== null && Math.abs(resetAt - view.resetAt) < WINDOW_MATCH_MS;
  view = sameWindow
    ? { ...view, limit, remaining: Math.min(view.remaining, left), resetAt: Math.max(view.resetAt!, resetAt) }
    : { ...view, limit, remaining: left, resetAt, unmetered: false };
  if (observation.status === 429 && observation.retryAfterMs === undefined) view.remaining = 0;
  return view;
}

/**
 * Two reports name the same window when their reset times agree to within this: reset times come
 * in whole seconds and each is measured on arrival, so one window's reports differ by about a second.
 */
const WINDOW_MATCH_MS = 2_500;

/**
 * When `requestsLeft` sync-lane requests will have gone, at best: what is usable of the current
 * window now, then `perWindow` each window after it. Ignores request latency (an estimate for people).
 */
export function syncEta(input: { now: number; requestsLeft: number; usableNow: number; resetAt: number | null; perWindow: number; windowMs: number }): number {
  const { now, requestsLeft, usableNow, resetAt, perWindow, windowMs } = input;
  const later = Math.max(0, requestsLeft - Math.max(0, usableNow));
  if (later === 0) return now;
  const windows = Math.ceil(later / Math.max(1, perWindow));
  return (resetAt ?? now) + (windows - 1) * windowMs;
}
