import type { FastifyReply, FastifyRequest, onRequestAsyncHookHandler } from 'fastify';
import { isLoopbackHost } from '../../config/bind-rules.ts';
import { sendError } from '../../contract/error-envelope.ts';
import { refuseWithoutToken } from './admin-auth.ts';

const READS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * onRequest hook of the local marketplace API. On loopback its writes stay open to local processes
 * (what a local Atom expects); bound to anything else the network can reach them, so they take
 * ATOM_ADMIN_TOKEN (config validation refuses such a bind without one; 503 here if it got through).
 */
export function localWriteAuthHook(http: { host: string; adminToken: string | undefined }): onRequestAsyncHookHandler {
  const open = isLoopbackHost(http.host);
  return async (request: FastifyRequest, reply: FastifyReply) => {
    if (open || READS.has(request.method)) return undefined;
    if (http.adminToken === undefined || http.adminToken === '') {
      return sendError(reply, 503, 'the local API\'s write routes are disabled on a non-loopback bind: set ATOM_ADMIN_TOKEN and restart the agent');
    }
    return refuseWithoutToken(request, reply, http.adminToken);
  };
}
