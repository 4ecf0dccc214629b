import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  decide, emptyView, recordResponse, recordSend, reserveOf,
  type BudgetObservation, type BudgetPolicy, type BudgetView, type Lane,
} from '../../src/policy/request-budget.ts';
import { createConcurrencyGate, createRateLimiter } from '../../src/platform/rate-limit.ts';
import { secondsUntil } from '../../src/platform/http/limits.ts';

// The pacing rule against the reference platform's own limiter (fixed window opened by the first
// request, in-flight gate), in a discrete-event simulation with random latencies: every request the
// rule lets go is one the platform accepts, the sync lane leaves the reserve alone, and everything
// is served within the windows the budget allows.

interface Scenario {
  limit: number;
  windowMs: number;
  maxInFlight: number;
  lanes: Lane[];
  /** Requests another process of the same instance spent in the current window before we start (a restart). */
  spentBefore: number;
  latencies: number[];
}

interface Outcome {
  statuses: number[];
  /** Per platform window (by start time): requests by lane. */
  windows: Map<number, Record<Lane, number>>;
  finishedAt: number;
}

function simulate(s: Scenario, policy: BudgetPolicy): Outcome {
  let t = 0;
  const limiter = createRateLimiter({ limit: s.limit, windowMs: s.windowMs, now: () => t });
  const gate = createConcurrencyGate(s.maxInFlight);
  let windowStart = -Infinity;
  const windows = new Map<number, Record<Lane, number>>();
  for (let i = 0; i < s.spentBefore; i++) {
    const hit = limiter.hit('k');
    if (i === 0) windowStart = t + hit.resetInMs - s.windowMs;
  }
  let view: BudgetView = emptyView();
  const queue = s.lanes.map((lane, i) => ({ lane, i }));
  // Responses on their way back: when they arrive, what they say, and the slot they hold.
  const inFlight: { at: number; observation: BudgetObservation; slot: boolean }[] = [];
  const statuses: number[] = [];
  let latency = 0;
  const nextLatency = () => s.latencies[latency++ % s.latencies.length]!;
  for (let steps = 0; steps < 100_000 && (queue.length || inFlight.length); steps++) {
    // Send everything the rule lets go now, priority first (as the stateful budget does).
    let wake = Infinity;
    for (const lane of ['priority', 'sync'] as const) {
      for (let k = 0; k < queue.length; k++) {
        if (queue[k]!.lane !== lane) continue;
        const d = decide(view, lane, t, policy);
        if (!d.go) {
          if (d.at !== null) wake = Math.min(wake, d.at);
          break;
        }
        queue.splice(k--, 1);
        view = recordSend(view, t);
        // The platform sees the request at once and answers after a latency.
        const hit = limiter.hit('k');
        if (hit.resetInMs === s.windowMs) windowStart = t;
        const slot = hit.allowed && gate.tryAcquire('k');
        const status = !hit.allowed || !slot ? 429 : 200;
        if (status === 200) {
          const w = windows.get(windowStart) ?? { sync: 0, priority: 0 };
          w[lane] += 1;
          windows.set(windowStart, w);
        }
        const retryAfterMs = status === 429 ? (hit.allowed ? 1000 : secondsUntil(hit.resetInMs) * 1000) : undefined;
        inFlight.push({
          at: t + nextLatency(), slot,
          observation: { status, limit: s.limit, remaining: hit.remaining, resetInMs: secondsUntil(hit.resetInMs) * 1000, ...(retryAfterMs ? { retryAfterMs } : {}) },
        });
        statuses.push(status);
        if (status === 429) queue.unshift({ lane, i: -1 });
      }
    }
    const next = Math.min(wake, ...inFlight.map((r) => r.at));
    if (!Number.isFinite(next)) throw new Error('stalled: nothing in flight and nothing scheduled');
    t = Math.max(t, next);
    for (const r of inFlight.filter((r) => r.at <= t)) {
      inFlight.splice(inFlight.indexOf(r), 1);
      if (r.slot) gate.release('k');
      // The client reads "t seconds until reset" when the answer arrives, later than the platform wrote it.
      view = recordResponse(view, r.observation, t);
    }
  }
  return { statuses, windows, finishedAt: t };
}

const scenario = fc.record({
  limit: fc.integer({ min: 2, max: 30 }),
  windowMs: fc.constantFrom(1000, 5000, 60_000),
  maxInFlight: fc.integer({ min: 1, max: 10 }),
  lanes: fc.array(fc.constantFrom<Lane>('sync', 'sync', 'sync', 'priority'), { minLength: 1, maxLength: 120 }),
  spentBefore: fc.constant(0),
  latencies: fc.array(fc.integer({ min: 0, max: 400 }), { minLength: 1, maxLength: 8 }),
});
const policyArb = fc.record({ maxInFlight: fc.integer({ min: 1, max: 10 }), reserveShare: fc.constantFrom(0, 0.1, 0.15, 0.2) });

