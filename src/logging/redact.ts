// One place that decides what a secret looks like once it leaves the process.
// Used by the logger, config views, error messages and anything that prints a URL.

const MASK = '***';

/** Keys whose values are secrets wherever they appear (config, headers, bodies, query strings). */
const SECRET_KEY = /(token|secret|password|authorization|api[_-]?key|cookie)/i;

export function isSecretKey(key: string): boolean {
  return SECRET_KEY.test(key);
}

/**
 * Masks a secret value, keeping a short hint of its length only when the value is long enough
 * that the hint reveals nothing useful. Empty and missing values stay visible as such.
 */
export function maskSecret(value: string | undefined | null): string {
  if (value === undefined || value === null || value === '') return '(unset)';
  return MASK;
}

/**
 * `token=...`, `access_token=...`, `refresh_token=...`, `client_secret=...` and friends inside a URL
 * or any free text: any key that ends in token, secret, password or api key.
 */
const TOKEN_IN_QUERY = /\b([a-z0-9_.-]*?(?:token|api[_-]?key|secret|password))=([^&#\s"']+)/gi;
/** `Bearer abc.def` in free text (error messages that echo a header); the scheme is case-insensitive. */
const BEARER = /\b(Bearer)\s+[A-Za-z0-9\-._~+/]+=*/gi;
/**
 * `https://user:password@host` (user may be empty). The authority ends at / ? # or white space and
 * its last @ ends the credentials, as URL parsers read it.
 */
const URL_CREDENTIALS = /(\b[a-z][a-z0-9+.-]*:\/\/)([^/?#@\s:]*):([^/?#\s]*)@/gi;
/** `https://token@host`: a user name without password is usually a token. */
const URL_USER_ONLY = /(\b[a-z][a-z0-9+.-]*:\/\/)([^/?#@\s:]+)@/gi;

/** Removes secrets that appear inside free text: URLs with `token=`, Bearer headers, URL credentials. */
export function redactText(text: string, knownSecrets: readonly (string | undefined)[] = []): string {
  let out = text
    .replace(TOKEN_IN_QUERY, (_m, key: string) => `${key}=${MASK}`)
    .replace(BEARER, `$1 ${MASK}`)
    .replace(URL_CREDENTIALS, `$1$2:${MASK}@`)
    .replace(URL_USER_ONLY, `$1${MASK}@`);
  // Longest first, so that a secret containing a shorter one is masked whole, not left half visible.
  const known = knownSecrets.filter((s): s is string => typeof s === 'string').sort((a, b) => b.length - a.length);
  for (const secret of known) {
    // Very short values would mask innocent text; real tokens are long.
    if (secret.length >= 6) out = out.split(secret).join(MASK);
  }
  return out;
}

/** Redacts a URL for display: `ws://host/ws?token=abc` → `ws://host/ws?token=***`. */
export function redactUrl(url: string): string {
  return redactText(url);
}

/**
 * Deep copy of a value with every secret-named key masked and every string scrubbed of
 * embedded tokens. Used for config views, sanitised actor context and error payloads.
 */
export function redactDeep<T>(value: T, knownSecrets: readonly (string | undefined)[] = []): T {
  return walk(value, knownSecrets, new WeakSet()) as T;
}

function walk(value: unknown, secrets: readonly (string | undefined)[], seen: WeakSet<object>): unknown {
  if (typeof value === 'string') return redactText(value, secrets);
  if (value === null || typeof value !== 'object') return value;
  if (seen.has(value)) return '[circular]';
  seen.add(value);
  if (Array.isArray(value)) return value.map((v) => walk(v, secrets, seen));
  // An Error's message and stack are not enumerable: copy them, or the payload says nothing.
  if (value instanceof Error) return walk(errorToPlain(value), secrets, seen);
  // Date, URL, Buffer...: what JSON.stringify would print (a URL's href is then scrubbed as text).
  const toJSON = (value as { toJSON?: unknown }).toJSON;
  if (typeof toJSON === 'function') return walk(toJSON.call(value), secrets, seen);
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) {
    if (isSecretKey(key) && (typeof v === 'string' || v === undefined || v === null)) {
      out[key] = maskSecret(v as string | undefined);
    } else if (isSecretKey(key) && Array.isArray(v) && v.every((x) => typeof x === 'string')) {
      // Multi-valued headers: `set-cookie: ['session=...']`.
      out[key] = v.map((x: string) => maskSecret(x));
    } else {
      out[key] = walk(v, secrets, seen);
    }
  }
  return out;
}

function errorToPlain(error: Error): Record<string, unknown> {
  const plain: Record<string, unknown> = { type: error.constructor?.name ?? error.name, message: error.message, stack: error.stack };
  for (const [key, v] of Object.entries(error)) plain[key] = v;
  if (error.cause !== undefined) plain.cause = error.cause;
  return plain;
}
