import { Type, type TSchema } from 'typebox';

/** Every error leaves as `{ error, message }`: nothing else, so no internals by accident. */
export const ErrorResponse = Type.Object({ error: Type.String(), message: Type.String() });

/** 409: the actor cannot take that event in its current state; here is what it takes now. */
export const RefusedResponse = Type.Object({ error: Type.String(), message: Type.String(), accepts: Type.Array(Type.String()) });

/** The error statuses every admin route may answer, besides its own. */
export function adminErrors(): Record<number, TSchema> {
  return { 400: ErrorResponse, 401: ErrorResponse, 503: ErrorResponse };
}

/** Epoch milliseconds as ISO 8601, null stays null. */
export function iso(ms: number | null | undefined): string | null {
  return ms === null || ms === undefined ? null : new Date(ms).toISOString();
}

export const NullableString = Type.Union([Type.String(), Type.Null()]);
