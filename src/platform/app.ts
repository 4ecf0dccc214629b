import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { Registry } from 'prom-client';
import type { Logger } from '../logging/logger.ts';
import { openPlatformStore, type PlatformStore } from './store.ts';
import type { PlatformData } from './data.ts';
import type { PostgresStore } from './pg/store.ts';
import type { SharedConcurrencyGate, SharedRateLimiter } from './redis/limits.ts';
import type { Db } from './db/open.ts';
import type { Broadcaster } from './db/seq.ts';
import { createConcurrencyGate, createRateLimiter } from './rate-limit.ts';
import { installMetrics } from './metrics.ts';
import { installErrorHandling } from './http/errors.ts';
import { validatorCompiler } from '../fastify-typebox/validator.ts';
import { authenticateHook, createPrincipalResolver, toAuthenticate } from './http/auth.ts';
import { limitsHook } from './http/limits.ts';
import type { RouteContext, TypedApp } from './http/context.ts';
import { registerSkillRoutes } from './http/routes/skills.ts';
import { registerCategoryRoutes } from './http/routes/categories.ts';
import { registerRatingRoutes } from './http/routes/ratings.ts';
import { registerPublishRoutes } from './http/routes/publish.ts';
import { registerTokenRoutes } from './http/routes/tokens.ts';
import { registerOpsRoutes } from './http/routes/ops.ts';
import { registerPushHub, type PushHub, type PushHubOptions } from './push/hub.ts';

export interface PlatformAppOptions {
  /**
   * The SQLite file to open (and close with the app), an open database, or a store the caller
   * owns: a SQLite store, or a PostgreSQL store shared with other replicas (pg/store.ts).
   */
  db: string | Db | PlatformStore | PostgresStore;
  /**
   * Limits shared by every replica (Redis, redis/limits.ts) instead of this process's own; the
   * numbers come from the shared limiter, `rateLimit.limit` only labels the headers.
   */
  sharedLimits?: { limiter: SharedRateLimiter; gate: SharedConcurrencyGate };
  /** Publishes skills and categories and issues tokens (ATOM_PLATFORM_ADMIN_TOKEN); none → those routes 403. */
  adminToken?: string;
  /** The clock of routes, limits and the push hub, and of the store when it is opened here. */
  now?: () => number;
  /** Requests per token per window: spec 000 says 100 per minute. Raised by the bench. */
  rateLimit?: { limit?: number; windowMs?: number };
  /** In-flight requests per token (spec 000: 10 concurrent connections per instance). */
  maxInFlightPerToken?: number;
  /** Largest request body in bytes (spec 000: 1 MB). */
  bodyLimit?: number;
  logger?: Logger;
  /**
   * The WebSocket push hub on GET /ws (default on). `false` leaves it out; committed changes then
   * go to `broadcaster` (default: nowhere).
   */
  push?: false | Omit<Partial<PushHubOptions>, 'authenticate' | 'registry'>;
  broadcaster?: Broadcaster;
  /** Node process metrics on /metrics as well (off in tests: one set per process is enough). */
  defaultMetrics?: boolean;
}

export interface PlatformHandle {
  /** The SQLite store (tests and tools reach into it); throws on a PostgreSQL platform: use `data`. */
  store: PlatformStore;
  /** The data side the routes use, whichever database it is on. */
  data: PlatformData;
  registry: Registry;
  hub: PushHub | undefined;
}

declare module 'fastify' {
  interface FastifyInstance {
    platform: PlatformHandle;
  }
}

export const DEFAULT_RATE_LIMIT = 100;
export const DEFAULT_MAX_IN_FLIGHT = 10;
export const DEFAULT_BODY_LIMIT = 1024 * 1024;

/**
 * Builds the reference platform (spec 000) without listening: tests inject into it or listen on
 * port 0; `startPlatform` listens for real. The app owns the store it opened and closes it last.
 */
