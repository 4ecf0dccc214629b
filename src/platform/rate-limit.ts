/** Per-key request budget in fixed windows (spec 000: 100 requests/minute per Atom instance). */
export interface RateLimiter {
  readonly windowMs: number;
  /** Counts one request for `key`; refused once the window's budget is spent. */
  hit(key: string): { allowed: boolean; remaining: number; resetInMs: number };
}

export interface RateLimitOptions {
  limit: number;
  windowMs: number;
  now: () => number;
}

/**
 * A fixed window that opens on a key's first request. Cheaper and easier to reason about than a
 * sliding log; its worst case (a burst at the end of one window and the start of the next) is
 * 2 x limit in one windowMs, which is acceptable for a politeness limit. Time is injected so
 * tests cross a window without sleeping.
 */
export function createRateLimiter(options: RateLimitOptions): RateLimiter {
  const windows = new Map<string, { start: number; count: number }>();
  const prune = (t: number): void => {
    for (const [key, w] of windows) if (t - w.start >= options.windowMs) windows.delete(key);
  };
  return {
    windowMs: options.windowMs,
    hit(key) {
      const t = options.now();
      let w = windows.get(key);
      if (!w || t - w.start >= options.windowMs || t < w.start) {
        // Keys are authenticated principals, so the map stays small; sweep it now and then anyway.
        if (windows.size > 10_000) prune(t);
        w = { start: t, count: 0 };
        windows.set(key, w);
      }
      w.count++;
      const resetInMs = Math.max(0, w.start + options.windowMs - t);
      return { allowed: w.count <= options.limit, remaining: Math.max(0, options.limit - w.count), resetInMs };
    },
  };
}

/** At most `max` requests in flight per key (spec 000: 10 concurrent connections per instance). */
export interface ConcurrencyGate {
  tryAcquire(key: string): boolean;
  release(key: string): void;
  inFlight(key: string): number;
}

export function createConcurrencyGate(max: number): ConcurrencyGate {
  const counts = new Map<string, number>();
  return {
    tryAcquire(key) {
      const n = counts.get(key) ?? 0;
      if (n >= max) return false;
      counts.set(key, n + 1);
      return true;
    },
    release(key) {
      const n = (counts.get(key) ?? 0) - 1;
      if (n <= 0) counts.delete(key);
      else counts.set(key, n);
    },
    inFlight: (key) => counts.get(key) ?? 0,
  };
}
