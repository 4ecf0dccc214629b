import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { FastifyInstance } from 'fastify';
import type { PlatformData } from './data.ts';

export interface PlatformMetrics {
  registry: Registry;
}

/**
 * The `atom_saas_*` metrics of spec 000 "Metrics Endpoint" on a registry of this server's own,
 * so two servers in one process (tests) never share counters. `endpoint` is the route pattern
 * (`/api/v1/skills/:skill_id`), never the raw URL: bounded label values, and no token from
 * DELETE /api/v1/tokens/{token} in a label.
 */
export function installMetrics(app: FastifyInstance, store: PlatformData, options: { defaultMetrics: boolean }): PlatformMetrics {
  const registry = new Registry();
  if (options.defaultMetrics) collectDefaultMetrics({ register: registry, prefix: 'atom_saas_platform_' });
  const labelNames = ['endpoint', 'method', 'status'] as const;
  const duration = new Histogram({
    name: 'atom_saas_api_request_duration_seconds',
    help: 'HTTP API request duration in seconds',
    labelNames,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.2, 0.5, 1, 2.5],
    registers: [registry],
  });
  const total = new Counter({
    name: 'atom_saas_api_requests_total',
    help: 'HTTP API requests',
    labelNames,
    registers: [registry],
  });
  new Gauge({
    name: 'atom_saas_push_high_water_seq',
    help: 'Last seq allocated to a change (the WebSocket high-water mark)',
    registers: [registry],
    async collect() {
      try {
        this.set(await store.changes.current());
      } catch {
        // The database is down: /health says so; the gauge keeps its last value.
      }
    },
  });
  app.addHook('onResponse', async (request, reply) => {
    const labels = {
      endpoint: request.routeOptions.url ?? 'unmatched',
      method: request.method,
      status: String(reply.statusCode),
    };
    duration.observe(labels, reply.elapsedTime / 1000);
    total.inc(labels);
  });
  return { registry };
}
