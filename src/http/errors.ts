import type { FastifyError, FastifyInstance, FastifyReply } from 'fastify';
import { describeValidation, title } from '../platform/http/errors.ts';

/** Sends `{ error, message }` plus any extra fields the route's schema allows (e.g. `accepts`). */
export function sendError(reply: FastifyReply, status: number, message: string, extra: Record<string, unknown> = {}): FastifyReply {
  return reply.code(status).send({ error: title(status), message, ...extra });
}

/**
 * Errors of the shell leave as JSON `{ error, message }`: a schema 400 names the field, a 5xx is
 * logged with its stack and answered without internals, an unknown route never echoes its URL.
 */
export function installErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((err: FastifyError, request, reply) => {
    if (err.validation) {
      const { message } = describeValidation(err.validation, err.validationContext);
      return sendError(reply, 400, message);
    }
    const status = typeof err.statusCode === 'number' && err.statusCode >= 400 && err.statusCode < 600 ? err.statusCode : 500;
    if (status >= 500) {
      request.log.error({ err }, 'request failed');
      return sendError(reply, status, 'the agent could not complete the request');
    }
    return sendError(reply, status, err.message);
  });
  app.setNotFoundHandler((_request, reply) => sendError(reply, 404, 'no such route'));
}
