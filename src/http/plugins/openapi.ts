import swagger, { type FastifyDynamicSwaggerOptions } from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance, FastifySchema } from 'fastify';
import pkg from '../../../package.json' with { type: 'json' };

/** Where the UI lives; the document is `${DOCS_PREFIX}/json` (and `/yaml`). */
export const DOCS_PREFIX = '/docs';

/** The bearer scheme the admin routes require (`Authorization: Bearer $ATOM_ADMIN_TOKEN`). */
export const ADMIN_SECURITY = 'adminToken';

/** One tag per route group, in the order the UI lists them. */
export const TAGS = [
  { name: 'health', description: 'Kubernetes probes; no token' },
  { name: 'metrics', description: 'Prometheus text format; no token' },
  { name: 'admin-sync', description: 'The sync actors: status, triggers, jobs, ratings, WebSocket, conflicts (admin token)' },
  { name: 'admin-actors', description: 'Every hosted actor: inspect, journal, operator events, SSE stream, its chart as SVG; journal slices as replayable traces (admin token)' },
  { name: 'local', description: 'The local marketplace API a local Atom uses; no token, keep the bind local' },
  { name: 'viewer', description: 'The live viewer page and its files; no token (the page asks for the admin token and calls the admin API)' },
] as const;

export type Tag = (typeof TAGS)[number]['name'];

/** The group of a route, from its URL; undefined for a URL no group claims (the test lists none). */
export function tagOf(url: string): Tag | undefined {
  if (url.startsWith('/health/')) return 'health';
  if (url === '/metrics' || url.startsWith('/metrics/')) return 'metrics';
  if (url.startsWith('/api/admin/sync/')) return 'admin-sync';
  if (url === '/api/admin/actors' || url.startsWith('/api/admin/actors/') || url.startsWith('/api/admin/diagrams/') || url === '/api/admin/trace') return 'admin-actors';
  if (url === '/api/skills' || url.startsWith('/api/skills/')) return 'local';
  if (url === '/admin' || url.startsWith('/admin/')) return 'viewer';
  return undefined;
}

/**
 * Tags and security come from the URL here rather than from each route: the admin prefix is where
 * the auth hook runs, so it is also where the document says a token is needed. The route's own
 * schema is not changed (a copy is returned).
 */
const transform: NonNullable<FastifyDynamicSwaggerOptions['transform']> = ({ schema, url }) => {
  const tag = tagOf(url);
  const described: FastifySchema = {
    ...schema,
    ...(tag ? { tags: [tag] } : {}),
    ...(url.startsWith('/api/admin/') ? { security: [{ [ADMIN_SECURITY]: [] }] } : {}),
  };
  return { schema: described, url };
};

/**
 * OpenAPI 3.1 at /docs/json and Swagger UI at /docs. Register on the root instance before the routes:
 * @fastify/swagger collects them with an onRoute hook and builds the document on the first request.
 * The UI's assets are served from the package (no CDN), and the UI is told not to call the public
 * validator, so /docs works offline. /docs needs no token: it describes the API, it does not act.
 */
export function registerOpenApi(app: FastifyInstance): void {
  app.register(swagger, {
    openapi: {
      // 3.1: its Schema Object is JSON Schema 2020-12, which is what TypeBox emits (`type: "null"`, `const`).
      openapi: '3.1.0',
      info: {
        title: pkg.name,
        version: pkg.version,
        description: 'The sync agent\'s operator shell: probes, metrics, the admin API and the local marketplace API (docs/shell.md).',
      },
      tags: TAGS.map((t) => ({ ...t })),
      components: {
        securitySchemes: {
          [ADMIN_SECURITY]: { type: 'http', scheme: 'bearer', description: 'ATOM_ADMIN_TOKEN (at least 16 characters)' },
        },
      },
    },
    transform,
  });
  app.register(swaggerUi, {
    routePrefix: DOCS_PREFIX,
    // No "valid" badge fetched from validator.swagger.io: nothing leaves the machine.
    uiConfig: { validatorUrl: null, deepLinking: true },
  });
}
