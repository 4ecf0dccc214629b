import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { isSecretKey, maskSecret, redactDeep, redactText, redactUrl } from '../../src/logging/redact.ts';

describe('maskSecret', () => {
  it('shows *** for a value and says (unset) when there is none, never a hint of the value', () => {
    expect(maskSecret('abc')).toBe('***');
    expect(maskSecret('a-very-long-token-value-0123456789')).toBe('***');
    expect(maskSecret('')).toBe('(unset)');
    expect(maskSecret(undefined)).toBe('(unset)');
    expect(maskSecret(null)).toBe('(unset)');
  });
});

describe('isSecretKey', () => {
  it.each(['token', 'apiToken', 'ATOM_SAAS_API_TOKEN', 'access_token', 'Authorization', 'cookie', 'set-cookie', 'password', 'client_secret', 'apiKey', 'api-key'])(
    '%s is a secret key', (key) => expect(isSecretKey(key)).toBe(true));
  it.each(['url', 'host', 'name', 'message', 'author', 'skillId'])('%s is not', (key) => expect(isSecretKey(key)).toBe(false));
});

describe('redactText', () => {
  it.each([
    ['GET https://h.test/api?token=abc123&page=2', 'GET https://h.test/api?token=***&page=2'],
    ['wss://h.test/ws?access_token=abc.def-ghi_1#x', 'wss://h.test/ws?access_token=***#x'],
    ['https://h.test/cb#access_token=abc123&state=1', 'https://h.test/cb#access_token=***&state=1'],
    ['?a=1&refresh_token=r1r1r1&id_token=i2i2i2', '?a=1&refresh_token=***&id_token=***'],
    ['client_secret=s3cr3t api_key=k3y&apikey=k4y x-api-key=k5y', 'client_secret=*** api_key=***&apikey=*** x-api-key=***'],
    ['TOKEN=ABC123 Password=hunter2', 'TOKEN=*** Password=***'],
    ['failed: "url":"https://h.test/?token=abc123"', 'failed: "url":"https://h.test/?token=***"'],
  ])('masks key=value tokens: %s', (input, want) => expect(redactText(input)).toBe(want));

  it.each([
    ['Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.sig_-nature', 'Authorization: Bearer ***'],
    ['authorization: bearer abc/def+ghi==, next', 'authorization: bearer ***, next'],
    ['{"authorization":"BEARER abc123"}', '{"authorization":"BEARER ***"}'],
  ])('masks Bearer credentials in any case: %s', (input, want) => expect(redactText(input)).toBe(want));

  it.each([
    ['connect https://user:pa55word@h.test/base failed', 'connect https://user:***@h.test/base failed'],
    ['https://:only-password@h.test', 'https://:***@h.test'],
    ['https://ghp_tokenAsUser@h.test/repo', 'https://***@h.test/repo'],
    ['https://u:p@ss@h.test/x', 'https://u:***@h.test/x'],
    ['wss://u:p@h.test:8443/ws and ws://h.test', 'wss://u:***@h.test:8443/ws and ws://h.test'],
  ])('masks URL credentials: %s', (input, want) => expect(redactText(input)).toBe(want));

  it.each([
    'tokens: 5, retries: 3',
    'see http://example.test/path?page=2&sort=name#top',
    'http://[::1]:8080/health and http://h.test:8000/x',
    'mail a@b.test about the token',
    'Token rotation finished',
  ])('leaves text without secrets alone: %s', (text) => expect(redactText(text)).toBe(text));

  it('masks known secrets anywhere, ignores short or missing ones, and masks the longest first', () => {
    expect(redactText('x abcdef123 y abcdef123', ['abcdef123'])).toBe('x *** y ***');
    expect(redactText('id 12345 stays', ['12345', undefined, ''])).toBe('id 12345 stays');
    expect(redactText('abcdefghijkl', ['abcdef', 'abcdefghijkl'])).toBe('***');
    expect(redactText('abcdefghijkl abcdef', ['abcdef', 'abcdefghijkl'])).toBe('*** ***');
  });
});

describe('redactUrl', () => {
  it('masks token query parameters and credentials, keeps the rest', () => {
    expect(redactUrl('ws://h.test/ws?token=abc')).toBe('ws://h.test/ws?token=***');
    expect(redactUrl('https://me:pw123@h.test/api/v1?x=1')).toBe('https://me:***@h.test/api/v1?x=1');
    expect(redactUrl('https://h.test/api/v1')).toBe('https://h.test/api/v1');
  });
});

