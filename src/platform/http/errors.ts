import type { FastifyError, FastifyInstance, FastifyReply, FastifySchemaValidationError } from 'fastify';

const TITLES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  409: 'Conflict',
  413: 'Payload Too Large',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Entity',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

export function title(status: number): string {
  return TITLES[status] ?? (status >= 500 ? 'Server Error' : 'Client Error');
}

/** Sends `{ error, message }` (and `field` for a 400 about one input). */
export function sendError(reply: FastifyReply, status: number, message: string, field?: string): FastifyReply {
  return reply.code(status).send(field === undefined ? { error: title(status), message } : { error: title(status), message, field });
}

/**
 * Names the parameter or field a schema rejected: "page_size must be <= 1000".
 * Nested paths read as `tags.0`; a missing property names itself.
 */
export function describeValidation(
  errors: readonly FastifySchemaValidationError[],
  context: string | undefined,
): { field: string; message: string } {
  const first = errors[0];
  if (!first) return { field: context ?? 'request', message: `invalid ${context ?? 'request'}` };
  const params = (first.params ?? {}) as Record<string, unknown>;
  const missing = params.missingProperty ?? (Array.isArray(params.requiredProperties) ? params.requiredProperties[0] : undefined);
  const path = first.instancePath.replace(/^\//, '').replace(/\//g, '.');
  const field = first.keyword === 'required' && typeof missing === 'string'
    ? (path ? `${path}.${missing}` : missing)
    : path || (context ?? 'body');
  if (first.keyword === 'required') return { field, message: `${field} is required` };
  if (first.keyword === 'pattern' || first.keyword === 'format') {
    return { field, message: `${field} has an invalid format${params.format ? ` (expected ${String(params.format)})` : ''}` };
  }
  return { field, message: `${field} ${first.message ?? 'is invalid'}` };
}

/**
 * Every error leaves as JSON `{ error, message }`. Validation errors name the parameter; a 5xx is
 * logged with its stack and answered without internals.
 */
export function installErrorHandling(app: FastifyInstance, bodyLimit: number): void {
  app.setErrorHandler((err: FastifyError, request, reply) => {
    if (err.validation) {
      const { field, message } = describeValidation(err.validation, err.validationContext);
      return sendError(reply, 400, message, field);
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
