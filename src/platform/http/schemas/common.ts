import { Type, type TSchema } from 'typebox';

/** Every error leaves as `{ error, message }`; `field` names the offending parameter on a 400. */
export const ErrorSchema = Type.Object({
  error: Type.String(),
  message: Type.String(),
  field: Type.Optional(Type.String()),
});

/** 429 bodies: spec 000 "Rate Limit Exceeded Response" plus a message. */
export const RateLimitedSchema = Type.Object({
  error: Type.String(),
  message: Type.String(),
  retry_after: Type.Integer(),
});

// Any RFC 4122 textual UUID, either case; ids are stored lower-case.
export const UUID_PATTERN = '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$';
export const Uuid = Type.String({ pattern: UUID_PATTERN });

export const IsoTime = Type.String({ format: 'date-time' });

export const SkillIdParams = Type.Object({ skill_id: Uuid });

/**
 * The error responses of an /api/v1 route: those every authenticated route can give
 * (400 bad input, 401, 413, 429, 500) plus the route's own.
 */
export function apiErrors(...codes: (403 | 404 | 409 | 422)[]): Record<number, TSchema> {
  const out: Record<number, TSchema> = {
    400: ErrorSchema, 401: ErrorSchema, 413: ErrorSchema, 429: RateLimitedSchema, 500: ErrorSchema,
  };
  for (const code of codes) out[code] = ErrorSchema;
  return out;
}

/** A body a client may leave out entirely: Fastify then validates `null` (or undefined). */
export function optionalBody<T extends TSchema>(schema: T) {
  return Type.Union([schema, Type.Undefined(), Type.Null()]);
}
