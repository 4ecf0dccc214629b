import { pino, type Logger, type DestinationStream } from 'pino';
import { redactDeep, redactText } from './redact.ts';
import type { LogLevel } from './levels.ts';

export type { Logger } from 'pino';

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
 * The process logger: JSON lines, secrets censored by path, and every message, binding and
 * string field scrubbed of `token=` query strings, Bearer headers, URL credentials, secret-named
 * keys and known secret values.
 */
export function createLogger(options: LoggerOptions = {}): Logger {
  const secrets = options.secrets ?? [];
  const logger = pino(
    {
      name: options.name ?? 'atom-sync',
      level: options.level ?? 'info',
      redact: { paths: REDACT_PATHS, censor: '***' },
      formatters: {
        // Runs before the serializers: Error values are serialized here, or they would be walked as
        // plain objects and lose their (non-enumerable) message and stack.
        // Request and response objects are left to their serializers below, which pick the few
        // fields worth logging; walking a live IncomingMessage here would turn it into noise or {}.
        log(object) {
          const { req, res, ...rest } = object;
          return {
            ...(redactDeep(serializeErrors(rest), secrets) as Record<string, unknown>),
            req,
            res,
          };
        },
      },
      serializers: {
        // The final message, after %s interpolation and including the one pino takes from
        // `log.error(err)`: free text can carry a secret too (a URL in an error message).
        msg: (msg: unknown) => (typeof msg === 'string' ? redactText(msg, secrets) : msg),
        // Fastify's request (or a raw IncomingMessage): method, URL with tokens masked, peer.
        req: (req: unknown) => redactDeep(summarizeRequest(req), secrets),
        res: (res: unknown) => ({ statusCode: (res as { statusCode?: number } | undefined)?.statusCode }),
        // The formatter has already serialized and scrubbed errors; this catches any left over.
        err: (err: unknown) => (err instanceof Error ? redactDeep(pino.stdSerializers.err(err), secrets) : err),
      },
    },
    options.destination,
  );
  // pino runs no formatter over child bindings (`log.child({ url })`): scrub them on the way in.
  // Children are created with Object.create(parent), so grandchildren inherit this method.
  const child = logger.child;
  logger.child = function (this: Logger, bindings, childOptions) {
    return child.call(this, redactDeep(bindings, secrets), childOptions);
  } as Logger['child'];
  return logger;
}

/** Top-level Error values in pino's standard shape (type, message, stack, causes). */
function serializeErrors(object: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(object)) out[key] = value instanceof Error ? { ...pino.stdSerializers.err(value) } : value;
  return out;
}

/** The fields of a request worth a log line; never headers (they carry Authorization and cookies). */
function summarizeRequest(req: unknown): Record<string, unknown> {
  if (typeof req !== 'object' || req === null) return { value: String(req) };
  const r = req as { id?: unknown; method?: unknown; url?: unknown; ip?: unknown; headers?: { host?: unknown }; socket?: { remoteAddress?: unknown; remotePort?: unknown } };
  return {
    id: r.id,
    method: r.method,
    url: r.url,
    host: r.headers?.host,
    remoteAddress: r.ip ?? r.socket?.remoteAddress,
    remotePort: r.socket?.remotePort,
  };
}
