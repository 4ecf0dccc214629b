import { describe, expect, it } from 'vitest';
import { createLogger, type LoggerOptions } from '../../src/logging/logger.ts';

/** A logger writing into an array: pino accepts any object with write(line). */
function capture(options: Omit<LoggerOptions, 'destination'> = {}) {
  const lines: string[] = [];
  const log = createLogger({ ...options, destination: { write: (line: string) => void lines.push(line) } });
  return {
    log,
    lines,
    text: () => lines.join(''),
    records: () => lines.map((line) => JSON.parse(line) as Record<string, unknown>),
  };
}

function expectMasked(text: string, secrets: readonly string[]): void {
  expect(text).toContain('***');
  for (const secret of secrets) expect(text, `log leaks ${secret}`).not.toContain(secret);
}

const BEARER = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhZ2VudCJ9.c2lnbmF0dXJl';

describe('createLogger', () => {
  it('writes one JSON line per call, named atom-sync, honouring the level', () => {
    const { log, records } = capture({ level: 'info' });
    log.debug('hidden');
    log.info({ skills: 3 }, 'synced');
    expect(records()).toEqual([expect.objectContaining({ name: 'atom-sync', level: 30, skills: 3, msg: 'synced' })]);
  });

  it('masks authorization headers of request-like objects', () => {
    const { log, text, records } = capture();
    log.info({ req: { method: 'GET', url: '/api/v1/skills', headers: { authorization: `Bearer ${BEARER}`, cookie: 'sid=cookie-val-1' } } }, 'request');
    log.info({ request: { headers: { authorization: 'Basic dXNlcjpwYXNzd29yZA==', 'x-request-id': 'r1' } } }, 'outgoing');
    log.info({ headers: { Authorization: `Bearer ${BEARER}` } }, 'response');
    expectMasked(text(), [BEARER, 'dXNlcjpwYXNzd29yZA==', 'cookie-val-1']);
    const [req, outgoing] = records();
    // A `req` goes through the request serializer, which keeps no headers at all.
    expect(req).toMatchObject({ req: { method: 'GET', url: '/api/v1/skills' } });
    expect((req as { req: Record<string, unknown> }).req.headers).toBeUndefined();
    expect(outgoing).toMatchObject({ request: { headers: { authorization: '***', 'x-request-id': 'r1' } } });
  });

  it('masks token fields at any depth', () => {
    const { log, text, records } = capture();
    log.info({
      token: 'top-token-111',
      config: { saas: { apiToken: 'api-token-222', apiUrl: 'https://api.example.test' }, http: { adminToken: 'admin-token-333' } },
      env: { ATOM_SAAS_API_TOKEN: 'env-token-444' },
      deep: { a: { b: { c: { d: { e: { f: { g: { access_token: 'deep-token-555', note: 'see ?token=deep-query-666' } } } } } } } },
      sessions: { 'set-cookie': ['sid=cookie-777'] },
    }, 'config loaded');
    expectMasked(text(), ['top-token-111', 'api-token-222', 'admin-token-333', 'env-token-444', 'deep-token-555', 'deep-query-666', 'cookie-777']);
    expect(records()[0]).toMatchObject({ token: '***', config: { saas: { apiToken: '***', apiUrl: 'https://api.example.test' } } });
  });

  it('masks token= query strings, Bearer headers and URL credentials in messages, interpolation included', () => {
    const { log, text, records } = capture();
    log.info('connecting to wss://push.example.test/ws?token=abcdef123456&v=1');
    log.info('calling %s with %s', 'https://user:url-pw-888@api.example.test/x?access_token=interp-999', `Authorization: bearer ${BEARER}`);
    expectMasked(text(), ['abcdef123456', 'url-pw-888', 'interp-999', BEARER]);
    expect(records()[0]!.msg).toBe('connecting to wss://push.example.test/ws?token=***&v=1');
  });

  it('keeps an Error\'s message and stack but masks the secret in them, however the error is logged', () => {
    const secret = 'err-secret-0a1b2c3d';
    const { log, text, records } = capture({ secrets: [secret] });
    const error = new Error(`GET https://api.example.test/v1/skills?token=${secret} failed: 401 for ${secret}`);
    log.error({ err: error }, 'sync failed');
    log.error(error);
    log.error(error, 'with message');
    log.warn({ err: new Error('outer', { cause: new Error(`inner ${secret}`) }) }, 'wrapped');
    expectMasked(text(), [secret]);
    const [first, second, third, wrapped] = records();
    for (const record of [first, second, third]) {
      expect(record!.err).toMatchObject({ type: 'Error', message: 'GET https://api.example.test/v1/skills?token=*** failed: 401 for ***' });
      expect(String((record!.err as { stack: string }).stack)).toContain('failed: 401 for ***');
    }
    expect(second!.msg).toBe('GET https://api.example.test/v1/skills?token=*** failed: 401 for ***');
    expect(third!.msg).toBe('with message');
    expect(JSON.stringify(wrapped!.err)).toContain('inner ***');
  });

  it('masks known secrets wherever they appear', () => {
    const secret = 'known-secret-xyz789';
    const { log, text, records } = capture({ secrets: [secret, undefined] });
    log.info({ skill: { description: `paste ${secret} here` }, list: [secret] }, `value ${secret}`);
    expectMasked(text(), [secret]);
    expect(records()[0]).toMatchObject({ skill: { description: 'paste *** here' }, list: ['***'], msg: 'value ***' });
  });

  it('masks secrets in child and grandchild bindings', () => {
    const { log, text, records } = capture();
    const child = log.child({ url: 'wss://push.example.test/ws?token=child-tok-1', token: 'child-tok-2' });
    child.child({ apiUrl: 'https://:child-pw-3@api.example.test' }).info('connected');
    expectMasked(text(), ['child-tok-1', 'child-tok-2', 'child-pw-3']);
    expect(records()[0]).toMatchObject({ url: 'wss://push.example.test/ws?token=***', token: '***', apiUrl: 'https://:***@api.example.test', msg: 'connected' });
  });
});

describe('logger as Fastify\'s loggerInstance', () => {
  it('logs method, url (token masked) and status of each request, never the headers', async () => {
    const { default: Fastify } = await import('fastify');
    const lines: string[] = [];
    const logger = createLogger({ level: 'info', destination: { write: (line: string) => void lines.push(line) } });
    const app = Fastify({ loggerInstance: logger as never });
    app.get('/ws', async () => ({ ok: true }));
    await app.inject({ method: 'GET', url: '/ws?token=fastify-secret-token-123', headers: { authorization: 'Bearer fastify-bearer-secret-456' } });
    await app.close();
    const entries = lines.map((l) => JSON.parse(l) as Record<string, any>);
    const incoming = entries.find((e) => e.req);
    const completed = entries.find((e) => e.res);
    expect(incoming?.req).toMatchObject({ method: 'GET', url: '/ws?token=***' });
    expect(completed?.res).toEqual({ statusCode: 200 });
    const all = lines.join('\n');
    expect(all).not.toContain('fastify-secret-token-123');
    expect(all).not.toContain('fastify-bearer-secret-456');
  });
});
