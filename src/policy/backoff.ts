// Backoff math as tiny pure functions: the charts' named delays and the retry loops call these,
// and property tests pin their bounds.

export interface BackoffOptions {
  /** Delay before the first retry. */
  baseMs: number;
  /** Ceiling of any delay. */
  maxMs: number;
  /** Share of the delay that is randomised, 0..1: 0.2 gives delay × [0.8, 1.2] (then capped at maxMs). */
  jitter?: number;
  /** A number in [0, 1); injected so tests are deterministic. */
  random?: () => number;
}

/**
 * Delay before attempt `attempt` (1-based): min(base × 2^(attempt-1), max), with optional jitter.
 * With base 1 s and max 16 s: 1, 2, 4, 8, 16, 16, … seconds (spec 000 "Reconnection Strategy").
 */
export function backoffDelay(attempt: number, options: BackoffOptions): number {
  const n = Math.max(1, Math.floor(attempt));
  // 2^(n-1) overflows to Infinity for large n; min() then caps it, so no special case is needed.
  const exact = Math.min(options.baseMs * 2 ** (n - 1), options.maxMs);
  const jitter = clamp(options.jitter ?? 0, 0, 1);
  if (jitter === 0) return exact;
  const random = options.random ?? Math.random;
  const factor = 1 - jitter + 2 * jitter * clamp(random(), 0, 1);
  return Math.min(Math.round(exact * factor), options.maxMs);
}

/** Reconnect schedule of the WebSocket: 1 s doubling to 16 s. */
export const RECONNECT_BACKOFF = { baseMs: 1_000, maxMs: 16_000 } as const;

/** Retry schedule of an HTTP sync step: 1, 2, 4 s (spec 000 "Retry Strategy"), then give up. */
export const SYNC_RETRY = { baseMs: 1_000, maxMs: 4_000, maxRetries: 3 } as const;

function clamp(value: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, value));
}
