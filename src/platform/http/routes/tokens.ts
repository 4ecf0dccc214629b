import type { TypedApp, RouteContext } from '../context.ts';
import { apiErrors } from '../schemas/common.ts';
import { TokenCreateBody, TokenCreated, TokenParams, TokenRevoked } from '../schemas/token.ts';
import { requireAdmin } from '../auth.ts';
import { sendError } from '../../../contract/error-envelope.ts';

/**
 * Token administration (admin token only). A new token appears exactly once, in the body of
 * the POST that created it; the platform keeps only its hash.
 */
export function registerTokenRoutes(app: TypedApp, { store }: RouteContext): void {
  app.post('/tokens', {
    onRequest: requireAdmin,
    schema: { body: TokenCreateBody, response: { 201: TokenCreated, ...apiErrors(403) } },
  }, async (request, reply) => {
    const issued = await store.tokens.issue(request.body.instance_id, request.body.description ?? '');
    return reply.code(201).header('Cache-Control', 'no-store').send(issued);
  });

  app.delete('/tokens/:token', {
    onRequest: requireAdmin,
    schema: { params: TokenParams, response: { 200: TokenRevoked, ...apiErrors(403, 404) } },
  }, async (request, reply) => {
    const revoked = await store.tokens.revoke(request.params.token);
    if (!revoked) return sendError(reply, 404, 'token not found');
    // Its open push sockets go too (the hub is decorated after these routes register, so look it up now).
    request.server.platform?.hub?.disconnectToken(request.params.token);
    return { revoked: true, ...revoked };
  });
}
