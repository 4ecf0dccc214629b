import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { AgentConfig } from '../config/index.ts';
import type { Logger } from '../logging/logger.ts';
import type { Agent } from '../runtime/create-agent.ts';
import { createAgentMetrics } from '../runtime/metrics.ts';
import { validatorCompiler } from '../fastify-typebox/validator.ts';
import { clientErrorHandler, frameworkErrorHandler, installErrorHandling } from './errors.ts';
import { installJsonBodyParser } from './json-body.ts';
import { hostGuardHook, hostPolicy } from './plugins/host-guard.ts';
import { localWriteAuthHook } from './plugins/local-write-auth.ts';
import { agentPlugin } from './plugins/agent.ts';
import { adminAuthHook } from './plugins/admin-auth.ts';
import { registerOpenApi } from './plugins/openapi.ts';
import { registerHealthRoutes } from './routes/health.ts';
import { registerMetricsRoutes } from './routes/metrics.ts';
import { registerActorRoutes } from './routes/actors.ts';
import { registerActorStream } from './routes/actor-stream.ts';
import { registerTraceRoute } from './routes/trace.ts';
import { registerSyncStatusRoutes } from './routes/sync-status.ts';
import { registerSyncConfigRoutes } from './routes/sync-config.ts';
import { registerSyncRatingRoutes } from './routes/sync-ratings.ts';
import { registerSyncWebSocketRoutes } from './routes/sync-websocket.ts';
import { registerSyncConflictRoutes } from './routes/sync-conflicts.ts';
import { registerLocalSkillRoutes } from './routes/local-skills.ts';
import { registerDiagramRoute } from './viewer/diagram.ts';
import { viewerPage } from './viewer/page.ts';
import type { TypedApp } from './types.ts';

export interface ShellOptions {
  logger?: Logger;
  /** SSE heartbeat period (tests shorten it). */
  sseHeartbeatMs?: number;
  /** Node process metrics (CPU, memory, event-loop lag) on /metrics; the CLI turns them on. */
  processMetrics?: boolean;
}

/**
 * The agent's operator shell (DESIGN.md "HTTP shell"), built without listening: tests `inject`,
 * server.ts listens. Routes only translate: schemas in, DTOs out. The app owns the agent from here
 * on (plugins/agent.ts stops it on close) and the metrics it registers, which count from now: build
 * the app before starting the agent to see the initial sync in them.
 */
export function buildApp(agent: Agent, config: AgentConfig, options: ShellOptions = {}): FastifyInstance {
  const app = Fastify({
    ...(options.logger ? { loggerInstance: options.logger as FastifyBaseLogger } : { logger: false }),
    // The default request line carries the raw URL and headers; the logger redacts, but the shell has
    // nothing worth a line per probe and scrape.
    logController: new LogController({ disableRequestLogging: true }),
    return503OnClosing: true,
    requestTimeout: 30_000,
    bodyLimit: 64 * 1024, // operator events are tiny
    // Fastify's own answers to these echo the URL and add code/statusCode: ours keep {error, message}.
    frameworkErrors: frameworkErrorHandler,
    clientErrorHandler,
  }).withTypeProvider<TypeBoxTypeProvider>();
  app.setValidatorCompiler(validatorCompiler);
  installErrorHandling(app as unknown as FastifyInstance);
  installJsonBodyParser(app as unknown as FastifyInstance);
  // First hook of every route, the 404 handler and the viewer's files included (DNS rebinding).
  app.addHook('onRequest', hostGuardHook(hostPolicy(config.http)));

  const startedAt = agent.clock.now();
  const metrics = createAgentMetrics(agent, { processMetrics: options.processMetrics ?? false });
  app.register(agentPlugin, { agent });
  app.addHook('onClose', async () => metrics.close());
  // Before the routes: it collects them as they are added. /docs and /docs/json need no token.
  registerOpenApi(app as unknown as FastifyInstance);

  app.register(async (ops: TypedApp) => {
    registerHealthRoutes(ops, { startedAt });
    registerMetricsRoutes(ops, metrics.registry);
  });
  app.register(async (admin: TypedApp) => {
    admin.addHook('onRequest', adminAuthHook(config.http.adminToken));
    registerActorStream(admin, { heartbeatMs: options.sseHeartbeatMs });
    registerActorRoutes(admin);
    registerTraceRoute(admin);
    registerSyncStatusRoutes(admin);
    registerSyncConfigRoutes(admin);
    registerSyncRatingRoutes(admin);
    registerSyncWebSocketRoutes(admin);
    registerSyncConflictRoutes(admin);
    registerDiagramRoute(admin);
  }, { prefix: '/api/admin' });
  // The live viewer page at /admin: public files, which call the admin API above with the token the
  // operator types in (they hold no data themselves).
  app.register(viewerPage);
  // The local marketplace API: what a local Atom uses (not under /api/admin). No token on loopback;
  // its writes take ATOM_ADMIN_TOKEN on any other bind (docs/security.md).
  app.register(async (local: TypedApp) => {
    local.addHook('onRequest', localWriteAuthHook(config.http));
    registerLocalSkillRoutes(local);
  });
  return app as unknown as FastifyInstance;
}
