import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ConnectAttemptLimiter, admitAttempt, tokenKey } from '../../../src/platform/push/attempt-limiter.ts';
import { classifyInbound } from '../../../src/platform/push/inbound.ts';
import { resolvePushHubOptions } from '../../../src/platform/push/options.ts';
import { fullBucket, takeToken, type TokenBucketPolicy } from '../../../src/policy/token-bucket.ts';
import { Registry } from 'prom-client';

/** Non-decreasing arrival times (ms) built from gaps. */
const arrivals = (maxGapMs: number, maxLength: number) =>
  fc
    .array(fc.integer({ min: 0, max: maxGapMs }), { minLength: 1, maxLength, size: 'max' })
    .map((gaps) => gaps.reduce<number[]>((times, gap) => [...times, (times.at(-1) ?? 1_000_000) + gap], []));

function runBucket(times: number[], policy: TokenBucketPolicy): boolean[] {
  let bucket = fullBucket(policy, times[0] ?? 0);
  return times.map((t) => {
    const taken = takeToken(bucket, t, policy);
    bucket = taken.bucket;
    return taken.allowed;
  });
}

describe('inbound token bucket', () => {
  const policyArb = fc.record({ capacity: fc.integer({ min: 1, max: 200 }), refillPerSecond: fc.integer({ min: 1, max: 200 }) });

  it('lets at most capacity + rate × t through in any interval of t ms', () => {
    fc.assert(
      fc.property(policyArb, arrivals(30, 400), (policy, times) => {
        const allowed = runBucket(times, policy);
        const violations: string[] = [];
        for (let i = 0; i < times.length; i++) {
          let admitted = 0;
          for (let j = i; j < times.length; j++) {
            if (allowed[j]) admitted += 1;
            const spanMs = times[j]! - times[i]!;
            const bound = Math.floor(policy.capacity + (policy.refillPerSecond * spanMs) / 1000 + 1e-9);
            if (admitted > bound) violations.push(`${admitted} admitted in ${spanMs} ms (bound ${bound})`);
          }
        }
        expect(violations).toEqual([]);
      }),
      { numRuns: 100 },
    );
  });

  it('never drops a message from a client that stays under the rate', () => {
    fc.assert(
      fc.property(policyArb, fc.array(fc.integer({ min: 0, max: 50 }), { maxLength: 300 }), (policy, extraGaps) => {
        const minGap = Math.ceil(1000 / policy.refillPerSecond);
        const times = extraGaps.reduce<number[]>((acc, extra) => [...acc, (acc.at(-1) ?? 0) + minGap + extra], [0]);
        expect(runBucket(times, policy).every(Boolean)).toBe(true);
      }),
    );
  });

  it('admits exactly `capacity` of a burst at one instant, and refills nothing when the clock steps back', () => {
    fc.assert(
      fc.property(policyArb, fc.integer({ min: 1, max: 10_000 }), (policy, stepBackMs) => {
        const burst = Array.from({ length: policy.capacity + 20 }, () => 5_000_000);
        expect(runBucket(burst, policy).filter(Boolean).length).toBe(policy.capacity);
        let bucket = { tokens: 0, updatedAt: 5_000_000 };
        const taken = takeToken(bucket, 5_000_000 - stepBackMs, policy);
        bucket = taken.bucket;
        expect(taken.allowed).toBe(false);
        expect(bucket.updatedAt).toBe(5_000_000);
      }),
    );
  });
});

describe('connection attempt sliding window', () => {
  const policyArb = fc.record({ limit: fc.integer({ min: 1, max: 15 }), windowMs: fc.integer({ min: 100, max: 60_000 }) });

  it('admits an attempt exactly when fewer than `limit` admitted attempts lie in the last window', () => {
    fc.assert(
      fc.property(policyArb, arrivals(20_000, 120), (policy, times) => {
        let history: number[] = [];
        const admittedAt: number[] = [];
        for (const now of times) {
          const decision = admitAttempt(history, now, policy);
          history = decision.history;
          const inWindow = admittedAt.filter((t) => t > now - policy.windowMs).length;
          expect(decision.allowed).toBe(inWindow < policy.limit);
          if (decision.allowed) admittedAt.push(now);
          else {
            expect(decision.retryAfterMs).toBeGreaterThanOrEqual(1);
            expect(decision.retryAfterMs).toBeLessThanOrEqual(policy.windowMs);
            // Waiting as told is enough.
            expect(admitAttempt(history, now + decision.retryAfterMs, policy).allowed).toBe(true);
          }
          expect(history.length).toBeLessThanOrEqual(policy.limit);
        }
      }),
    );
  });

  it('keeps memory bounded and keys by digest, never by the token itself', () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.string({ minLength: 6, maxLength: 40 }), { minLength: 1, maxLength: 60 }), (tokens) => {
        const limiter = new ConnectAttemptLimiter({ limit: 2, windowMs: 60_000 }, 16);
        tokens.forEach((token, i) => limiter.attempt(token, 1_000 + i));
        expect(limiter.size).toBeLessThanOrEqual(16);
        for (const token of tokens) {
          expect(tokenKey(token)).not.toContain(token);
          expect(tokenKey(token)).toMatch(/^[A-Za-z0-9_-]{43}$/);
        }
      }),
    );
  });

  it('refuses the 11th attempt of one token within a minute, not another token', () => {
    const limiter = new ConnectAttemptLimiter({ limit: 10, windowMs: 60_000 });
    const results = Array.from({ length: 11 }, (_, i) => limiter.attempt('token-a', 1_000 + i * 1_000).allowed);
    expect(results).toEqual([...Array<boolean>(10).fill(true), false]);
    expect(limiter.attempt('token-b', 11_500).allowed).toBe(true);
    expect(limiter.attempt('token-a', 61_001).allowed).toBe(true);
  });
});

describe('inbound classification', () => {
  it('accepts only a JSON object with type "pong"; anything else is never a pong', () => {
    expect(classifyInbound(Buffer.from('{"type":"pong","timestamp":"2026-02-19T10:30:00Z"}'), false)).toBe('pong');
    expect(classifyInbound(Buffer.from('{"type":"pong"}'), true)).toBe('malformed');
    expect(classifyInbound([Buffer.from('{"type":"po'), Buffer.from('ng"}')], false)).toBe('pong');
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        const kind = classifyInbound(Buffer.from(JSON.stringify(value) ?? 'null'), false);
        const isPong = typeof value === 'object' && value !== null && !Array.isArray(value) && (value as { type?: unknown }).type === 'pong';
        expect(kind === 'pong').toBe(isPong);
      }),
    );
    fc.assert(
      fc.property(fc.string(), (text) => {
        expect(['pong', 'unsupported_type', 'malformed']).toContain(classifyInbound(Buffer.from(text), false));
      }),
    );
  });
});

describe('hub options', () => {
  it('uses the spec 000 defaults and refuses non-positive limits', () => {
    const base = { authenticate: () => null, registry: new Registry() };
    const resolved = resolvePushHubOptions(base);
    expect(resolved).toMatchObject({
      pingIntervalMs: 30_000,
      pongTimeoutMs: 10_000,
      maxPayloadBytes: 1_048_576,
      maxInboundPerSecond: 100,
      maxConnectAttemptsPerMinute: 10,
    });
    expect(() => resolvePushHubOptions({ ...base, pingIntervalMs: 0, maxInboundPerSecond: -1 })).toThrow(
      /pingIntervalMs, maxInboundPerSecond/,
    );
  });
});
