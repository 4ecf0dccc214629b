import { describe, expect, it } from 'vitest';
import { connect } from 'node:net';
import { startServer } from '../../src/http/server.ts';
import { createAgent } from '../../src/runtime/create-agent.ts';
import { agentConfig } from '../support/config.ts';
import { useTempDir } from '../support/temp-dir.ts';
import { useCleanups } from '../support/cleanups.ts';
import { ADMIN, ADMIN_TOKEN, useShells } from './helpers.ts';

/** Raw bytes to the listening shell and everything it answers until it closes the connection. */
function rawExchange(port: number, bytes: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => socket.end(bytes));
    let text = '';
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => (text += chunk));
    socket.on('close', () => resolve(text));
    socket.on('error', reject);
  });
}

const bodyOf = (response: string) => JSON.parse(response.slice(response.indexOf('\r\n\r\n') + 4)) as unknown;

describe('errors the router and the HTTP parser answer keep the {error, message} shape', () => {
  const shell = useShells();
  const tempDir = useTempDir('atom-errors-');
  const cleanups = useCleanups();

  it('a path with malformed percent-encoding: 400 {error, message}, the URL not echoed', async () => {
    const { request } = await shell();
    for (const url of ['/%ff', '/api/skills/%ff', '/api/admin/actors/%E0%A4%A']) {
      const res = await request({ method: 'GET', url, headers: ADMIN });
      expect(res.statusCode, url).toBe(400);
      expect(res.json()).toEqual({ error: 'Bad Request', message: 'the URL is not valid: it holds a malformed percent-encoding' });
      expect(res.body).not.toContain('%');
    }
  });

  it('headers past 16 KiB, and a request that is not HTTP: 431 / 400 {error, message} on the socket', async () => {
    const config = agentConfig(tempDir(), { ATOM_SAAS_ENABLED: 'false', ATOM_ADMIN_TOKEN: ADMIN_TOKEN, ATOM_HTTP_HOST: '127.0.0.1', ATOM_HTTP_PORT: '0' });
    const running = await startServer(createAgent({ config }), config);
    cleanups.push(() => running.close());
    const port = Number(new URL(running.url).port);

    const big = await rawExchange(port, `GET /api/skills?x=1 HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`);
    expect(big).toMatch(/^HTTP\/1\.1 431 /);
    expect(bodyOf(big)).toEqual({ error: 'Request Header Fields Too Large', message: expect.stringContaining('16 KiB') });
    expect(big).not.toContain('/api/skills');

    const garbage = await rawExchange(port, 'NOT HTTP AT ALL\r\n\r\n');
    expect(garbage).toMatch(/^HTTP\/1\.1 400 /);
    expect(bodyOf(garbage)).toEqual({ error: 'Bad Request', message: 'the request is not valid HTTP' });
  });

  it('`Bearer <token> junk` is reported as a malformed header, not a missing token', async () => {
    const { request } = await shell();
    const cases = [
      [undefined, 'missing bearer token'],
      [`Bearer ${ADMIN_TOKEN} junk`, 'malformed Authorization header'],
      [`Basic ${ADMIN_TOKEN}`, 'malformed Authorization header'],
      ['Bearer', 'malformed Authorization header'],
      ['Bearer wrong-token-0123456789abcdef', 'invalid bearer token'],
    ] as const;
    for (const [authorization, message] of cases) {
      const res = await request({ method: 'GET', url: '/api/admin/actors', headers: authorization === undefined ? {} : { authorization } });
      expect(res.statusCode).toBe(401);
      expect(res.json(), String(authorization)).toEqual({ error: 'Unauthorized', message: expect.stringContaining(message) });
    }
  });
});