describe('request budget pacing (property, against the platform limiter)', () => {
  it('never sends a request the platform refuses: never past the window budget, never past the in-flight limit', () => {
    fc.assert(
      fc.property(scenario, policyArb, (s, p) => {
        const policy = { ...p, maxInFlight: Math.min(p.maxInFlight, s.maxInFlight) };
        const { statuses, windows } = simulate(s, policy);
        expect(statuses.filter((x) => x === 429)).toEqual([]);
        for (const w of windows.values()) expect(w.sync + w.priority).toBeLessThanOrEqual(s.limit);
      }),
      { numRuns: 300 },
    );
  });

  it('the sync lane leaves the reserve of every window to the priority lane', () => {
    fc.assert(
      fc.property(scenario, policyArb, (s, p) => {
        const policy = { ...p, maxInFlight: Math.min(p.maxInFlight, s.maxInFlight) };
        const { windows } = simulate(s, policy);
        for (const w of windows.values()) expect(w.sync).toBeLessThanOrEqual(s.limit - reserveOf(s.limit, policy));
      }),
      { numRuns: 300 },
    );
  });

  it('always makes progress: n requests are served within the windows their lane allows', () => {
    fc.assert(
      fc.property(scenario, policyArb, (s, p) => {
        const policy = { ...p, maxInFlight: Math.min(p.maxInFlight, s.maxInFlight) };
        const { statuses, finishedAt } = simulate(s, policy);
        expect(statuses.length).toBe(s.lanes.length);
        const perWindow = s.limit - reserveOf(s.limit, policy);
        // Each window costs at most its length, one second of rounding and one latency to learn it.
        const windowsNeeded = Math.ceil(s.lanes.length / perWindow);
        expect(finishedAt).toBeLessThanOrEqual(windowsNeeded * (s.windowMs + 1000 + 2 * 400) + s.lanes.length * 400);
      }),
      { numRuns: 300 },
    );
  });

  it('after a restart mid-window (budget partly spent by the previous process), receives at most one 429', () => {
    fc.assert(
      fc.property(scenario, policyArb, fc.integer({ min: 0, max: 40 }), (s, p, spent) => {
        const policy = { ...p, maxInFlight: Math.min(p.maxInFlight, s.maxInFlight) };
        const { statuses } = simulate({ ...s, spentBefore: Math.min(spent, s.limit) }, policy);
        expect(statuses.filter((x) => x === 429).length).toBeLessThanOrEqual(1);
      }),
      { numRuns: 300 },
    );
  });
});

describe('decide', () => {
  const policy: BudgetPolicy = { maxInFlight: 10, reserveShare: 0.15 };
  const known = (over: Partial<BudgetView>): BudgetView => ({ ...emptyView(), limit: 100, remaining: 50, resetAt: 60_000, ...over });

  it('sends one request alone while no window is known, to learn it', () => {
    expect(decide(emptyView(), 'sync', 0, policy)).toEqual({ go: true });
    expect(decide({ ...emptyView(), inFlight: 1 }, 'sync', 0, policy)).toEqual({ go: false, at: null });
  });

  it('holds the sync lane at the reserve until the window resets; the priority lane spends it', () => {
    expect(decide(known({ remaining: 16 }), 'sync', 10, policy)).toEqual({ go: true });
    expect(decide(known({ remaining: 15 }), 'sync', 10, policy)).toEqual({ go: false, at: 60_000 });
    expect(decide(known({ remaining: 1 }), 'priority', 10, policy)).toEqual({ go: true });
    expect(decide(known({ remaining: 0 }), 'priority', 10, policy)).toEqual({ go: false, at: 60_000 });
    // The window has passed: a new one opens with the next request.
    expect(decide(known({ remaining: 0 }), 'sync', 60_000, policy)).toEqual({ go: true });
  });

  it('honours Retry-After before anything else, and keeps one in-flight slot for the priority lane', () => {
    const blocked = recordResponse(known({ inFlight: 1 }), { status: 429, retryAfterMs: 5000, limit: 100, remaining: 0, resetInMs: 5000 }, 1000);
    expect(decide(blocked, 'priority', 1000, policy)).toEqual({ go: false, at: 6000 });
    expect(decide(known({ inFlight: 9 }), 'sync', 0, policy)).toEqual({ go: false, at: null });
    expect(decide(known({ inFlight: 9 }), 'priority', 0, policy)).toEqual({ go: true });
  });

  it('paces by in-flight limit and Retry-After only when the platform sends no budget fields', () => {
    const unmetered = recordResponse(recordSend(emptyView(), 0), { status: 200 }, 5);
    expect(unmetered.unmetered).toBe(true);
    expect(decide({ ...unmetered, inFlight: 8 }, 'sync', 5, policy)).toEqual({ go: true });
  });
});
