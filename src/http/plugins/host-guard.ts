import { isIP } from 'node:net';
import type { FastifyReply, FastifyRequest, onRequestAsyncHookHandler } from 'fastify';
import { isWildcardHost, normalHostName, parseAllowedHosts } from '../../config/bind-rules.ts';
import { sendError } from '../../contract/error-envelope.ts';

// DNS rebinding: a web page at attacker.example re-points its name at 127.0.0.1 and then talks to the
// shell as its own origin. The browser still sends `Host: attacker.example`, so the shell answers
// only the names it serves; a refused request is answered before any body is read or any route runs.

export interface HostPolicy {
  names: ReadonlySet<string>;
  /** Bound to 0.0.0.0 or ::: every address of the machine is served, so any IP literal is ours. */
  anyIpLiteral: boolean;
}

/** 127.0.0.1, ::1, localhost, the bind address (unless a wildcard) and ATOM_HTTP_ALLOWED_HOSTS. */
export function hostPolicy(http: { host: string; allowedHosts: string }): HostPolicy {
  const names = new Set(['127.0.0.1', '::1', 'localhost', ...parseAllowedHosts(http.allowedHosts).hosts]);
  if (!isWildcardHost(http.host)) names.add(normalHostName(http.host));
  return { names, anyIpLiteral: isWildcardHost(http.host) };
}

/** `name`, `name:port`, `1.2.3.4:port`, `[v6]` or `[v6]:port` → the name; anything else → undefined. */
export function hostNameOf(header: string | undefined): string | undefined {
  const match = /^(\[[0-9a-fA-F:.]+\]|[^:[\]\s/@]+)(?::\d{1,5})?$/.exec(header ?? '');
  return match ? normalHostName(match[1]!) : undefined;
}

/** Whether a request with this Host header is addressed to this shell. A missing Host is not. */
export function hostAllowed(header: string | undefined, policy: HostPolicy): boolean {
  const name = hostNameOf(header);
  if (name === undefined) return false;
  return policy.names.has(name) || (policy.anyIpLiteral && isIP(name) !== 0);
}

/** onRequest hook of every route (the 404 handler included): 421 for a Host this shell does not serve. */
export function hostGuardHook(policy: HostPolicy): onRequestAsyncHookHandler {
  return async (request: FastifyRequest, reply: FastifyReply) => {
    if (hostAllowed(request.headers.host, policy)) return undefined;
    // The header is the caller's text: not echoed, not logged above debug (a rebinding page can send many).
    request.log.debug({ host: String(request.headers.host ?? '').slice(0, 100) }, 'request for a host this shell does not serve');
    reply.header('Connection', 'close');
    return sendError(reply, 421, 'this agent does not serve the host named in the Host header; it answers 127.0.0.1, [::1], localhost, ATOM_HTTP_HOST and ATOM_HTTP_ALLOWED_HOSTS');
  };
}
