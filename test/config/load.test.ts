import { afterEach, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { ConfigError, formatProblems, loadConfig, loadConfigOrThrow } from '../../src/config/index.ts';
import { deriveWsUrl } from '../../src/config/parse-value.ts';
import { BASE_ENV, cleanupTempDirs, expectOk, expectProblems, loadEnv, tempDir } from './helpers.ts';

afterEach(cleanupTempDirs);

const BASE_FILE = `ATOM_SAAS_API_URL=${BASE_ENV.ATOM_SAAS_API_URL}\nATOM_SAAS_API_TOKEN=${BASE_ENV.ATOM_SAAS_API_TOKEN}\n`;

describe('precedence: process environment > .env > defaults', () => {
  it('takes each value from the highest source that sets it and records where it came from', () => {
    const cwd = tempDir({
      '.env': [
        BASE_FILE,
        'ATOM_SAAS_SYNC_INTERVAL_MINUTES=25',
        'ATOM_SAAS_RATING_SYNC_INTERVAL_MINUTES=40',
        'ENABLE_SCHEDULER=0',
        'ATOM_LOG_LEVEL=debug',
      ].join('\n'),
    });
    const env = { ATOM_SAAS_SYNC_INTERVAL_MINUTES: '20', ENABLE_SCHEDULER: 'TRUE' };
    const { config, sources } = expectOk(loadConfig({ env, cwd }));

    expect(config.saas.syncIntervalMinutes).toBe(20); // env over .env
    expect(sources.ATOM_SAAS_SYNC_INTERVAL_MINUTES).toBe('env');
    expect(config.scheduler.enabled).toBe(true); // env over .env, boolean
    expect(sources.ENABLE_SCHEDULER).toBe('env');
    expect(config.saas.ratingSyncIntervalMinutes).toBe(40); // .env over default
    expect(sources.ATOM_SAAS_RATING_SYNC_INTERVAL_MINUTES).toBe('.env');
    expect(config.log.level).toBe('debug');
    expect(config.saas.apiToken).toBe(BASE_ENV.ATOM_SAAS_API_TOKEN); // required values may come from .env
    expect(sources.ATOM_SAAS_API_TOKEN).toBe('.env');
    expect(config.saas.syncBatchSize).toBe(1000); // default: the largest page the platform accepts
    expect(sources.ATOM_SAAS_SYNC_BATCH_SIZE).toBe('default');
  });

  it('validates values from .env and names the variable', () => {
    const cwd = tempDir({ '.env': `${BASE_FILE}ATOM_SAAS_SYNC_BATCH_SIZE=1001\n` });
    const { problems } = expectProblems(loadConfig({ env: {}, cwd }));
    expect(problems).toEqual([expect.objectContaining({ variable: 'ATOM_SAAS_SYNC_BATCH_SIZE', value: '1001', problem: 'is out of range' })]);
  });

  it('lets a valid environment value hide an invalid .env value', () => {
    const cwd = tempDir({ '.env': `${BASE_FILE}ATOM_HTTP_PORT=not-a-port\n` });
    const { config } = expectOk(loadConfig({ env: { ATOM_HTTP_PORT: '9000' }, cwd }));
    expect(config.http.port).toBe(9000);
  });

  it('treats an empty value as unset: an empty env value falls back to .env, an empty .env value to the default', () => {
    const cwd = tempDir({ '.env': `${BASE_FILE}ATOM_HTTP_PORT=9001\nATOM_HTTP_HOST=\n` });
    const { config, sources } = expectOk(loadConfig({ env: { ATOM_HTTP_PORT: '', ATOM_HTTP_HOST: '' }, cwd }));
    expect(config.http.port).toBe(9001);
    expect(sources.ATOM_HTTP_PORT).toBe('.env');
    expect(config.http.host).toBe('127.0.0.1');
    expect(sources.ATOM_HTTP_HOST).toBe('default');
  });

  it('reads comments, quotes and `export` in .env', () => {
    const cwd = tempDir({
      '.env': `# a comment\n${BASE_FILE}ATOM_DB_PATH="/var/lib/atom sync/atom.db"\nexport ATOM_HTTP_HOST='0.0.0.0'\nATOM_ADMIN_TOKEN=admin-token-0123456789\n`,
    });
    const { config } = expectOk(loadConfig({ env: {}, cwd }));
    expect(config.db.path).toBe('/var/lib/atom sync/atom.db');
    expect(config.http.host).toBe('0.0.0.0');
  });
});

describe('which .env file is read', () => {
  it('reads <cwd>/.env by default and nothing when it is missing', () => {
    const withFile = tempDir({ '.env': BASE_FILE });
    expect(expectOk(loadConfig({ env: {}, cwd: withFile })).sources.ATOM_SAAS_API_URL).toBe('.env');
    const { problems } = expectProblems(loadConfig({ env: {}, cwd: tempDir() }));
    expect(problems.map((p) => p.variable)).toEqual(['ATOM_SAAS_API_URL', 'ATOM_SAAS_API_TOKEN']);
  });

  it('reads the file ATOM_ENV_FILE names, relative to cwd', () => {
    const cwd = tempDir({ '.env': 'ATOM_HTTP_PORT=1111\n', 'prod.env': `${BASE_FILE}ATOM_HTTP_PORT=2222\n` });
    const { config } = expectOk(loadConfig({ env: { ATOM_ENV_FILE: 'prod.env' }, cwd }));
    expect(config.http.port).toBe(2222);
  });

  it('prefers options.envFile over ATOM_ENV_FILE, and reads nothing with envFile: false', () => {
    const cwd = tempDir({ '.env': `${BASE_FILE}ATOM_HTTP_PORT=1111\n`, 'other.env': `${BASE_FILE}ATOM_HTTP_PORT=3333\n` });
    const chosen = expectOk(loadConfig({ env: { ATOM_ENV_FILE: 'missing.env' }, envFile: join(cwd, 'other.env'), cwd }));
    expect(chosen.config.http.port).toBe(3333);
    const none = expectOk(loadConfig({ env: { ...BASE_ENV }, envFile: false, cwd }));
    expect(none.config.http.port).toBe(8000);
  });

  it('reports an explicitly named file that cannot be read', () => {
    const cwd = tempDir();
    const { problems } = expectProblems(loadConfig({ env: { ...BASE_ENV, ATOM_ENV_FILE: 'nope.env' }, cwd }));
    expect(problems).toEqual([expect.objectContaining({ variable: 'ATOM_ENV_FILE', value: join(cwd, 'nope.env'), problem: 'cannot be read (ENOENT)' })]);
  });

  it('treats an empty ATOM_ENV_FILE as unset and reads <cwd>/.env', () => {
    const cwd = tempDir({ '.env': BASE_FILE });
    const { sources } = expectOk(loadConfig({ env: { ATOM_ENV_FILE: '' }, cwd }));
    expect(sources.ATOM_SAAS_API_TOKEN).toBe('.env');
  });
});

describe('validation reports every problem at once', () => {
  const SECRET = 'sup3r-secret-token-value';
  const env = {
    ATOM_SAAS_API_URL: `https://api.example.test/v1?token=${SECRET}`,
    ATOM_SAAS_API_TOKEN: `${SECRET} with space`,
    ATOM_SAAS_SYNC_INTERVAL_MINUTES: '4',
    ATOM_SAAS_CONFLICT_STRATEGY: 'newest_wins',
    ATOM_SAAS_WS_ENABLED: 'yes',
    ATOM_ADMIN_TOKEN: 'short-admin',
    ATOM_HTTP_PORT: '65536',
  };

  it('lists each variable, its value (secrets masked) and what is allowed', () => {
    const { problems } = expectProblems(loadEnv(env, {}));
    expect(problems.map((p) => p.variable)).toEqual([
      'ATOM_SAAS_API_URL', 'ATOM_SAAS_API_TOKEN', 'ATOM_SAAS_WS_ENABLED', 'ATOM_SAAS_SYNC_INTERVAL_MINUTES',
      'ATOM_SAAS_CONFLICT_STRATEGY', 'ATOM_HTTP_PORT', 'ATOM_ADMIN_TOKEN',
    ]);
    const message = formatProblems(problems);
    expect(message).toMatch(/^invalid configuration, 7 problems:\n/);
    expect(message).toContain(`ATOM_SAAS_API_URL (got "https://api.example.test/v1?token=***") must not carry a query string or fragment; expected a http or https URL`);
    expect(message).toContain('ATOM_SAAS_API_TOKEN (got "***") contains white space; expected a token without spaces');
    expect(message).toContain('ATOM_SAAS_SYNC_INTERVAL_MINUTES (got "4") is out of range; expected an integer from 5 to 60 (minutes)');
    expect(message).toContain('ATOM_SAAS_CONFLICT_STRATEGY (got "newest_wins") is not an allowed value; expected one of remote_wins, local_wins, merge, manual');
    expect(message).toContain('ATOM_SAAS_WS_ENABLED (got "yes") is not a boolean; expected true, false, 1 or 0 (any case)');
    expect(message).toContain('ATOM_HTTP_PORT (got "65536") is out of range; expected an integer from 0 to 65535');
    expect(message).toContain('ATOM_ADMIN_TOKEN (got "***") is shorter than 16 characters');
    expect(message).not.toContain(SECRET);
    expect(message).not.toContain('short-admin');
  });

  it('loadConfigOrThrow throws one ConfigError carrying all of them', () => {
    let thrown: unknown;
    try {
      loadConfigOrThrow({ env, envFile: false });
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(ConfigError);
    const error = thrown as ConfigError;
    expect(error.problems).toHaveLength(7);
    expect(error.message).toBe(formatProblems(error.problems));
    expect(error.message).not.toContain(SECRET);
  });

  it('requires the API URL and token while ATOM_SAAS_ENABLED=true (the default)', () => {
    const { problems } = expectProblems(loadEnv({}, {}));
    expect(problems).toEqual([
      { variable: 'ATOM_SAAS_API_URL', value: undefined, problem: 'is required when ATOM_SAAS_ENABLED=true', allowed: 'a http or https URL' },
      { variable: 'ATOM_SAAS_API_TOKEN', value: undefined, problem: 'is required when ATOM_SAAS_ENABLED=true', allowed: 'a token without spaces' },
    ]);
    expect(expectProblems(loadEnv({ ATOM_SAAS_ENABLED: 'TRUE' }, {})).problems).toHaveLength(2);
  });

  it('reports a bad ATOM_SAAS_ENABLED together with the rest', () => {
    const { problems } = expectProblems(loadEnv({ ATOM_SAAS_ENABLED: 'nope', ATOM_HTTP_PORT: '-1' }));
    expect(problems.map((p) => p.variable)).toEqual(['ATOM_SAAS_ENABLED', 'ATOM_HTTP_PORT']);
  });
});

describe('local-only mode (ATOM_SAAS_ENABLED=false)', () => {
  it.each(['false', 'FALSE', '0'])('needs no URL or token and ignores invalid ATOM_SAAS_* values (ATOM_SAAS_ENABLED=%s)', (off) => {
    const result = expectOk(loadEnv({
      ATOM_SAAS_ENABLED: off,
      ATOM_SAAS_API_TOKEN: 'bad token',
      ATOM_SAAS_WS_URL: 'http://not-ws.example.test',
      ATOM_SAAS_SYNC_INTERVAL_MINUTES: '1',
      ATOM_SAAS_CONFLICT_STRATEGY: 'whatever',
    }, {}));
    expect(result.config.saas.enabled).toBe(false);
    expect(result.config.saas.apiToken).toBe('');
    expect(result.config.saas.wsUrl).toBe(''); // not derived either
    expect(result.config.saas.syncIntervalMinutes).toBe(15);
    expect(result.config.saas.conflictStrategy).toBe('remote_wins');
    expect(result.warnings).toEqual([
      'ATOM_SAAS_API_TOKEN is ignored because ATOM_SAAS_ENABLED=false',
      'ATOM_SAAS_WS_URL is ignored because ATOM_SAAS_ENABLED=false',
      'ATOM_SAAS_SYNC_INTERVAL_MINUTES is ignored because ATOM_SAAS_ENABLED=false',
      'ATOM_SAAS_CONFLICT_STRATEGY is ignored because ATOM_SAAS_ENABLED=false',
    ]);
  });

  it('still validates the variables that are not ATOM_SAAS_*', () => {
    const { problems } = expectProblems(loadEnv({ ATOM_SAAS_ENABLED: 'false', ENABLE_SCHEDULER: 'nah', ATOM_LOG_LEVEL: 'loud' }, {}));
    expect(problems.map((p) => p.variable)).toEqual(['ENABLE_SCHEDULER', 'ATOM_LOG_LEVEL']);
  });

  it('can be switched off from .env', () => {
    const cwd = tempDir({ '.env': 'ATOM_SAAS_ENABLED=false\nATOM_SAAS_SYNC_BATCH_SIZE=0\n' });
    const result = expectOk(loadConfig({ env: {}, cwd }));
    expect(result.config.saas.enabled).toBe(false);
    expect(result.sources.ATOM_SAAS_ENABLED).toBe('.env');
  });
});

describe('ATOM_SAAS_WS_URL derivation', () => {
  it.each([
    ['http://api.example.test', 'ws://api.example.test/ws'],
    ['https://api.example.test', 'wss://api.example.test/ws'],
    ['https://api.example.test/', 'wss://api.example.test/ws'],
    ['https://api.example.test/base', 'wss://api.example.test/base/ws'],
    ['http://api.example.test:8080/a/b/', 'ws://api.example.test:8080/a/b/ws'],
  ])('derives from %s → %s', (apiUrl, wsUrl) => {
    const { config, sources } = expectOk(loadEnv({ ATOM_SAAS_API_URL: apiUrl }));
    expect(config.saas.wsUrl).toBe(wsUrl);
    expect(sources.ATOM_SAAS_WS_URL).toBe('derived');
    expect(deriveWsUrl(apiUrl)).toBe(wsUrl);
  });

  it('normalises the API URL without its trailing slash', () => {
    expect(expectOk(loadEnv({ ATOM_SAAS_API_URL: 'https://api.example.test/base/' })).config.saas.apiUrl).toBe('https://api.example.test/base');
  });

  it('uses an explicit WS URL as given', () => {
    const { config, sources } = expectOk(loadEnv({ ATOM_SAAS_WS_URL: 'wss://push.example.test/live' }));
    expect(config.saas.wsUrl).toBe('wss://push.example.test/live');
    expect(sources.ATOM_SAAS_WS_URL).toBe('env');
  });

  it.each([
    ['ATOM_SAAS_WS_URL', 'https://push.example.test/ws', 'has protocol https'],
    ['ATOM_SAAS_API_URL', 'ws://api.example.test', 'has protocol ws'],
    ['ATOM_SAAS_API_URL', 'https://api.example.test/?', 'must not carry a query string or fragment'],
    ['ATOM_SAAS_API_URL', 'https://api.example.test/#', 'must not carry a query string or fragment'],
    ['ATOM_SAAS_API_URL', 'api.example.test', 'is not a valid URL'],
  ])('refuses %s=%s (%s)', (name, value, problem) => {
    const { problems } = expectProblems(loadEnv({ [name]: value }));
    expect(problems).toEqual([expect.objectContaining({ variable: name, problem })]);
  });
});

describe('unknown ATOM_* variables', () => {
  it('warns about each one, from the environment and from .env, without showing its value', () => {
    const cwd = tempDir({ '.env': `${BASE_FILE}ATOM_SAAS_SYNC_INTERVAL=5\n` });
    const result = expectOk(loadConfig({ env: { ATOM_SAAS_API_TOKN: 'typo-secret-123456', ATOM_ENV_FILE: '.env', PATH: '/usr/bin' }, cwd }));
    expect(result.warnings).toEqual([
      'unknown variable ATOM_SAAS_API_TOKN is ignored (a typo?)',
      'unknown variable ATOM_SAAS_SYNC_INTERVAL is ignored (a typo?)',
    ]);
    expect(result.warnings.join('\n')).not.toContain('typo-secret-123456');
  });

  it('does not warn about known variables, ATOM_ENV_FILE or variables without the prefix', () => {
    const result = expectOk(loadEnv({ ATOM_HTTP_PORT: '8001', ENABLE_SCHEDULER: 'false', HOME: '/root', ATOMIC: 'x' }));
    expect(result.warnings).toEqual([]);
  });
});

describe('names owned by others', () => {
  it('does not warn about ATOM_* names outside our prefixes (the platform\'s, the editor\'s)', () => {
    const result = expectOk(loadEnv({ ATOM_PLATFORM_ADMIN_TOKEN: 'platform-admin-token-1', ATOM_HOME: '/home/u/.atom', ATOM_ADMIN_URL: 'http://127.0.0.1:8000' }));
    expect(result.warnings).toEqual([]);
  });
});

describe('enum values', () => {
  it('accept any case and normalise to the canonical value', () => {
    const { config } = expectOk(loadEnv({ ATOM_LOG_LEVEL: 'INFO', ATOM_SAAS_CONFLICT_STRATEGY: 'Remote_Wins' }));
    expect(config.log.level).toBe('info');
    expect(config.saas.conflictStrategy).toBe('remote_wins');
  });
});
