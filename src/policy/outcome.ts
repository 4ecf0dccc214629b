// One pure function classifies every outcome of a platform request into a kind; the charts'
// guards match the kind (STYLE.md rule 12) instead of re-parsing status codes or messages. The kinds
// are the charts' own (machines/failure.ts); an Outcome is the classified request, not yet a Failure.

import type { FailureKind } from '../../machines/failure.ts';

export type Outcome =
  | { kind: 'ok'; status: number }
  | { kind: 'auth'; status: number; message: string }
  | { kind: 'rateLimited'; status: number; retryAfterMs: number; message: string }
  | { kind: 'transient'; status: number | null; message: string }
  | { kind: 'invalid'; status: number; message: string };

/** A request that did not succeed, classified: what the client throws as a PlatformError. */
export type FailedOutcome = Exclude<Outcome, { kind: 'ok' }>;

// A failed outcome's kinds are exactly the charts' FailureKinds: adding one on either side fails to compile.
type KindsMatch = [FailedOutcome['kind']] extends [FailureKind] ? ([FailureKind] extends [FailedOutcome['kind']] ? true : false) : false;
const kindsMatch: KindsMatch = true;
void kindsMatch;

/** What a request ended with: a response (status and Retry-After header) or an error before one. */
export type RawOutcome =
  | { status: number; retryAfter?: string | null; message?: string }
  | { error: { code?: string; name?: string; message?: string } };

/** Used when a 429 or 503 carries no usable Retry-After (spec 000 answers `Retry-After: 60`). */
export const DEFAULT_RETRY_AFTER_MS = 60_000;
/** A hostile or broken Retry-After cannot park the agent for more than this. */
export const MAX_RETRY_AFTER_MS = 60 * 60_000;

/**
 * Total over every input: any status, any header text, any error. 401/403 → auth; 429 → rateLimited;
 * 408, 425, 5xx, and every network error or timeout → transient; other 4xx → invalid;
 * 503 with Retry-After → rateLimited (maintenance with a stated return time); 1xx/3xx → invalid.
 */
export function classifyOutcome(raw: RawOutcome, now: number): Outcome {
  if ('error' in raw) {
    const what = raw.error.code ?? raw.error.name ?? 'error';
    return { kind: 'transient', status: null, message: `${what}: ${raw.error.message ?? 'request failed'}` };
  }
  const { status } = raw;
  const message = raw.message ?? `HTTP ${status}`;
  if (status >= 200 && status < 300) return { kind: 'ok', status };
  if (status === 401 || status === 403) return { kind: 'auth', status, message };
  if (status === 429) {
    return { kind: 'rateLimited', status, retryAfterMs: parseRetryAfter(raw.retryAfter, now) ?? DEFAULT_RETRY_AFTER_MS, message };
  }
  if (status === 503 && raw.retryAfter) {
    const retryAfterMs = parseRetryAfter(raw.retryAfter, now);
    if (retryAfterMs !== undefined) return { kind: 'rateLimited', status, retryAfterMs, message };
  }
  if (status === 408 || status === 425 || (status >= 500 && status < 600)) return { kind: 'transient', status, message };
  return { kind: 'invalid', status, message };
}

/**
 * Retry-After as delay-seconds or as an HTTP date (RFC 9110 §10.2.3), in ms from `now`,
 * clamped to [0, MAX_RETRY_AFTER_MS]; undefined when the header is missing or unreadable.
 */
export function parseRetryAfter(header: string | null | undefined, now: number): number | undefined {
  if (header === null || header === undefined) return undefined;
  const text = header.trim();
  if (/^\d+$/.test(text)) return Math.min(Number(text) * 1000, MAX_RETRY_AFTER_MS);
  // Only a date that names its time zone counts; "Retry-After: tomorrow" must not parse.
  if (!/GMT$|UTC$|[+-]\d{4}$/.test(text)) return undefined;
  const at = Date.parse(text);
  if (!Number.isFinite(at)) return undefined;
  return Math.min(Math.max(0, at - now), MAX_RETRY_AFTER_MS);
}

/** Whether the same request may be sent again. POSTs only when they carry an idempotency key. */
export function isRetryable(outcome: Pick<Outcome, 'kind'>, request: { method: string; idempotent?: boolean }): boolean {
  if (outcome.kind !== 'transient' && outcome.kind !== 'rateLimited') return false;
  const method = request.method.toUpperCase();
  return method === 'GET' || method === 'HEAD' || method === 'PUT' || method === 'DELETE' || request.idempotent === true;
}
