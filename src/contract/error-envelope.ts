import { STATUS_CODES } from 'node:http';
import type { FastifyReply, FastifySchemaValidationError } from 'fastify';

// The error envelope both shells answer with (spec 000 "Error Responses"): `{ error, message }`,
// where `error` is the status's reason phrase and `message` says what was wrong. A route may add
// fields its response schema allows (`field` on the platform, `accepts` on the agent's 409s).

/** The body of every error response, of the platform and of the agent's shell alike. */
export interface ErrorEnvelope {
  error: string;
  message: string;
}

/** The reason phrase of an HTTP status ("Too Many Requests"), or a generic one for an unnamed code. */
export function title(status: number): string {
  return STATUS_CODES[status] ?? (status >= 500 ? 'Server Error' : 'Client Error');
}

/** Sends `{ error, message }` plus any extra fields the route's schema allows (`field`, `accepts`...). */
export function sendError(reply: FastifyReply, status: number, message: string, extra: Record<string, unknown> = {}): FastifyReply {
  const body: ErrorEnvelope = { error: title(status), message };
  return reply.code(status).send({ ...body, ...extra });
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
