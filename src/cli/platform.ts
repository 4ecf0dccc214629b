import { createLogger, LOG_LEVELS, type LogLevel } from '../logging/logger.ts';
import { redactText } from '../config/redact.ts';
import { openPlatformStore } from '../platform/store.ts';
import { seedCatalog } from '../platform/seed/seed.ts';
import { startPlatform, DEFAULT_PLATFORM_HOST, DEFAULT_PLATFORM_PORT } from '../platform/server.ts';
import { DEFAULT_RATE_LIMIT } from '../platform/app.ts';
import { untilSignal } from './signals.ts';
import type { Command } from './commands.ts';

const DEFAULT_DB = './data/platform.db';

interface PlatformArgs {
  port: number;
  host: string;
  db: string;
  seed?: number;
  devToken?: string;
  rateLimit: number;
  logLevel: LogLevel;
}

const USAGE = [
  'usage: atom-sync platform [--port N] [--host H] [--db FILE] [--seed N] [--dev-token T]',
  '                          [--rate-limit N] [--log-level LEVEL]',
  '',
  'Runs the reference Atom SaaS marketplace (spec 000): HTTP API under /api/v1, WebSocket push',
  'on /ws, /health and /metrics.',
  '',
  `  --port N          port to listen on (default ${DEFAULT_PLATFORM_PORT}; 0 picks a free one)`,
  `  --host H          address to bind (default ${DEFAULT_PLATFORM_HOST})`,
  `  --db FILE         SQLite database (default ${DEFAULT_DB}; created if missing)`,
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
    const logger = createLogger({ name: 'atom-platform', level: parsed.logLevel, secrets: [adminToken, parsed.devToken] });
    const out = (line: string) => process.stdout.write(`atom-sync platform: ${line}\n`);
    const store = openPlatformStore({ db: parsed.db, onBroadcastError: (err) => logger.error({ err }, 'push failed') });
    try {
      if (parsed.seed !== undefined) {
        const seeded = seedCatalog(store.db, parsed.seed);
        out(seeded.seeded
          ? `seeded ${seeded.skills} skills, ${seeded.ratings} ratings, ${seeded.categories} categories in ${seeded.ms} ms`
          : `--seed skipped: the database already holds ${seeded.skills} skills`);
      }
      if (parsed.devToken !== undefined) {
        store.tokens.register(parsed.devToken, 'dev', 'registered by --dev-token');
        out('dev token registered for instance "dev"');
      }
      const running = await startPlatform({
        db: store, host: parsed.host, port: parsed.port, adminToken, logger,
        rateLimit: { limit: parsed.rateLimit }, defaultMetrics: true,
      });
      out(`listening on ${running.url} (API ${running.url}/api/v1, push ${running.wsUrl})`);
      out(`database ${parsed.db}; admin token ${adminToken ? 'set' : 'not set (publishing and token routes answer 403)'}`);
      const signal = await untilSignal();
      out(`${signal}: closing`);
      await running.close();
      return 0;
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      process.stderr.write(`atom-sync platform: ${redactText(message, [adminToken, parsed.devToken])}\n`);
      return 1;
    } finally {
      store.close();
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
  return args;
}
