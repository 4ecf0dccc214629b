import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { ADMIN, useShells } from '../helpers.ts';
import { SVG_CSP } from '../../../src/http/viewer/headers.ts';

const VISUALIZATIONS = new URL('../../../visualizations/', import.meta.url);
const withoutHooks = (svg: string) => svg.replace(/ data-state="[^"]*"/g, '');
const hooks = (svg: string) => [...svg.matchAll(/data-state="([^"]*)"/g)].map((m) => m[1]!).sort();

describe('GET /api/admin/diagrams/{machine}', () => {
  const shell = useShells();

  it('returns the chart of every hosted actor\'s machine as SVG, with a data-state hook on every state', async () => {
    const { request } = await shell({ skills: 5 });
    const actors = (await request({ method: 'GET', url: '/api/admin/actors', headers: ADMIN })).json() as { machine: string }[];
    expect(actors.map((a) => a.machine).sort()).toEqual(['agent', 'conflicts', 'connection', 'ratingSync', 'syncCycle']);
    for (const { machine } of actors) {
      const res = await request({ method: 'GET', url: `/api/admin/diagrams/${machine}`, headers: ADMIN });
      expect(res.statusCode, machine).toBe(200);
      expect(res.headers['content-type'], machine).toBe('image/svg+xml; charset=utf-8');
      expect(res.headers['content-security-policy'], machine).toBe(SVG_CSP);
      expect(res.headers['x-content-type-options'], machine).toBe('nosniff');
      expect(res.body, machine).toMatch(/^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
      // The committed chart (kept current by test/viz/visualizations.test.ts), plus the hooks.
      expect(withoutHooks(res.body), machine).toBe(readFileSync(new URL(`${machine}.svg`, VISUALIZATIONS), 'utf8'));
    }
    const connection = (await request({ method: 'GET', url: '/api/admin/diagrams/connection', headers: ADMIN })).body;
    expect(hooks(connection)).toEqual(['backingOff', 'checking', 'disabled', 'failing', 'fallback', 'init', 'link', 'link.connecting', 'link.open', 'probing', 'suspended', 'unauthorized']);
    expect(connection).toMatch(/<g class="subgraph" data-id="link" data-state="link"/);
    expect(connection).toMatch(/<g class="node" data-id="link_open" data-state="link.open"/);
  });

  it('answers 404 {error, message} for a machine this agent does not run, echoing only id-like names', async () => {
    const { request } = await shell(); // local-only: no connection actor
    for (const [machine, named] of [['nope', 'nope'], ['connection', 'connection'], ['conflictRow', 'conflictRow'], ['%3Cb%3E', 'with that id']] as const) {
      const res = await request({ method: 'GET', url: `/api/admin/diagrams/${machine}`, headers: ADMIN });
      expect(res.statusCode, machine).toBe(404);
      expect(res.headers['content-type']).toMatch(/^application\/json/);
      expect(res.json()).toEqual({ error: 'Not Found', message: `no machine ${named} runs in this agent` });
    }
    expect((await request({ method: 'GET', url: '/api/admin/diagrams/agent', headers: ADMIN })).statusCode).toBe(200);
  });

  it('needs the admin token like the rest of /api/admin, and is off without one', async () => {
    const { request } = await shell();
    const missing = await request({ method: 'GET', url: '/api/admin/diagrams/agent' });
    expect(missing.statusCode).toBe(401);
    expect(missing.headers['www-authenticate']).toBe('Bearer');
    expect(Object.keys(missing.json()).sort()).toEqual(['error', 'message']);
    const wrong = await request({ method: 'GET', url: '/api/admin/diagrams/agent', headers: { authorization: 'Bearer not-the-admin-token-0123456789' } });
    expect(wrong.statusCode).toBe(401);

    const { request: disabled } = await shell({ env: { ATOM_ADMIN_TOKEN: '' } });
    expect((await disabled({ method: 'GET', url: '/api/admin/diagrams/agent', headers: ADMIN })).statusCode).toBe(503);
  });
});
