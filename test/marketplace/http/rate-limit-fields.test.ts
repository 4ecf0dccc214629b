import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { readBudgetFields } from '../../../src/marketplace/http/rate-limit-fields.ts';

const NOW = Date.parse('2026-03-01T00:00:00Z');
const headers = (h: Record<string, string>) => (name: string) => h[name];

describe('readBudgetFields: every dialect of the budget a platform may send', () => {
  it('reads the IETF draft fields (RateLimit-Policy q/w, RateLimit r/t)', () => {
    expect(readBudgetFields(200, headers({ 'ratelimit-policy': '"default";q=100;w=60', ratelimit: '"default";r=42;t=17' }), NOW))
      .toEqual({ status: 200, limit: 100, remaining: 42, resetInMs: 17_000, windowMs: 60_000 });
  });

  it('reads the older drafts: a RateLimit dictionary, or separate RateLimit-Limit/-Remaining/-Reset', () => {
    expect(readBudgetFields(200, headers({ ratelimit: 'limit=100, remaining=5, reset=9' }), NOW)).toEqual({ status: 200, limit: 100, remaining: 5, resetInMs: 9000 });
    expect(readBudgetFields(200, headers({ 'ratelimit-limit': '100, 100;w=60', 'ratelimit-remaining': '3', 'ratelimit-reset': '2' }), NOW))
      .toEqual({ status: 200, limit: 100, remaining: 3, resetInMs: 2000 });
  });

  it('reads X-RateLimit-*, with X-RateLimit-Reset as seconds or as an epoch time', () => {
    expect(readBudgetFields(200, headers({ 'x-ratelimit-limit': '100', 'x-ratelimit-remaining': '7' }), NOW)).toEqual({ status: 200, limit: 100, remaining: 7 });
    expect(readBudgetFields(200, headers({ 'x-ratelimit-limit': '100', 'x-ratelimit-remaining': '7', 'x-ratelimit-reset': String(NOW / 1000 + 30) }), NOW))
      .toEqual({ status: 200, limit: 100, remaining: 7, resetInMs: 30_000 });
  });

  it('reads Retry-After as seconds or as an HTTP date', () => {
    expect(readBudgetFields(429, headers({ 'retry-after': '18' }), NOW)).toEqual({ status: 429, retryAfterMs: 18_000 });
    expect(readBudgetFields(429, headers({ 'retry-after': new Date(NOW + 5000).toUTCString() }), NOW)).toEqual({ status: 429, retryAfterMs: 5000 });
  });

  it('ignores what it cannot read instead of trusting it: any header text gives a plain, bounded observation', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.constantFrom('ratelimit', 'ratelimit-policy', 'x-ratelimit-limit', 'x-ratelimit-remaining', 'x-ratelimit-reset', 'retry-after', 'ratelimit-reset'), fc.string()), (h) => {
        const seen = readBudgetFields(200, headers(h), NOW);
        for (const value of [seen.limit, seen.remaining, seen.resetInMs, seen.retryAfterMs, seen.windowMs]) {
          if (value !== undefined) expect(Number.isFinite(value) && value >= 0).toBe(true);
        }
        if (seen.resetInMs !== undefined) expect(seen.resetInMs).toBeLessThanOrEqual(24 * 3600 * 1000);
        if (seen.limit !== undefined) expect(seen.limit).toBeGreaterThan(0);
      }),
    );
  });
});
