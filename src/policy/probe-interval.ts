// How often the agent asks an unreachable platform whether it is back (GET /health): a tiny pure
// function, pinned by property tests (test/policy/probe-interval.test.ts).

export interface ProbeIntervalOptions {
  /** Wait before the first probe, and the floor of every wait. */
  firstMs: number;
  /** Ceiling of every wait. */
  maxMs: number;
  /** Share of each wait that is random, 0..1 (0.2: ±20 %), then clamped to [firstMs, maxMs]. */
  jitter: number;
  /** A number in [0, 1); injected so tests are deterministic. */
  random?: () => number;
}

/**
 * Probes of an unreachable platform: 15 s, then 30 s, then every 45 s, each ±20 %. The floor keeps a
 * dead platform from being hammered; the ceiling (under the 60 s) bounds how long a platform
 * that listens again waits to be noticed: at most 45 s, plus one probe deadline if the last failed
 * probe hung. The jitter spreads the agents an outage hit at the same instant.
 */
export const PLATFORM_PROBE = { firstMs: 15_000, maxMs: 45_000, jitter: 0.2 } as const;

/** Wait before probe `probe` (1-based) of an outage: min(first × 2^(probe-1), max), jittered, within [first, max]. */
export function probeDelay(probe: number, options: ProbeIntervalOptions): number {
  const n = Math.max(1, Math.floor(Number.isFinite(probe) ? probe : 1));
  const exact = Math.min(options.firstMs * 2 ** (n - 1), options.maxMs);
  const jitter = clamp(options.jitter, 0, 1);
  const random = clamp((options.random ?? Math.random)(), 0, 1);
  const jittered = Math.round(exact * (1 + jitter * (2 * random - 1)));
  return clamp(jittered, options.firstMs, Math.max(options.firstMs, options.maxMs));
}

function clamp(value: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, Number.isNaN(value) ? min : value));
}
