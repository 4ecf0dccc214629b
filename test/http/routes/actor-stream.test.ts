import { get, type IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import { startServer, type RunningShell } from '../../../src/http/server.ts';
import { createAgent } from '../../../src/runtime/agent.ts';
import { INSTANCE_TOKEN, startSeededPlatform } from '../../support/platform.ts';
import { agentConfig } from '../../support/config.ts';
import { useTempDir } from '../../support/temp-dir.ts';
import { useCleanups } from '../../support/cleanups.ts';
import { ADMIN, ADMIN_TOKEN, expectNoSecrets } from '../helpers.ts';

/** Opens the SSE stream; `next(pattern)` resolves with the text received once it matches (bounded). */
function openStream(url: string): Promise<{ response: IncomingMessage; next(pattern: RegExp, timeoutMs?: number): Promise<string>; close(): void }> {
  return new Promise((resolve, reject) => {
    const req = get(url, { headers: ADMIN }, (response) => {
      let text = '';
      const waiters: (() => void)[] = [];
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => {
        text += chunk;
        for (const w of waiters.splice(0)) w();
      });
      const next = (pattern: RegExp, timeoutMs = 5000) => new Promise<string>((ok, fail) => {
        const timer = setTimeout(() => fail(new Error(`no ${pattern} on the stream within ${timeoutMs} ms; got: ${text}`)), timeoutMs);
        const check = () => {
          if (pattern.test(text)) {
            clearTimeout(timer);
            ok(text);
          } else waiters.push(check);
        };
        check();
      });
      resolve({ response, next, close: () => req.destroy() });
    });
    req.on('error', reject);
  });
}

describe('GET /api/admin/actors/stream', () => {
  const tempDir = useTempDir();
  const cleanups = useCleanups();

  async function running(extra: Record<string, string> = {}): Promise<RunningShell> {
    const dir = tempDir();
    const platform = await startSeededPlatform(dir, 10);
    cleanups.push(() => platform.close());
    const config = agentConfig(dir, {
      ATOM_SAAS_API_URL: platform.url, ATOM_SAAS_API_TOKEN: INSTANCE_TOKEN, ATOM_SAAS_WS_ENABLED: 'false',
      ATOM_ADMIN_TOKEN: ADMIN_TOKEN, ATOM_HTTP_HOST: '127.0.0.1', ATOM_HTTP_PORT: '0', ...extra,
    });
    const agent = createAgent({ config });
    const shell = await startServer(agent, config, { sseHeartbeatMs: 50 });
    cleanups.push(() => shell.close());
    await agent.start();
    return shell;
  }

  it('streams the transition a POSTed event caused, with heartbeats, over a real connection', async () => {
    const shell = await running();
    expect(shell.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const stream = await openStream(`${shell.url}/api/admin/actors/stream`);
    expect(stream.response.statusCode).toBe(200);
    expect(stream.response.headers['content-type']).toMatch(/^text\/event-stream/);
    await stream.next(/: connected/);

    const posted = await fetch(`${shell.url}/api/admin/actors/syncCycle/events`, {
      method: 'POST', headers: { ...ADMIN, 'content-type': 'application/json' }, body: JSON.stringify({ type: 'sync.catchUp' }),
    });
    expect(posted.status).toBe(202);
    const text = await stream.next(/event: transition\ndata: \{[^\n]*"event":"sync\.catchUp"[^\n]*\}\n\n/);
    const line = text.split('\n').find((l) => l.startsWith('data: ') && l.includes('"sync.catchUp"'))!;
    expect(JSON.parse(line.slice('data: '.length))).toEqual({
      at: expect.any(String), actor: 'syncCycle', event: 'sync.catchUp', from: 'idle', to: 'syncing',
      // The event as it was sent, and the context after it (the queued kind of sync is in it).
      payload: { type: 'sync.catchUp' },
      context: expect.objectContaining({ lastError: null }),
    });
    await stream.next(/: heartbeat/);
    expectNoSecrets(text, 'SSE stream');
    stream.close();
  });

  it('refuses the stream without the token, and ends open streams when the server closes', async () => {
    const shell = await running();
    const denied = await fetch(`${shell.url}/api/admin/actors/stream`);
    expect(denied.status).toBe(401);
    await denied.text();

    const stream = await openStream(`${shell.url}/api/admin/actors/stream`);
    await stream.next(/: connected/);
    const ended = new Promise((resolve) => stream.response.on('end', resolve));
    await shell.close();
    await ended;
  });
});
