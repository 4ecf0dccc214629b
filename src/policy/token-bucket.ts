// Inbound rate policy (spec 000: 100 messages per second per client), as a pure function so its
// bound can be property-tested: over any interval of t ms a client gets at most
// capacity + refillPerSecond * t / 1000 messages through, and a client that stays under the rate
// never loses one.

export interface TokenBucketPolicy {
  /** The largest burst; also the bucket's starting level. */
  capacity: number;
  refillPerSecond: number;
}

export interface TokenBucket {
  tokens: number;
  /** When `tokens` was last brought up to date (ms). */
  updatedAt: number;
}

export function fullBucket(policy: TokenBucketPolicy, now: number): TokenBucket {
  return { tokens: policy.capacity, updatedAt: now };
}

/** Takes one token if there is one. A clock that steps backwards refills nothing. */
export function takeToken(
  bucket: TokenBucket,
  now: number,
  policy: TokenBucketPolicy,
): { allowed: boolean; bucket: TokenBucket } {
  const elapsedMs = Math.max(0, now - bucket.updatedAt);
  const refilled = Math.min(policy.capacity, bucket.tokens + (elapsedMs * policy.refillPerSecond) / 1000);
  const updatedAt = Math.max(now, bucket.updatedAt);
  if (refilled >= 1) return { allowed: true, bucket: { tokens: refilled - 1, updatedAt } };
  return { allowed: false, bucket: { tokens: refilled, updatedAt } };
}
