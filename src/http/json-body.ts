import type { FastifyInstance } from 'fastify';
import { MAX_JSON_DEPTH, jsonDepthExceeds } from '../marketplace/json-depth.ts';

// The shell's JSON body parser, in place of Fastify's. Fastify's answered a `__proto__` key with
// "Body is not valid JSON" (it is valid JSON, refused on purpose) and let any nesting through, which
// later overflowed the stack when the value was written (5,000 levels) or broke SQLite's JSON
// functions (1,001 levels). Here every refusal is a 400 saying what was refused, before any route.

/** A body refused by the parser: the error handler answers `{ error: 'Bad Request', message }`. */
export class BodyRefusedError extends Error {
  readonly statusCode = 400;
  constructor(message: string) {
    super(message);
    this.name = 'BodyRefusedError';
  }
}

/**
 * The first key that would poison a prototype if the value were merged somewhere: `__proto__`, or a
 * `constructor` object holding `prototype` (Fastify's two rules). Iterative; the caller has already
 * bounded the depth.
 */
export function poisonedKey(value: unknown): string | undefined {
  const stack: unknown[] = [value];
  while (stack.length > 0) {
    const current = stack.pop();
    if (typeof current !== 'object' || current === null) continue;
    if (!Array.isArray(current)) {
      if (Object.prototype.hasOwnProperty.call(current, '__proto__')) return '__proto__';
      const ctor = (current as Record<string, unknown>).constructor;
      if (Object.prototype.hasOwnProperty.call(current, 'constructor') && typeof ctor === 'object' && ctor !== null
        && Object.prototype.hasOwnProperty.call(ctor, 'prototype')) return 'constructor.prototype';
    }
    // A loop, not push(...children): a 4 MB array has more elements than a call takes arguments.
    for (const child of Array.isArray(current) ? current : Object.values(current)) if (typeof child === 'object' && child !== null) stack.push(child);
  }
  return undefined;
}

/** Parses a JSON body or says, in one sentence, why it is refused. Never echoes the body. */
export function parseJsonBody(text: string): unknown {
  if (text.trim() === '') throw new BodyRefusedError('the body is empty but Content-Type is application/json');
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new BodyRefusedError('the body is not valid JSON');
  }
  if (jsonDepthExceeds(value, MAX_JSON_DEPTH)) {
    throw new BodyRefusedError(`the body nests objects and arrays deeper than ${MAX_JSON_DEPTH} levels`);
  }
  const poisoned = poisonedKey(value);
  if (poisoned) throw new BodyRefusedError(`the body has a "${poisoned}" key, refused because it could alter object prototypes`);
  return value;
}

/**
 * Replaces Fastify's application/json parser (the route's bodyLimit still applies first) and drops its
 * text/plain one: no route takes text, and text/plain is what a cross-origin page can POST without a
 * preflight, so such a body is now 415 before any route runs.
 */
export function installJsonBodyParser(app: FastifyInstance): void {
  app.removeContentTypeParser(['application/json', 'text/plain']);
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (_request, body, done) => {
    try {
      done(null, parseJsonBody(body as string));
    } catch (error) {
      done(error as Error, undefined);
    }
  });
}
