import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import { ADMIN, ADMIN_TOKEN, useShells } from '../helpers.ts';
import { ASSETS_PREFIX, VIEWER_PATH } from '../../../src/http/viewer/page.ts';
import { VIEWER_CSP } from '../../../src/http/viewer/headers.ts';

const ASSETS_DIR = new URL('../../../src/http/viewer/public/assets/', import.meta.url);

/** src= and href= values of an HTML page. */
const references = (html: string) => [...html.matchAll(/\b(?:src|href)\s*=\s*["']([^"']+)["']/gi)].map((m) => m[1]!);

const CONTENT_TYPES: Record<string, RegExp> = {
  js: /^(?:application|text)\/javascript\b/,
  css: /^text\/css\b/,
  svg: /^image\/svg\+xml\b/,
};

describe('the viewer page at /admin', () => {
  const shell = useShells();

  it('serves the page without a token, with a CSP that allows only this origin\'s scripts and styles', async () => {
    const { request } = await shell({ start: false });
    const res = await request({ method: 'GET', url: VIEWER_PATH });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
    const csp = String(res.headers['content-security-policy']);
    expect(csp).toBe(VIEWER_CSP);
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("style-src 'self'");
    expect(csp).toContain("default-src 'none'");
    expect(csp).not.toMatch(/unsafe-(?:inline|eval)/);
    expect(res.headers).toMatchObject({
      'x-content-type-options': 'nosniff',
      'referrer-policy': 'no-referrer',
      'x-frame-options': 'DENY',
      'cache-control': 'no-store',
    });
  });

  it('has no inline script or style, and loads nothing from another host', async () => {
    const { request } = await shell({ start: false });
    const html = (await request({ method: 'GET', url: VIEWER_PATH })).body;
    expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/i); // every <script> has a src
    expect(html).not.toMatch(/<style\b|\sstyle=|\son[a-z]+=/i);
    const refs = references(html);
    expect(refs.length).toBeGreaterThan(0);
    for (const ref of refs) expect(ref, ref).toMatch(new RegExp(`^${ASSETS_PREFIX}[a-z-]+\\.(?:js|css|svg)$`));
    // The token form must never submit the token into a URL.
    expect(html).toMatch(/<form id="login"[^>]*method="post"/);
  });

  it('serves every asset the page and its modules reference, with the right content type and the same headers', async () => {
    const { request } = await shell({ start: false });
    const html = (await request({ method: 'GET', url: VIEWER_PATH })).body;
    const files = readdirSync(ASSETS_DIR);
    // Module imports (`from './api.js'`) reach files the page does not name.
    const imported = files.filter((f) => f.endsWith('.js')).flatMap((f) =>
      [...readFileSync(new URL(f, ASSETS_DIR), 'utf8').matchAll(/from '\.\/([a-z-]+\.js)'/g)].map((m) => m[1]!));
    for (const name of imported) expect(files, `${name} is imported but missing`).toContain(name);
    const wanted = new Set([...references(html).map((r) => r.slice(ASSETS_PREFIX.length)), ...imported]);
    expect([...wanted].sort()).toEqual([...files].sort()); // and nothing unused lies in the folder
    for (const file of files) {
      const res = await request({ method: 'GET', url: `${ASSETS_PREFIX}${file}` });
      expect(res.statusCode, file).toBe(200);
      expect(res.headers['content-type'], file).toMatch(CONTENT_TYPES[file.split('.').pop()!]!);
      expect(res.headers['content-security-policy'], file).toBe(VIEWER_CSP);
      expect(res.headers['x-content-type-options'], file).toBe('nosniff');
      expect(res.body, file).toBe(readFileSync(new URL(file, ASSETS_DIR), 'utf8'));
    }
  });

  it('answers 404 JSON for a missing asset and 400 for a name that is not a flat asset name', async () => {
    const { request } = await shell({ start: false });
    const missing = await request({ method: 'GET', url: `${ASSETS_PREFIX}nothing.js` });
    expect(missing.statusCode).toBe(404);
    expect(missing.json()).toEqual({ error: 'Not Found', message: 'no such route' });
    for (const url of [`${ASSETS_PREFIX}..%2Fpage.ts`, `${ASSETS_PREFIX}%2E%2E%2Findex.html`, `${ASSETS_PREFIX}index.html`, `${ASSETS_PREFIX}.hidden.js`]) {
      const res = await request({ method: 'GET', url });
      expect(res.statusCode, url).toBe(400);
      expect(Object.keys(res.json()).sort(), url).toEqual(['error', 'message']);
    }
  });

  it('never puts the admin token in the page or an asset, whatever the request carries', async () => {
    const { request } = await shell({ start: false });
    // `request` checks every body and header for the configured tokens.
    const html = await request({ method: 'GET', url: VIEWER_PATH, headers: ADMIN });
    expect(html.statusCode).toBe(200);
    for (const file of readdirSync(ASSETS_DIR)) {
      const res = await request({ method: 'GET', url: `${ASSETS_PREFIX}${file}`, headers: ADMIN });
      expect(res.body.includes(ADMIN_TOKEN)).toBe(false);
    }
  });
});
