import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyReply, FastifyRequest, onRequestAsyncHookHandler } from 'fastify';
import { sendError } from '../../contract/error-envelope.ts';

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

/** What an Authorization header says about the expected token. */
export type BearerCheck = 'ok' | 'missing' | 'malformed' | 'invalid';

/**
 * `missing`: no header at all; `malformed`: a header that is not exactly `Bearer <token>` (another
 * scheme, no token, `Bearer <token> junk`); `invalid`: a well-formed header with another token.
 */
export function checkBearer(header: string | undefined, expected: string): BearerCheck {
  if (header === undefined || header.trim() === '') return 'missing';
  const given = bearerToken(header);
  if (given === undefined) return 'malformed';
  return tokenMatches(given, expected) ? 'ok' : 'invalid';
}

const REFUSALS: Record<Exclude<BearerCheck, 'ok'>, string> = {
  missing: 'missing bearer token (Authorization: Bearer <ATOM_ADMIN_TOKEN>)',
  malformed: 'malformed Authorization header: expected exactly "Bearer <ATOM_ADMIN_TOKEN>"',
  invalid: 'invalid bearer token',
};

/** 401 with `WWW-Authenticate: Bearer` unless the request carries the token; undefined when it does. */
export function refuseWithoutToken(request: FastifyRequest, reply: FastifyReply, token: string): FastifyReply | undefined {
  const check = checkBearer(request.headers.authorization, token);
  if (check === 'ok') return undefined;
  reply.header('WWW-Authenticate', 'Bearer');
  return sendError(reply, 401, REFUSALS[check]);
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
    return refuseWithoutToken(request, reply, adminToken);
  };
}
