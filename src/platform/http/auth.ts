import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { PlatformData } from '../data.ts';
import { hashToken } from '../db/tokens.ts';
import type { Authenticate } from '../push/types.ts';
import { sendError } from '../../contract/error-envelope.ts';

/** Who is calling: an instance token, or the admin token that publishes and issues tokens. */
export interface Principal {
  instanceId: string;
  admin: boolean;
  /** Identifies the token (its hash) for per-token limits without keeping the token itself. */
  key: string;
}

declare module 'fastify' {
  interface FastifyRequest {
    principal?: Principal;
  }
}

export const ADMIN_INSTANCE_ID = 'admin';

/** Resolves a presented token, checking the admin token in constant time and instance tokens by hash. */
export type ResolvePrincipal = (token: string) => Promise<Principal | null>;

export function createPrincipalResolver(tokens: PlatformData['tokens'], adminToken: string | undefined): ResolvePrincipal {
  const adminDigest = adminToken ? createHash('sha256').update(adminToken).digest() : undefined;
  return async (token) => {
    if (token === '' || token.length > 4096) return null;
    const digest = createHash('sha256').update(token).digest();
    if (adminDigest && timingSafeEqual(digest, adminDigest)) {
      return { instanceId: ADMIN_INSTANCE_ID, admin: true, key: 'admin' };
    }
    const found = await tokens.lookup(token);
    return found ? { instanceId: found.instanceId, admin: false, key: hashToken(token) } : null;
  };
}

/** The push hub's view of the same token table. */
export function toAuthenticate(resolve: ResolvePrincipal): Authenticate {
  return async (token) => {
    const p = await resolve(token);
    return p ? { instanceId: p.instanceId } : null;
  };
}

/** `Authorization: Bearer <token>` (scheme case-insensitive, RFC 6750). */
export function bearerToken(header: string | undefined): string | undefined {
  if (!header) return undefined;
  const match = /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(header);
  return match?.[1];
}

/** onRequest: every /api/v1 route needs a valid token; 401 carries WWW-Authenticate: Bearer. */
export function authenticateHook(resolve: ResolvePrincipal) {
  // Async hooks that answer early return the reply, as Fastify requires, to stop the request there.
  return async (request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply | undefined> => {
    const token = bearerToken(request.headers.authorization);
    const principal = token === undefined ? null : await resolve(token);
    if (!principal) {
      reply.header('WWW-Authenticate', token === undefined ? 'Bearer realm="atom-saas"' : 'Bearer realm="atom-saas", error="invalid_token"');
      return sendError(reply, 401, token === undefined ? 'missing Bearer token' : 'the token is unknown or revoked');
    }
    request.principal = principal;
    return undefined;
  };
}

/** Route-level onRequest for publishing and token administration. */
export async function requireAdmin(request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply | undefined> {
  return request.principal?.admin ? undefined : sendError(reply, 403, 'this route needs the admin token');
}
