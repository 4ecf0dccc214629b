import { describe, expect, it } from 'vitest';
import type { RouteOptions } from 'fastify';
import pkg from '../../../package.json' with { type: 'json' };
import { ADMIN_SECURITY, DOCS_PREFIX, OPENAPI_TAGS, tagOf } from '../../../src/http/plugins/openapi.ts';
import { useShells, type Request } from '../helpers.ts';

interface Operation {
  tags?: string[];
  security?: Record<string, string[]>[];
  parameters?: { in: string; name: string; required?: boolean }[];
  responses?: Record<string, { description?: string; content?: Record<string, { schema?: unknown }> }>;
}
interface OpenApiDocument {
  openapi: string;
  info: { title: string; version: string };
  tags?: { name: string }[];
  paths: Record<string, Record<string, Operation>>;
  components?: { securitySchemes?: Record<string, { type: string; scheme?: string }>; schemas?: Record<string, unknown> };
}

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];

/** `/actors/:id` → `/actors/{id}`, as OpenAPI writes a path template. */
const openApiPath = (url: string) => url.replace(/:([A-Za-z0-9_]+)/g, '{$1}');

/** An absolute URL to any host: the docs must not load anything from one. */
const EXTERNAL_URL = /\bhttps?:\/\//i;

/** src= and href= values of an HTML page. */
const references = (html: string) => [...html.matchAll(/\b(?:src|href)\s*=\s*["']([^"']+)["']/gi)].map((m) => m[1]!);

