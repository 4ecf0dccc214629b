import { Type } from 'typebox';
import type { Registry } from 'prom-client';
import type { TypedApp, RouteContext } from '../context.ts';

export const PLATFORM_VERSION = '1.0.0';

const HealthResponse = Type.Object({
  status: Type.Union([Type.Literal('healthy'), Type.Literal('unhealthy')]),
  timestamp: Type.String(),
  version: Type.String(),
  checks: Type.Object({ database: Type.Union([Type.Literal('healthy'), Type.Literal('unhealthy')]) }),
});

/** GET /health and GET /metrics: no token, so probes and scrapers need no secret. */
export function registerOpsRoutes(app: TypedApp, { store, clock }: RouteContext, registry: Registry): void {
  app.get('/health', { schema: { response: { 200: HealthResponse, 503: HealthResponse } } }, async (_request, reply) => {
    const database = (await store.healthy()) ? 'healthy' : 'unhealthy';
    return reply.code(database === 'healthy' ? 200 : 503).send({
      status: database,
      timestamp: new Date(clock.now()).toISOString(),
      version: PLATFORM_VERSION,
      checks: { database },
    });
  });

  app.get('/metrics', async (_request, reply) => {
    const text = await registry.metrics();
    return reply.header('Content-Type', registry.contentType).send(text);
  });
}
