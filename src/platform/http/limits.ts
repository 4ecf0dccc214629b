import type { FastifyReply, FastifyRequest } from 'fastify';
import type { ConcurrencyGate, RateLimiter } from '../rate-limit.ts';
import type { SharedConcurrencyGate, SharedRateLimiter } from '../redis/limits.ts';
import { title } from '../../contract/error-envelope.ts';

/**
 * The budget fields of every answer: the X-RateLimit-* pair spec 000 names, and the IETF draft
 * (draft-ietf-httpapi-ratelimit-headers-10) `RateLimit-Policy` (q quota, w window in seconds) and
 * `RateLimit` (r remaining, t seconds until the window frees). t is rounded up: a client that
 * waits t seconds never arrives before the window has freed.
 */
export function budgetFields(limit: number, windowMs: number, remaining: number, resetInMs: number): Record<string, string> {
  return {
    'X-RateLimit-Limit': String(limit),
    'X-RateLimit-Remaining': String(remaining),
    'RateLimit-Policy': `"default";q=${limit};w=${Math.ceil(windowMs / 1000)}`,
    RateLimit: `"default";r=${remaining};t=${secondsUntil(resetInMs)}`,
  };
}

/** Whole seconds until `ms` have passed, rounded up, at least 1 (Retry-After: 0 would invite a storm). */
export function secondsUntil(ms: number): number {
  return Math.max(1, Math.ceil(ms / 1000));
}
/** In-flight requests free up within a second or so: retry soon, not after a whole window. */
export const CONCURRENCY_RETRY_AFTER = 1;

function tooMany(reply: FastifyReply, retryAfter: number, error: string, message: string): FastifyReply {
  return reply
    .code(429)
    .header('Retry-After', String(retryAfter))
    .send({ error, message, retry_after: retryAfter });
}

/**
 * onRequest, after authentication: spend one unit of the token's per-minute budget (429 with
 * Retry-After: the seconds until the window frees, once spent), then take one of its in-flight slots (429 with Retry-After: 1 when
 * all are taken). The slot is given back when the response closes, whether it finished or the
 * client went away.
 */
export function limitsHook(limiter: RateLimiter | SharedRateLimiter, gate: ConcurrencyGate | SharedConcurrencyGate, limit: number) {
  return async (request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply | undefined> => {
    const principal = request.principal;
    if (!principal) return undefined;
    const budget = await limiter.hit(principal.key);
    reply.headers(budgetFields(limit, limiter.windowMs, budget.remaining, budget.resetInMs));
    if (!budget.allowed) {
      // The real time until the window frees (spec 000 says 60, the longest it can be).
      return tooMany(reply, secondsUntil(budget.resetInMs), 'Rate limit exceeded', `more than ${limit} requests in a minute`);
    }
    if (!(await gate.tryAcquire(principal.key))) {
      return tooMany(reply, CONCURRENCY_RETRY_AFTER, title(429), 'too many concurrent requests for this token');
    }
    let released = false;
    const release = (): void => {
      if (released) return;
      released = true;
      gate.release(principal.key);
    };
    // A shared (Redis) gate answers asynchronously: the client may have gone in the meantime.
    if (reply.raw.destroyed) release();
    else reply.raw.once('close', release);
    return undefined;
  };
}
