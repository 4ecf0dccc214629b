import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyReply, FastifyRequest, onRequestAsyncHookHandler } from 'fastify';
import { sendError } from '../errors.ts';

const sha256 = (text: string): Buffer => createHash('sha256').update(text, 'utf8').digest();

/**
 * Compares in constant time. Hashing both sides first gives equal-length buffers, so neither the
 * comparison nor a length check leaks how much of the token was right.
 */
export function tokenMatches(given: string, expected: string): boolean {
  return timingSafeEqual(sha256(given), sha256(expected));
}

/** The token of an `Authorization: Bearer <token>` header, or undefined. */
export function bearerToken(header: string | undefined): string | undefined {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '');
  return match?.[1];
}

/**
 * onRequest hook of /api/admin/*. Without ATOM_ADMIN_TOKEN the admin API is off (503 saying how to
 * turn it on) rather than open: an unset token must never mean "no auth".
 */
export function adminAuthHook(adminToken: string | undefined): onRequestAsyncHookHandler {
  return async (request: FastifyRequest, reply: FastifyReply) => {
    if (adminToken === undefined || adminToken === '') {
      return sendError(reply, 503, 'the admin API is disabled: set ATOM_ADMIN_TOKEN (at least 16 characters) and restart the agent');
    }
    const given = bearerToken(request.headers.authorization);
    if (given === undefined || !tokenMatches(given, adminToken)) {
      reply.header('WWW-Authenticate', 'Bearer');
      return sendError(reply, 401, given === undefined ? 'missing bearer token (Authorization: Bearer <ATOM_ADMIN_TOKEN>)' : 'invalid bearer token');
    }
  };
}
