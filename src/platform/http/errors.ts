import type { FastifyError, FastifyInstance } from 'fastify';
import { describeValidation, sendError } from '../../contract/error-envelope.ts';

/**
 * Every error leaves as JSON `{ error, message }`. Validation errors name the parameter; a 5xx is
 * logged with its stack and answered without internals.
 */
export function installErrorHandling(app: FastifyInstance, bodyLimit: number): void {
  app.setErrorHandler((err: FastifyError, request, reply) => {
    if (err.validation) {
      const { field, message } = describeValidation(err.validation, err.validationContext);
      return sendError(reply, 400, message, { field });
    }
    const status = typeof err.statusCode === 'number' && err.statusCode >= 400 && err.statusCode < 600 ? err.statusCode : 500;
    if (status >= 500) {
      request.log.error({ err }, 'request failed');
      return sendError(reply, status, 'the platform could not complete the request');
    }
    if (status === 413) return sendError(reply, 413, `request body exceeds ${bodyLimit} bytes`);
    return sendError(reply, status, err.message);
  });
  // Never echo the URL: DELETE /api/v1/tokens/{token} with a typo would print a token.
  app.setNotFoundHandler((_request, reply) => sendError(reply, 404, 'no such route'));
}
