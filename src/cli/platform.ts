import { createLogger } from '../logging/logger.ts';
import { LOG_LEVELS, type LogLevel } from '../logging/levels.ts';
import { redactText } from '../logging/redact.ts';
import { openPlatformStore } from '../platform/store.ts';
import { seedCatalog } from '../platform/seed/seed.ts';
import { startPlatform, DEFAULT_PLATFORM_HOST, DEFAULT_PLATFORM_PORT } from '../platform/server.ts';
import { DEFAULT_MAX_IN_FLIGHT, DEFAULT_RATE_LIMIT } from '../platform/app.ts';
import { isPostgresUrl, openPostgresStore } from '../platform/pg/store.ts';
import { seedPostgres } from '../platform/pg/seed.ts';
import { connectRedisLimits } from '../platform/redis/limits.ts';
import { untilSignal } from './signals.ts';
import type { ParsedArgs } from './args.ts';
import { installCrashHandlers } from './process-guard.ts';
import { usageError } from './usage.ts';
import type { Command } from './command.ts';

const DEFAULT_DB = './data/platform.db';

interface PlatformArgs {
  port: number;
  host: string;
  db: string;
  databaseUrl?: string;
  redisUrl?: string;
  seed?: number;
  devToken?: string;
  rateLimit: number;
  logLevel: LogLevel;
}

const USAGE = [
  'usage: atom-sync platform [--port N] [--host H] [--db FILE] [--seed N] [--dev-token T]',
  '                          [--rate-limit N] [--log-level LEVEL]',
  '                          [--database-url postgres://...] [--redis-url redis://...]',
  '',
  'Runs the reference Atom SaaS marketplace (spec 000): HTTP API under /api/v1, WebSocket push',
  'on /ws, /health and /metrics.',
  '',
  `  --port N          port to listen on (default ${DEFAULT_PLATFORM_PORT}; 0 picks a free one)`,
  `  --host H          address to bind (default ${DEFAULT_PLATFORM_HOST})`,
  `  --db FILE         SQLite database (default ${DEFAULT_DB}; created if missing)`,
  '  --database-url U  PostgreSQL instead of SQLite (ATOM_PLATFORM_DATABASE_URL): one of N replicas',
  '  --redis-url U     per-instance limits shared by all replicas (ATOM_PLATFORM_REDIS_URL)',
  '  --seed N          fill an empty database with a deterministic catalog of N skills',
  '  --dev-token T     register T as an instance token (instance "dev"); idempotent',
  `  --rate-limit N    requests per minute per token (default ${DEFAULT_RATE_LIMIT})`,
  '  --log-level L     fatal|error|warn|info|debug|trace|silent (default ATOM_LOG_LEVEL or info)',
  '',
  'ATOM_PLATFORM_ADMIN_TOKEN enables publishing (POST/PUT/DELETE /api/v1/skills, /categories)',
  'and token administration (POST/DELETE /api/v1/tokens). Tokens are never printed.',
].join('\n');

/** `atom-sync platform`: serves the reference marketplace until SIGINT or SIGTERM. */
export const platformCommand: Command = {
  summary: 'run the reference Atom SaaS marketplace (HTTP API, WebSocket push)',
  usage: USAGE,
  // One entry per option: parsed strictly (node:util parseArgs) by main.ts, then checked by platformOptions.
  options: {
    port: { type: 'string' },
    host: { type: 'string' },
    db: { type: 'string' },
    seed: { type: 'string' },
    'dev-token': { type: 'string' },
    'rate-limit': { type: 'string' },
    'log-level': { type: 'string' },
    'database-url': { type: 'string' },
    'redis-url': { type: 'string' },
  },
  examples: [
    'atom-sync platform --seed 5000 --dev-token dev-token-0123456789',
    'ATOM_PLATFORM_ADMIN_TOKEN=... atom-sync platform --port 0 --db /tmp/market.db',
    'atom-sync platform --host 0.0.0.0 --rate-limit 600 --log-level warn',
    'atom-sync platform --database-url postgres://atom@127.0.0.1/market --redis-url redis://127.0.0.1:6379',
  ],
  async run(args) {
    const parsed = platformOptions(args);
    if (typeof parsed === 'string') return usageError('platform', USAGE, parsed);
    const adminToken = process.env.ATOM_PLATFORM_ADMIN_TOKEN || undefined;
    const secrets = [adminToken, parsed.devToken, parsed.databaseUrl, parsed.redisUrl];
    const logger = createLogger({ name: 'atom-platform', level: parsed.logLevel, secrets });
    installCrashHandlers(logger);
    const out = (line: string) => process.stdout.write(`atom-sync platform: ${line}\n`);
    const onError = (err: unknown, what = 'platform error') => logger.error({ err }, what);
    let store: Awaited<ReturnType<typeof openPostgresStore>> | ReturnType<typeof openPlatformStore> | undefined;
    let limits: Awaited<ReturnType<typeof connectRedisLimits>> | undefined;
    try {
      store = parsed.databaseUrl
        ? await openPostgresStore({ url: parsed.databaseUrl, onError })
        : openPlatformStore({ db: parsed.db, onBroadcastError: (err) => logger.error({ err }, 'push failed') });
      if (parsed.redisUrl) {
        limits = await connectRedisLimits({ url: parsed.redisUrl, limit: parsed.rateLimit, windowMs: 60_000,
          maxInFlight: DEFAULT_MAX_IN_FLIGHT, onError: (err) => onError(err, 'redis error (limits let requests through)') });
      }
      if (parsed.seed !== undefined) {
        const seeded = 'pool' in store ? await seedPostgres(store, parsed.seed) : seedCatalog(store.db, parsed.seed);
        out(seeded.seeded
          ? `seeded ${seeded.skills} skills, ${seeded.ratings} ratings, ${seeded.categories} categories in ${seeded.ms} ms`
          : `--seed skipped: the database already holds ${seeded.skills} skills`);
      }
      if (parsed.devToken !== undefined) {
        await store.tokens.register(parsed.devToken, 'dev', 'registered by --dev-token');
        out('dev token registered for instance "dev"');
      }
      const running = await startPlatform({
        db: store, host: parsed.host, port: parsed.port, adminToken, logger,
        rateLimit: { limit: parsed.rateLimit }, defaultMetrics: true,
        sharedLimits: limits,
      });
      out(`listening on ${running.url} (API ${running.url}/api/v1, push ${running.wsUrl})`);
      out(`database ${parsed.databaseUrl ? withoutCredentials(parsed.databaseUrl) : parsed.db}` +
        `${parsed.redisUrl ? `; limits in ${withoutCredentials(parsed.redisUrl)}` : ''}; admin token ${adminToken ? 'set' : 'not set (publishing and token routes answer 403)'}`);
      const signal = await untilSignal();
      out(`${signal}: closing`);
      await running.close();
      return 0;
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      process.stderr.write(`atom-sync platform: ${redactText(message, secrets)}\n`);
      return 1;
    } finally {
      await limits?.close();
      await store?.close();
    }
  },
};

