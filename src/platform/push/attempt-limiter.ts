// Connection-attempt policy (spec 000: 10 attempts per minute), per token. An exact sliding
// window: an attempt is admitted while fewer than `limit` admitted attempts lie in the last
// `windowMs`. Refused attempts are not recorded, so a client that backs off is not locked out
// for longer than the window.

import { createHash } from 'node:crypto';

export interface SlidingWindowPolicy {
  limit: number;
  windowMs: number;
}

export interface AttemptDecision {
  allowed: boolean;
  /** When refused: how long until the oldest admitted attempt leaves the window (≥ 1 ms). */
  retryAfterMs: number;
}

/** `history`: times of admitted attempts, oldest first. Returns the decision and the new history. */
export function admitAttempt(
  history: readonly number[],
  now: number,
  policy: SlidingWindowPolicy,
): AttemptDecision & { history: number[] } {
  const windowStart = now - policy.windowMs;
  const recent = history.filter((t) => t > windowStart);
  if (recent.length < policy.limit) return { allowed: true, retryAfterMs: 0, history: [...recent, now] };
  const oldest = recent[0] ?? now;
  // A clock that stepped backwards could put `oldest` in the future: never ask for more than a window.
  const retryAfterMs = Math.min(policy.windowMs, Math.max(1, oldest + policy.windowMs - now));
  return { allowed: false, retryAfterMs, history: recent };
}

/** Map key for a token: a digest, so the limiter never holds a usable secret in memory dumps. */
export function tokenKey(token: string): string {
  return createHash('sha256').update(token).digest('base64url');
}

/** Per-token sliding windows, bounded in memory: expired keys go first, then the oldest key. */
export class ConnectAttemptLimiter {
  private readonly windows = new Map<string, number[]>();

  private readonly policy: SlidingWindowPolicy;
  private readonly maxKeys: number;

  constructor(policy: SlidingWindowPolicy, maxKeys: number = 10_000) {
    this.policy = policy;
    this.maxKeys = maxKeys;
  }

  attempt(token: string, now: number): AttemptDecision {
    const key = tokenKey(token);
    const history = this.windows.get(key);
    if (history === undefined) this.makeRoom(now);
    const decision = admitAttempt(history ?? [], now, this.policy);
    // Re-insert so Map order approximates least-recently-used for eviction.
    this.windows.delete(key);
    this.windows.set(key, decision.history);
    return { allowed: decision.allowed, retryAfterMs: decision.retryAfterMs };
  }

  get size(): number {
    return this.windows.size;
  }

  private makeRoom(now: number): void {
    if (this.windows.size < this.maxKeys) return;
    const windowStart = now - this.policy.windowMs;
    for (const [key, history] of this.windows) {
      const newest = history[history.length - 1];
      if (newest === undefined || newest <= windowStart) this.windows.delete(key);
    }
    // Still full of live windows (a flood of distinct tokens): forget the least recently seen.
    while (this.windows.size >= this.maxKeys) {
      const oldestKey = this.windows.keys().next().value;
      if (oldestKey === undefined) break;
      this.windows.delete(oldestKey);
    }
  }
}
