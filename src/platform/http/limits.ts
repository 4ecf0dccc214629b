import type { FastifyReply, FastifyRequest } from 'fastify';
import type { ConcurrencyGate, RateLimiter } from '../rate-limit.ts';
import type { SharedConcurrencyGate, SharedRateLimiter } from '../redis/limits.ts';
import { title } from './errors.ts';

/** Seconds a client is told to wait after spending its per-minute budget (spec 000: 60). */
export const RATE_LIMIT_RETRY_AFTER = 60;
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
 * Retry-After: 60 once spent), then take one of its in-flight slots (429 with Retry-After: 1 when
 * all are taken). The slot is given back when the response closes, whether it finished or the
 * client went away.
 */
export function limitsHook(limiter: RateLimiter | SharedRateLimiter, gate: ConcurrencyGate | SharedConcurrencyGate, limit: number) {
  return async (request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply | undefined> => {
    const principal = request.principal;
    if (!principal) return undefined;
    const budget = await limiter.hit(principal.key);
    reply.header('X-RateLimit-Limit', String(limit));
    reply.header('X-RateLimit-Remaining', String(budget.remaining));
    if (!budget.allowed) {
      return tooMany(reply, RATE_LIMIT_RETRY_AFTER, 'Rate limit exceeded', `more than ${limit} requests in a minute`);
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
