import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  classifyOutcome, parseRetryAfter, isRetryable, DEFAULT_RETRY_AFTER_MS, MAX_RETRY_AFTER_MS, type RawOutcome,
} from '../../src/policy/outcome.ts';

const NOW = Date.parse('2026-03-01T12:00:00Z');

describe('classifyOutcome', () => {
  it.each([
    [200, 'ok'], [204, 'ok'], [401, 'auth'], [403, 'auth'], [429, 'rateLimited'], [408, 'transient'],
    [500, 'transient'], [502, 'transient'], [503, 'transient'], [504, 'transient'], [400, 'invalid'],
    [404, 'invalid'], [409, 'invalid'], [413, 'invalid'], [301, 'invalid'],
  ])('HTTP %i → %s', (status, kind) => {
    expect(classifyOutcome({ status }, NOW).kind).toBe(kind);
  });

  it('network errors and timeouts are transient', () => {
    for (const code of ['ECONNREFUSED', 'ECONNRESET', 'UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT', 'ETIMEDOUT']) {
      expect(classifyOutcome({ error: { code, message: 'x' } }, NOW)).toMatchObject({ kind: 'transient', status: null });
    }
    expect(classifyOutcome({ error: { name: 'AbortError' } }, NOW).kind).toBe('transient');
  });

  it('honours Retry-After in seconds and as an HTTP date; defaults to 60 s', () => {
    expect(classifyOutcome({ status: 429, retryAfter: '60' }, NOW)).toMatchObject({ kind: 'rateLimited', retryAfterMs: 60_000 });
    expect(classifyOutcome({ status: 429, retryAfter: new Date(NOW + 5000).toUTCString() }, NOW)).toMatchObject({ retryAfterMs: 5000 });
    expect(classifyOutcome({ status: 429 }, NOW)).toMatchObject({ retryAfterMs: DEFAULT_RETRY_AFTER_MS });
    expect(classifyOutcome({ status: 429, retryAfter: 'soon' }, NOW)).toMatchObject({ retryAfterMs: DEFAULT_RETRY_AFTER_MS });
    // 503 with a stated return time is maintenance: wait as told rather than hammering.
    expect(classifyOutcome({ status: 503, retryAfter: '120' }, NOW)).toMatchObject({ kind: 'rateLimited', retryAfterMs: 120_000 });
  });

  it('parseRetryAfter clamps a past date to 0 and a far one to the maximum', () => {
    expect(parseRetryAfter(new Date(NOW - 10_000).toUTCString(), NOW)).toBe(0);
    expect(parseRetryAfter('99999999', NOW)).toBe(MAX_RETRY_AFTER_MS);
    expect(parseRetryAfter('tomorrow', NOW)).toBeUndefined();
    expect(parseRetryAfter('', NOW)).toBeUndefined();
  });

  // Total: any status, header or error yields exactly one kind, never a throw, never NaN.
  it('is total over every input', () => {
    const raw: fc.Arbitrary<RawOutcome> = fc.oneof(
      fc.record({ status: fc.integer({ min: -10, max: 1100 }), retryAfter: fc.option(fc.string(), { nil: undefined }), message: fc.option(fc.string(), { nil: undefined }) }),
      fc.record({ status: fc.integer({ min: 100, max: 599 }), retryAfter: fc.oneof(fc.nat().map(String), fc.date({ noInvalidDate: true }).map((d) => d.toUTCString())) }),
      fc.record({ error: fc.record({ code: fc.option(fc.string(), { nil: undefined }), name: fc.option(fc.string(), { nil: undefined }), message: fc.option(fc.string(), { nil: undefined }) }) }),
    );
    fc.assert(
      fc.property(raw, fc.integer({ min: 0, max: 4_102_444_800_000 }), (input, now) => {
        const outcome = classifyOutcome(input, now);
        expect(['ok', 'auth', 'rateLimited', 'transient', 'invalid']).toContain(outcome.kind);
        if (outcome.kind === 'rateLimited') {
          expect(Number.isFinite(outcome.retryAfterMs)).toBe(true);
          expect(outcome.retryAfterMs).toBeGreaterThanOrEqual(0);
          expect(outcome.retryAfterMs).toBeLessThanOrEqual(MAX_RETRY_AFTER_MS);
        }
        if ('status' in input && input.status >= 200 && input.status < 300) expect(outcome.kind).toBe('ok');
      }),
      { numRuns: 2000 },
    );
  });
});

describe('isRetryable', () => {
  it('retries GETs and idempotent POSTs on transient and rate-limited failures only', () => {
    const transient = classifyOutcome({ status: 503 }, NOW);
    const invalid = classifyOutcome({ status: 400 }, NOW);
    expect(isRetryable(transient, { method: 'GET' })).toBe(true);
    expect(isRetryable(transient, { method: 'POST' })).toBe(false);
    expect(isRetryable(transient, { method: 'POST', idempotent: true })).toBe(true);
    expect(isRetryable(invalid, { method: 'GET' })).toBe(false);
    expect(isRetryable(classifyOutcome({ status: 401 }, NOW), { method: 'GET' })).toBe(false);
  });
});