export function buildPlatformApp(options: PlatformAppOptions): FastifyInstance {
  const now = options.now ?? Date.now;
  // Only a store opened here from a path is closed here; whatever the caller opened, it closes.
  const ownsStore = typeof options.db === 'string';
  const postgres = isPostgres(options.db) ? options.db : undefined;
  const sqlite = postgres ? undefined : isStore(options.db)
    ? options.db as PlatformStore
    : openPlatformStore({ db: options.db as string | Db, now, onBroadcastError: (err) => options.logger?.error({ err }, 'push broadcast failed') });
  const store: PlatformData = postgres ?? (sqlite as PlatformStore);
  const app = Fastify({
    ...(options.logger ? { loggerInstance: options.logger as FastifyBaseLogger } : { logger: false }),
    bodyLimit: options.bodyLimit ?? DEFAULT_BODY_LIMIT,
    // One line per request from our own hook instead: the default line carries the raw URL,
    // and DELETE /api/v1/tokens/{token} has a token in it.
    logController: new LogController({ disableRequestLogging: true }),
    return503OnClosing: true,
    // A request (headers and body) must arrive within 30 s, so a client that trickles bodies cannot
    // hold its in-flight slots forever. Upgraded WebSocket connections are not affected.
    requestTimeout: 30_000,
  }).withTypeProvider<TypeBoxTypeProvider>();
  app.setValidatorCompiler(validatorCompiler);
  installErrorHandling(app, options.bodyLimit ?? DEFAULT_BODY_LIMIT);
  store.setBroadcaster(options.broadcaster ?? { broadcast: () => undefined });
  const { registry } = installMetrics(app, store, { defaultMetrics: options.defaultMetrics ?? false });
  app.addHook('onResponse', async (request, reply) => {
    request.log.debug({ method: request.method, endpoint: request.routeOptions.url ?? 'unmatched',
      status: reply.statusCode, ms: Math.round(reply.elapsedTime * 10) / 10 }, 'request');
  });

  const resolve = createPrincipalResolver(store.tokens, options.adminToken);
  const limit = options.rateLimit?.limit ?? DEFAULT_RATE_LIMIT;
  const limiter = options.sharedLimits?.limiter ?? createRateLimiter({ limit, windowMs: options.rateLimit?.windowMs ?? 60_000, now });
  const gate = options.sharedLimits?.gate ?? createConcurrencyGate(options.maxInFlightPerToken ?? DEFAULT_MAX_IN_FLIGHT);
  const ctx: RouteContext = { store, clock: { now } };

  registerOpsRoutes(app, ctx, registry);
  app.register(async (api: TypedApp) => {
    api.addHook('onRequest', authenticateHook(resolve));
    api.addHook('onRequest', limitsHook(limiter, gate, limit));
    registerSkillRoutes(api, ctx);
    registerCategoryRoutes(api, ctx);
    registerRatingRoutes(api, ctx);
    registerPublishRoutes(api, ctx);
    registerTokenRoutes(api, ctx);
  }, { prefix: '/api/v1' });

  let hub: PushHub | undefined;
  if (options.push !== false) {
    hub = registerPushHub(app as unknown as FastifyInstance, {
      now,
      ...(options.push ?? {}),
      // The same token table as the HTTP API: a revoked token cannot open a socket either.
      authenticate: toAuthenticate(resolve),
      registry,
    });
    store.setBroadcaster(hub);
    // A token revoked on any replica closes its sockets here too.
    const pushHub = hub;
    postgres?.onTokenRevoked((hash) => pushHub.disconnectTokenHash(hash));
  }
  const handle: PlatformHandle = {
    get store(): PlatformStore {
      if (!sqlite) throw new Error('this platform runs on PostgreSQL: use platform.data');
      return sqlite;
    },
    data: store,
    registry,
    hub,
  };
  app.decorate('platform', handle);
  // After the hub's own onClose: stop pushing before the database goes away.
  app.addHook('onClose', async () => {
    if (ownsStore) await store.close();
  });
  return app as unknown as FastifyInstance;
}

function isStore(db: PlatformAppOptions['db']): db is PlatformStore {
  return typeof db === 'object' && 'listSkills' in db;
}

function isPostgres(db: PlatformAppOptions['db']): db is PostgresStore {
  return typeof db === 'object' && 'kind' in db && db.kind === 'postgres';
}
