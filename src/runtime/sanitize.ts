import { createHash } from 'node:crypto';
import { redactDeep } from '../config/redact.ts';

// What of an actor may leave the process or reach the journal: the admin API's context view, the
// journal's event and context columns, the SSE stream and trace exports all go through here, so
// there is one allow-list. JSON-safe (no functions, no actor references), secret-named keys masked,
// known secrets scrubbed from every string, user ids pseudonymised, and the journal's copy bounded.

/** A journaled event or context larger than this (as JSON) is cut down to a marker. */
export const JOURNAL_PAYLOAD_LIMIT = 4096;

/** Keys that hold a user id: hashed, never shown in clear. */
const USER_ID_KEY = /^(user_?id|userIds?|user_ids)$/i;
const PSEUDONYM = /^user:[0-9a-f]{12}$/;

/**
 * A user id as the journal and the API show it: `user:` and 12 hex digits of its SHA-256. Stable, so
 * one user's steps can be followed, and idempotent, so a value sanitised twice reads the same.
 */
export function pseudonymise(userId: string): string {
  if (PSEUDONYM.test(userId)) return userId;
  return `user:${createHash('sha256').update(`atom-sync user ${userId}`).digest('hex').slice(0, 12)}`;
}

/** Context as operators may see it: plain JSON with every secret masked and user ids hashed. */
export function sanitizeContext(context: unknown, secrets: readonly (string | undefined)[]): Record<string, unknown> {
  const plain = toPlain(context, new WeakSet());
  return redactDeep(isRecord(plain) ? plain : {}, secrets);
}

/**
 * An event or a context as the journal keeps it: sanitised like the API's context (stack traces are
 * left out of both: they say where the code is, not what happened, and would fill the bound), cut to a
 * marker past JOURNAL_PAYLOAD_LIMIT: an event keeps its type, a context only `truncated: true`.
 * Returns the value and its JSON, which the journal stores as is.
 */
export function journalPayload(value: unknown, secrets: readonly (string | undefined)[]): { value: Record<string, unknown>; json: string } {
  const plain = toPlain(value, new WeakSet());
  const clean = redactDeep(isRecord(plain) ? plain : {}, secrets);
  const json = JSON.stringify(clean);
  if (json.length <= JOURNAL_PAYLOAD_LIMIT) return { value: clean, json };
  const cut: Record<string, unknown> = typeof clean.type === 'string' ? { type: clean.type, truncated: true } : { truncated: true };
  return { value: cut, json: JSON.stringify(cut) };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function toPlain(value: unknown, seen: WeakSet<object>): unknown {
  if (typeof value === 'function' || typeof value === 'symbol' || typeof value === 'bigint') return undefined;
  if (value === null || typeof value !== 'object') return value;
  if (isActorRef(value) || seen.has(value)) return undefined;
  seen.add(value);
  if (Array.isArray(value)) return value.map((v) => toPlain(v, seen) ?? null);
  // An Error's message is not enumerable: copy what redactDeep would (type, message, own fields).
  if (value instanceof Error) return toPlain(errorFields(value), seen);
  const toJSON = (value as { toJSON?: unknown }).toJSON;
  if (typeof toJSON === 'function') return toPlain(toJSON.call(value), seen);
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) {
    if (key === 'stack') continue;
    if (USER_ID_KEY.test(key)) {
      out[key] = hideUserIds(v);
      continue;
    }
    const plain = toPlain(v, seen);
    if (plain !== undefined) out[key] = plain;
  }
  return out;
}

function hideUserIds(value: unknown): unknown {
  if (typeof value === 'string' || typeof value === 'number') return pseudonymise(String(value));
  if (Array.isArray(value)) return value.map(hideUserIds);
  return value === null || value === undefined ? value : '[hidden]';
}

function errorFields(error: Error): Record<string, unknown> {
  const plain: Record<string, unknown> = { type: error.constructor?.name ?? error.name, message: error.message };
  for (const [key, v] of Object.entries(error)) plain[key] = v;
  if (error.cause !== undefined) plain.cause = error.cause;
  return plain;
}

function isActorRef(value: object): boolean {
  return 'sessionId' in value && typeof (value as { send?: unknown }).send === 'function';
}