describe('redactDeep', () => {
  it('masks secret-named keys at any depth and scrubs every string', () => {
    const input = {
      req: { method: 'GET', url: '/x?token=qq1234', headers: { Authorization: 'Basic dXNlcjpwYXNz', 'set-cookie': ['sid=s1', 'b=2'], host: 'h.test' } },
      config: { saas: { apiToken: 'api-tok-123456', apiUrl: 'https://u:pw99@h.test', nested: [{ password: 'hunter22' }] } },
      note: 'uses known-secret-987',
      count: 3,
      flag: true,
      none: null,
    };
    const out = redactDeep(input, ['known-secret-987']);
    expect(out).toEqual({
      req: { method: 'GET', url: '/x?token=***', headers: { Authorization: '***', 'set-cookie': ['***', '***'], host: 'h.test' } },
      config: { saas: { apiToken: '***', apiUrl: 'https://u:***@h.test', nested: [{ password: '***' }] } },
      note: 'uses ***',
      count: 3,
      flag: true,
      none: null,
    });
    expect(input.config.saas.apiToken).toBe('api-tok-123456'); // the input is not touched
  });

  it('keeps the message and stack of an Error, scrubbed', () => {
    const error = Object.assign(new Error('GET https://h.test/?token=err-tok-1 failed'), { code: 'E_X', token: 'own-tok-22' });
    const out = redactDeep({ error }) as unknown as { error: Record<string, unknown> };
    expect(out.error).toMatchObject({ type: 'Error', message: 'GET https://h.test/?token=*** failed', code: 'E_X', token: '***' });
    expect(out.error.stack).toContain('token=***');
    expect(JSON.stringify(out)).not.toMatch(/err-tok-1|own-tok-22/);
  });

  it('prints what JSON would print for Date and URL, and survives cycles', () => {
    const cyclic: Record<string, unknown> = { name: 'loop' };
    cyclic.self = cyclic;
    const out = redactDeep({ at: new Date(0), url: new URL('https://h.test/ws?token=url-tok-1'), cyclic });
    expect(out).toEqual({ at: '1970-01-01T00:00:00.000Z', url: 'https://h.test/ws?token=***', cyclic: { name: 'loop', self: '[circular]' } });
  });
});

// Tokens as the issue defines them: alphanumerics, -, _, . and at least 6 characters.
const TOKEN_CHARS = [...'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.'];
const token = fc.string({ unit: fc.constantFrom(...TOKEN_CHARS), minLength: 6, maxLength: 48 });
const text = fc.string({ maxLength: 24 });
const host = fc.domain();
const path = fc.constantFrom('', '/', '/api/v1/skills', '/ws');
const RUNS = { numRuns: 300 };

/**
 * The token must not survive. `fc.pre` drops the rare case where the surrounding text alone already
 * contains the token (then its presence says nothing about redaction).
 */
function assertGone(render: (slot: string) => string, tok: string, secrets: string[] = []): void {
  fc.pre(!render('\u0000').includes(tok));
  const out = redactText(render(tok), secrets);
  expect(out).not.toContain(tok);
  expect(out).toContain('***');
}

describe('redaction properties', () => {
  it('masks any token in a URL query token= parameter', () => {
    fc.assert(fc.property(
      token, text, text, host, path,
      fc.constantFrom('token', 'access_token', 'refresh_token', 'api_token', 'admin_token', 'id_token', 'TOKEN', 'x-token'),
      fc.constantFrom('', 'a=1&', 'page=2&sort=x&', 'x=y;'),
      fc.constantFrom('', '&page=2', '#frag', ';v=1', '"', "'"),
      fc.constantFrom('http', 'https', 'ws', 'wss'),
      (tok, before, after, h, p, key, params, tail, scheme) => {
        assertGone((slot) => `${before} ${scheme}://${h}${p}?${params}${key}=${slot}${tail} ${after}`, tok);
      },
    ), RUNS);
  });

  it('masks any token after Bearer', () => {
    fc.assert(fc.property(
      token, text, text,
      fc.constantFrom('Bearer', 'bearer', 'BEARER'),
      fc.constantFrom('Authorization: %', '{"authorization":"%"}', "headers: { authorization: '%' }", 'rejected %, retrying'),
      (tok, before, after, scheme, shape) => {
        assertGone((slot) => `${before} ${shape.replace('%', `${scheme} ${slot}`)} ${after}`, tok);
      },
    ), RUNS);
  });

  it('masks any token used as URL password or user name', () => {
    fc.assert(fc.property(
      token, text, text, host, path,
      fc.constantFrom('user:%', ':%', '%', 'x-access-token:%'),
      (tok, before, after, h, p, userinfo) => {
        assertGone((slot) => `${before} https://${userinfo.replace('%', slot)}@${h}${p} ${after}`, tok);
      },
    ), RUNS);
  });

  it('masks a known secret anywhere in any string, whatever other secrets are known', () => {
    fc.assert(fc.property(
      token, fc.string({ unit: 'binary', maxLength: 40 }), fc.string({ unit: 'binary', maxLength: 40 }), fc.array(fc.string(), { maxLength: 3 }),
      (tok, before, after, others) => {
        const out = redactText(`${before}${tok}${after}${tok}`, [...others, tok]);
        expect(out).not.toContain(tok);
      },
    ), RUNS);
  });

  it('masks a known secret anywhere in a nested value', () => {
    fc.assert(fc.property(token, text, (tok, words) => {
      const value = { a: [`${words}${tok}`], b: { c: { d: `x ${tok} y` } }, e: new Error(`failed with ${tok}`) };
      expect(JSON.stringify(redactDeep(value, [tok]))).not.toContain(tok);
    }), RUNS);
  });
});
