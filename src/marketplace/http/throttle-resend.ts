import { PlatformError } from './platform-error.ts';

/**
 * Whether a failed request is sent again after its 429: only an idempotent one (GET, or a POST
 * with an idempotency key), only for a 429 (a 503 is an outage, the charts' business), and only
 * while the time throttled stays within `maxThrottleWaitMs` (a platform that says "come back in
 * an hour" fails the request, and the sync cycle schedules its retry from the Retry-After).
 * The wait itself is the request budget's: the 429 blocked it until the Retry-After.
 */
export function throttleResend(error: unknown, request: { method: string; idempotent: boolean; waitedMs: number; maxThrottleWaitMs: number }): boolean {
  if (!(error instanceof PlatformError) || error.kind !== 'rateLimited' || error.status !== 429) return false;
  if (request.method !== 'GET' && !request.idempotent) return false;
  return request.waitedMs + (error.retryAfterMs ?? 0) <= request.maxThrottleWaitMs;
}
