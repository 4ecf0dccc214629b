import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import { Type } from 'typebox';
import type { TypedApp } from '../types.ts';
import { ErrorResponse } from '../schemas/common.ts';
import { viewerHeaders } from './headers.ts';

// The live viewer page: /admin and its assets, plain files from ./public (no bundler, no CDN). The
// page and its scripts are public: they hold no data. Everything they show comes from the admin API,
// which they call with the token the operator types in.

export const VIEWER_PATH = '/admin';
export const ASSETS_PREFIX = '/admin/assets/';

const PUBLIC_DIR = fileURLToPath(new URL('./public/', import.meta.url));
const ASSETS_DIR = fileURLToPath(new URL('./public/assets/', import.meta.url));

/** The asset types the page uses, as served (nosniff: the browser trusts exactly these). */
const AssetResponse = {
  description: 'A file of the viewer page',
  content: {
    'application/javascript': { schema: Type.String() },
    'text/css': { schema: Type.String() },
    'image/svg+xml': { schema: Type.String() },
  },
};

// Flat names only: no path separator or dot-dot can reach the file system.
const AssetParams = Type.Object({ file: Type.String({ pattern: '^[a-z][a-z0-9-]*\\.(?:js|css|svg)$', maxLength: 64 }) });

const PageResponse = { description: 'The viewer page', content: { 'text/html': { schema: Type.String() } } };

/** GET /admin (the page) and GET /admin/assets/{file}, with the viewer's security headers. */
export async function viewerPage(app: TypedApp): Promise<void> {
  // serve: false: no wildcard route of the plugin's own; the assets route below has a schema. The
  // names are not versioned, so the browser revalidates (ETag) rather than keeping a stale script.
  await app.register(fastifyStatic, { root: ASSETS_DIR, serve: false, index: false, cacheControl: false });
  app.addHook('onSend', viewerHeaders);
  // Read once: the page is a few hundred bytes and never changes while the process runs.
  const html = readFileSync(`${PUBLIC_DIR}index.html`, 'utf8');

  app.get(VIEWER_PATH, { schema: { response: { 200: PageResponse } } }, async (_request, reply) =>
    reply.type('text/html; charset=utf-8').header('cache-control', 'no-store').send(html));

  app.get(`${ASSETS_PREFIX}:file`, {
    schema: { params: AssetParams, response: { 200: AssetResponse, 400: ErrorResponse, 404: ErrorResponse } },
  }, async (request, reply) => reply.header('cache-control', 'no-cache').sendFile(request.params.file));
}
