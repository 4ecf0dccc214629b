import { createLogger, LOG_LEVELS, type LogLevel } from '../logging/logger.ts';
import { redactText } from '../config/redact.ts';
import { openPlatformStore } from '../platform/store.ts';
import { seedCatalog } from '../platform/seed/seed.ts';
import { startPlatform, DEFAULT_PLATFORM_HOST, DEFAULT_PLATFORM_PORT } from '../platform/server.ts';
import { DEFAULT_MAX_IN_FLIGHT, DEFAULT_RATE_LIMIT } from '../platform/app.ts';
import { isPostgresUrl, openPostgresStore } from '../platform/pg/store.ts';
import { seedPostgres } from '../platform/pg/seed.ts';
import { connectRedisLimits } from '../platform/redis/limits.ts';
import { untilSignal } from './signals.ts';
import type { Command } from './commands.ts';

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
  async run(argv) {
    const parsed = parseArgs(argv);
    if (typeof parsed === 'string') {
      process.stderr.write(`atom-sync platform: ${parsed}\n\n${USAGE}\n`);
      return 2;
    }
    const adminToken = process.env.ATOM_PLATFORM_ADMIN_TOKEN || undefined;
    const secrets = [adminToken, parsed.devToken, parsed.databaseUrl, parsed.redisUrl];
    const logger = createLogger({ name: 'atom-platform', level: parsed.logLevel, secrets });
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
        ...(limits ? { sharedLimits: limits } : {}),
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

/** The parsed flags, or a message naming the first bad one. */
export function parseArgs(argv: readonly string[]): PlatformArgs | string {
  const envLevel = process.env.ATOM_LOG_LEVEL;
  const args: PlatformArgs = {
    port: DEFAULT_PLATFORM_PORT,
    host: DEFAULT_PLATFORM_HOST,
    db: DEFAULT_DB,
    rateLimit: DEFAULT_RATE_LIMIT,
    logLevel: LOG_LEVELS.includes(envLevel as LogLevel) ? (envLevel as LogLevel) : 'info',
    ...(process.env.ATOM_PLATFORM_DATABASE_URL ? { databaseUrl: process.env.ATOM_PLATFORM_DATABASE_URL } : {}),
    ...(process.env.ATOM_PLATFORM_REDIS_URL ? { redisUrl: process.env.ATOM_PLATFORM_REDIS_URL } : {}),
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    const eq = arg.indexOf('=');
    const flag = eq > 0 ? arg.slice(0, eq) : arg;
    const value = eq > 0 ? arg.slice(eq + 1) : argv[++i];
    if (value === undefined) return `${flag} needs a value`;
    const int = (min: number, max: number): number | string => {
      const n = Number(value);
      return /^\d+$/.test(value) && n >= min && n <= max ? n : `${flag} must be an integer from ${min} to ${max}`;
    };
    let result: number | string | undefined;
    switch (flag) {
      case '--port': result = int(0, 65535); if (typeof result === 'number') args.port = result; break;
      case '--seed': result = int(0, 10_000_000); if (typeof result === 'number') args.seed = result; break;
      case '--rate-limit': result = int(1, 1_000_000_000); if (typeof result === 'number') args.rateLimit = result; break;
      case '--host': args.host = value; break;
      case '--db': args.db = value; break;
      case '--database-url':
        if (!isPostgresUrl(value)) return '--database-url must be a postgres:// or postgresql:// URL';
        args.databaseUrl = value;
        break;
      case '--redis-url':
        if (!/^rediss?:\/\//.test(value)) return '--redis-url must be a redis:// or rediss:// URL';
        args.redisUrl = value;
        break;
      case '--dev-token':
        if (value.length < 8) return '--dev-token must be at least 8 characters';
        args.devToken = value;
        break;
      case '--log-level':
        if (!LOG_LEVELS.includes(value as LogLevel)) return `--log-level must be one of ${LOG_LEVELS.join(', ')}`;
        args.logLevel = value as LogLevel;
        break;
      default:
        return `unknown option ${flag}`;
    }
    if (typeof result === 'string') return result;
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
