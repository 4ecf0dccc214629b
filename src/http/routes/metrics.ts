import { Type } from 'typebox';
import type { Registry } from 'prom-client';
import type { TypedApp } from '../types.ts';

/** The exposition text is sent as a string: described here, never serialized through a schema. */
const MetricsResponse = {
  description: 'Prometheus text exposition format 0.0.4',
  content: { 'text/plain': { schema: Type.String() } },
};

/**
 * GET /metrics and GET /metrics/sync (the path of spec 002's scrape config): the same registry in
 * the Prometheus text format. No token, as scrapers expect; the server binds 127.0.0.1 by default.
 */
export function registerMetricsRoutes(app: TypedApp, registry: Registry): void {
  for (const url of ['/metrics', '/metrics/sync']) {
    app.get(url, { schema: { response: { 200: MetricsResponse } } }, async (_request, reply) => {
      const text = await registry.metrics();
      return reply.header('content-type', registry.contentType).send(text);
    });
  }
}