/** The options' values checked and defaulted, or a message naming the first bad one. */
export function platformOptions({ values }: ParsedArgs): PlatformArgs | string {
  const envLevel = process.env.ATOM_LOG_LEVEL;
  const args: PlatformArgs = {
    port: DEFAULT_PLATFORM_PORT,
    host: DEFAULT_PLATFORM_HOST,
    db: DEFAULT_DB,
    rateLimit: DEFAULT_RATE_LIMIT,
    logLevel: LOG_LEVELS.includes(envLevel as LogLevel) ? (envLevel as LogLevel) : 'info',
    databaseUrl: process.env.ATOM_PLATFORM_DATABASE_URL || undefined,
    redisUrl: process.env.ATOM_PLATFORM_REDIS_URL || undefined,
  };
  const int = (flag: string, min: number, max: number): number | string | undefined => {
    const value = values[flag];
    if (typeof value !== 'string') return undefined;
    const n = Number(value);
    return /^\d+$/.test(value) && n >= min && n <= max ? n : `--${flag} must be an integer from ${min} to ${max}`;
  };
  const port = int('port', 0, 65535);
  const seed = int('seed', 0, 10_000_000);
  const rateLimit = int('rate-limit', 1, 1_000_000_000);
  for (const result of [port, seed, rateLimit]) if (typeof result === 'string') return result;
  if (typeof port === 'number') args.port = port;
  if (typeof seed === 'number') args.seed = seed;
  if (typeof rateLimit === 'number') args.rateLimit = rateLimit;
  if (typeof values.host === 'string') {
    if (values.host === '') return '--host needs an address';
    args.host = values.host;
  }
  if (typeof values.db === 'string') {
    if (values.db === '') return '--db needs a file';
    args.db = values.db;
  }
  const databaseUrl = values['database-url'];
  if (typeof databaseUrl === 'string') {
    if (!isPostgresUrl(databaseUrl)) return '--database-url must be a postgres:// or postgresql:// URL';
    args.databaseUrl = databaseUrl;
  }
  const redisUrl = values['redis-url'];
  if (typeof redisUrl === 'string') {
    if (!/^rediss?:\/\//.test(redisUrl)) return '--redis-url must be a redis:// or rediss:// URL';
    args.redisUrl = redisUrl;
  }
  const devToken = values['dev-token'];
  if (typeof devToken === 'string') {
    if (devToken.length < 8) return '--dev-token must be at least 8 characters';
    args.devToken = devToken;
  }
  const level = values['log-level'];
  if (typeof level === 'string') {
    if (!LOG_LEVELS.includes(level as LogLevel)) return `--log-level must be one of ${LOG_LEVELS.join(', ')}`;
    args.logLevel = level as LogLevel;
  }
  // The variables are checked as strictly as the flags they stand for.
  if (args.databaseUrl !== undefined && !isPostgresUrl(args.databaseUrl)) return 'ATOM_PLATFORM_DATABASE_URL must be a postgres:// or postgresql:// URL';
  if (args.redisUrl !== undefined && !/^rediss?:\/\//.test(args.redisUrl)) return 'ATOM_PLATFORM_REDIS_URL must be a redis:// or rediss:// URL';
  return args;
}

/** A connection URL as it may be printed: scheme, host, port and path, never a user or password. */
function withoutCredentials(url: string): string {
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.host}${u.pathname}`;
  } catch {
    return '(unparseable URL)';
  }
}