describe('OpenAPI document and Swagger UI at /docs', () => {
  const shell = useShells();

  /** The app with every route it registers recorded (method, OpenAPI path), ready. */
  async function documented(env: Record<string, string> = {}) {
    const s = await shell({ start: false, env });
    const routes: { method: string; path: string }[] = [];
    s.app.addHook('onRoute', (route: RouteOptions) => {
      for (const method of [route.method].flat()) routes.push({ method: method.toLowerCase(), path: openApiPath(route.url ?? '') });
    });
    await s.app.ready();
    return { ...s, routes };
  }

  async function documentOf(request: Request): Promise<OpenApiDocument> {
    const res = await request({ method: 'GET', url: `${DOCS_PREFIX}/json` });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    return res.json() as OpenApiDocument;
  }

  const operations = (doc: OpenApiDocument) =>
    Object.entries(doc.paths).flatMap(([path, item]) =>
      Object.entries(item).filter(([method]) => METHODS.includes(method)).map(([method, op]) => ({ path, method, op })));

  it('/docs/json is an OpenAPI 3 document named after the package, served without a token', async () => {
    const { request } = await documented();
    const doc = await documentOf(request); // no Authorization header
    expect(doc.openapi).toMatch(/^3\.\d+\.\d+$/);
    expect(doc.info).toMatchObject({ title: pkg.name, version: pkg.version });
    expect(doc.components?.securitySchemes?.[ADMIN_SECURITY]).toMatchObject({ type: 'http', scheme: 'bearer' });
    expect(doc.tags?.map((t) => t.name)).toEqual(OPENAPI_TAGS.map((t) => t.name));
    const text = JSON.stringify(doc);
    // TypeBox's own markers (`~kind`, `~optional`) are not JSON Schema and must not leak into the document.
    expect(text).not.toMatch(/"~/);
    // Every local $ref points at something in the document.
    for (const [, ref] of text.matchAll(/"\$ref":"(#[^"]*)"/g)) {
      const target = ref!.slice(2).split('/').reduce<unknown>((node, key) => (node as Record<string, unknown> | undefined)?.[key], doc);
      expect(target, ref).toBeDefined();
    }
    // Path templates and path parameters agree.
    for (const { path, method, op } of operations(doc)) {
      const inPath = [...path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]).sort();
      const declared = (op.parameters ?? []).filter((p) => p.in === 'path').map((p) => p.name).sort();
      expect(declared, `${method} ${path}`).toEqual(inPath);
      for (const p of op.parameters ?? []) if (p.in === 'path') expect(p.required, `${method} ${path} ${p.name}`).toBe(true);
    }
  });

  it('lists every route the app registers, with its methods, and nothing else', async () => {
    const { request, routes } = await documented();
    const doc = await documentOf(request);
    // HEAD routes are the ones Fastify adds for each GET; the docs routes describe, they are not the API.
    const expected = routes.filter((r) => r.method !== 'head' && !(r.path === DOCS_PREFIX || r.path.startsWith(`${DOCS_PREFIX}/`)));
    expect(expected.length).toBeGreaterThan(30);
    const listed = operations(doc).map(({ path, method }) => `${method.toUpperCase()} ${path}`).sort();
    expect(listed).toEqual([...new Set(expected.map((r) => `${r.method.toUpperCase()} ${r.path}`))].sort());
  });

  it('tags each operation with its group, requires the bearer token on exactly the admin routes, and gives every operation a response schema', async () => {
    const { request } = await documented();
    const doc = await documentOf(request);
    const seen = new Set<string>();
    for (const { path, method, op } of operations(doc)) {
      const what = `${method.toUpperCase()} ${path}`;
      const tag = tagOf(path);
      expect(tag, `${what} belongs to no route group`).toBeDefined();
      expect(op.tags, what).toEqual([tag]);
      seen.add(tag!);
      if (path.startsWith('/api/admin/')) {
        expect(op.security, what).toEqual([{ [ADMIN_SECURITY]: [] }]);
        for (const status of ['401', '503']) expect(op.responses?.[status], `${what} ${status}`).toBeDefined();
      } else {
        expect(op.security, what).toBeUndefined();
      }
      const responses = Object.entries(op.responses ?? {});
      expect(responses.length, what).toBeGreaterThan(0);
      expect(responses.some(([status]) => /^2\d\d$/.test(status)), `${what} has no success response`).toBe(true);
      for (const [status, response] of responses) {
        const media = Object.values(response.content ?? {});
        expect(media.length, `${what} ${status} has no content`).toBeGreaterThan(0);
        for (const m of media) expect(m.schema, `${what} ${status} has no schema`).toBeDefined();
      }
    }
    expect([...seen].sort()).toEqual(OPENAPI_TAGS.map((t) => t.name).sort());
  });

  it('describes the SSE stream as text/event-stream and the metrics as text/plain', async () => {
    const { request } = await documented();
    const doc = await documentOf(request);
    expect(Object.keys(doc.paths['/api/admin/actors/stream']?.get?.responses?.['200']?.content ?? {})).toEqual(['text/event-stream']);
    for (const path of ['/metrics', '/metrics/sync']) {
      expect(Object.keys(doc.paths[path]?.get?.responses?.['200']?.content ?? {}), path).toEqual(['text/plain']);
    }
    // JSON routes stay JSON.
    expect(Object.keys(doc.paths['/api/admin/actors']?.get?.responses?.['200']?.content ?? {})).toEqual(['application/json']);
  });

  it('serves the UI without a token, from local assets only', async () => {
    const { request } = await documented();
    // The UI's own index.html path redirects to the page.
    const redirect = await request({ method: 'GET', url: `${DOCS_PREFIX}/static/index.html` });
    expect(redirect.statusCode).toBe(302);
    expect(redirect.headers.location).toBe(`${DOCS_PREFIX}/`);

    for (const page of [DOCS_PREFIX, `${DOCS_PREFIX}/`]) {
      const res = await request({ method: 'GET', url: page });
      expect(res.statusCode, page).toBe(200);
      expect(res.headers['content-type'], page).toMatch(/^text\/html/);
      expect(res.body, page).not.toMatch(EXTERNAL_URL);
      const refs = references(res.body);
      expect(refs.length, page).toBeGreaterThan(3);
      for (const ref of refs) {
        expect(ref, `${page} references ${ref}`).toMatch(/^(\.\/|\/docs\/)/);
        // Every asset the page loads is there.
        const url = new URL(ref, `http://shell.invalid${page}`).pathname;
        const asset = await request({ method: 'GET', url });
        expect(asset.statusCode, `${page} → ${url}`).toBe(200);
      }
    }
  });

  it('serves the Swagger UI assets from the package, and the UI calls no public validator', async () => {
    const { request } = await documented();
    const css = await request({ method: 'GET', url: `${DOCS_PREFIX}/static/swagger-ui.css` });
    expect(css.statusCode).toBe(200);
    expect(css.headers['content-type']).toMatch(/^text\/css/);
    // url(...) in the stylesheet: inline data or local files only (the w3.org in it is an SVG xmlns inside data: URIs).
    for (const [, target] of css.body.matchAll(/url\(\s*["']?([^"')]+)/g)) expect(target, 'swagger-ui.css url()').not.toMatch(EXTERNAL_URL);

    const bundle = await request({ method: 'GET', url: `${DOCS_PREFIX}/static/swagger-ui-bundle.js` });
    expect(bundle.statusCode).toBe(200);
    expect(bundle.headers['content-type']).toMatch(/javascript/);
    expect(bundle.body.length).toBeGreaterThan(100_000);

    const init = await request({ method: 'GET', url: `${DOCS_PREFIX}/static/swagger-initializer.js` });
    expect(init.statusCode).toBe(200);
    expect(init.body).toContain('"validatorUrl":null');
    // Outside comments, the initializer names no other host: the spec is `./json`, relative to the page.
    const code = init.body.split('\n').filter((line) => !line.trim().startsWith('//')).join('\n');
    expect(code).not.toMatch(EXTERNAL_URL);
    expect(code).toContain("resolveUrl('./json')");
  });

  it('stays readable while the admin API is disabled, and the admin routes still refuse without a token', async () => {
    const { request } = await documented({ ATOM_ADMIN_TOKEN: '' });
    expect((await request({ method: 'GET', url: DOCS_PREFIX })).statusCode).toBe(200);
    const doc = await documentOf(request);
    expect(doc.paths['/api/admin/sync/status']).toBeDefined();
    expect((await request({ method: 'GET', url: '/api/admin/sync/status' })).statusCode).toBe(503);
  });

  it('does not open the admin API: the docs routes sit outside /api/admin and a missing token is still 401', async () => {
    const { request } = await documented();
    expect((await request({ method: 'GET', url: '/api/admin/actors' })).statusCode).toBe(401);
    expect((await request({ method: 'GET', url: `${DOCS_PREFIX}/yaml` })).statusCode).toBe(200);
  });
});
