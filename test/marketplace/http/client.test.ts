import { describe, expect, it } from 'vitest';
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createPlatformClient } from '../../../src/marketplace/http/client.ts';
import { useCleanups } from '../../support/cleanups.ts';

describe('closing the platform client', () => {
  const cleanups = useCleanups();

  it('aborts a request to a stalled platform after its grace period instead of waiting for the deadline', async () => {
    // A platform that takes the request and never answers.
    const held: ServerResponse[] = [];
    const server = createServer((_req, res) => void held.push(res));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    cleanups.push(() => new Promise((resolve) => server.close(resolve)));
    cleanups.push(() => server.closeAllConnections());
    const client = createPlatformClient({ baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, token: 'token-0123456789abcdef', timeoutMs: 60_000 });

    const request = client.listSkills({ pageSize: 10, page: 1 });
    const outcome = request.then(() => 'answered', (error: Error) => error);
    while (held.length === 0) await new Promise((resolve) => setTimeout(resolve, 5));
    const started = performance.now();
    await client.close(50);
    // Well under the 60 s deadline: the request was aborted, and fails as a transient error.
    expect(performance.now() - started).toBeLessThan(5000);
    expect(await outcome).toMatchObject({ kind: 'transient' });
  });
});

describe('a redirect from the platform', () => {
  const cleanups = useCleanups();

  it('is reported as a redirect with its target, token masked, and not followed', async () => {
    const seen: string[] = [];
    const server = createServer((req, res) => {
      seen.push(req.url ?? '');
      res.writeHead(301, { location: '/elsewhere/api/v1/skills?token=leaked-secret-value&x=1' });
      res.end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    cleanups.push(() => new Promise((resolve) => server.close(resolve)));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const client = createPlatformClient({ baseUrl: base, token: 'token-0123456789abcdef', timeoutMs: 5000 });
    cleanups.push(() => client.close());

    const error = await client.listSkills({ pageSize: 10, page: 1 }).then(() => new Error('answered'), (e: Error & { kind?: string; status?: number }) => e);
    expect(error).toMatchObject({ kind: 'invalid', status: 301 });
    expect(error.message).toContain(`HTTP 301: a redirect to ${base}/elsewhere/api/v1/skills?token=***&x=1 (not followed`);
    expect(error.message).not.toContain('leaked-secret-value');
    expect(seen).toHaveLength(1);
  });
});
