import { pino, type Logger, type DestinationStream } from 'pino';
import { redactText } from '../config/redact.ts';

export type { Logger } from 'pino';

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export interface LoggerOptions {
  level?: LogLevel;
  name?: string;
  /** Secret values known at start-up (tokens from config); masked wherever they appear in a log line. */
  secrets?: readonly (string | undefined)[];
  /** Where lines go; stdout by default. Tests pass a stream to read what was logged. */
  destination?: DestinationStream;
}

/**
 * Paths pino censors structurally. Header names are lower-case in Node; `*.token` covers
 * config objects and request bodies that carry a token field.
 */
export const REDACT_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'headers.authorization',
  'authorization',
  '*.authorization',
  'token',
  '*.token',
  '*.apiToken',
  '*.adminToken',
  '*.ATOM_SAAS_API_TOKEN',
  '*.ATOM_ADMIN_TOKEN',
  '*.ATOM_PLATFORM_ADMIN_TOKEN',
  'config.saas.apiToken',
  'config.http.adminToken',
];

/**
 * The process logger: JSON lines, secrets censored by path, and every message and string
 * field scrubbed of `token=` query strings, Bearer headers and known secret values.
 */
export function createLogger(options: LoggerOptions = {}): Logger {
  const secrets = options.secrets ?? [];
  return pino(
    {
      name: options.name ?? 'atom-sync',
      level: options.level ?? 'info',
      redact: { paths: REDACT_PATHS, censor: '***' },
      hooks: {
        // Free text can carry a secret too (a URL in an error message): scrub it last.
        logMethod(args, method) {
          method.apply(
            this,
            args.map((a) => (typeof a === 'string' ? redactText(a, secrets) : a)) as Parameters<typeof method>,
          );
        },
      },
      formatters: {
        log(object) {
          return scrubStrings(object, secrets) as Record<string, unknown>;
        },
      },
      serializers: {
        err: (err: unknown) => serializeError(err, secrets),
      },
    },
    options.destination,
  );
}

function serializeError(err: unknown, secrets: readonly (string | undefined)[]): unknown {
  const base = pino.stdSerializers.err(err as Error);
  return scrubStrings(base, secrets);
}

function scrubStrings(value: unknown, secrets: readonly (string | undefined)[], depth = 0): unknown {
  if (typeof value === 'string') return redactText(value, secrets);
  if (depth > 6 || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((v) => scrubStrings(v, secrets, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[k] = scrubStrings(v, secrets, depth + 1);
  return out;
}
