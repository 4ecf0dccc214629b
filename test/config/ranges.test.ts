// Per-variable tests, generated from the VARIABLES table: a variable added there is covered
// (wiring, default, range edges, bad values, local-only mode) without editing this file.
import { describe, it, expect } from 'vitest';
import { formatProblems, VARIABLES } from '../../src/config/index.ts';
import { deriveWsUrl } from '../../src/config/parse-value.ts';
import { describeAllowed, type VariableSpec, type IntegerSpec, type NumberSpec, type BooleanSpec, type EnumSpec } from '../../src/config/variables.ts';
import { BASE_ENV, expectOk, expectProblems, leaves, loadEnv } from './helpers.ts';

const SPECS = VARIABLES as readonly VariableSpec[];
const NUMERIC = SPECS.filter((s): s is IntegerSpec | NumberSpec => s.kind === 'integer' || s.kind === 'number');
const BOOLEANS = SPECS.filter((s): s is BooleanSpec => s.kind === 'boolean');
const ENUMS = SPECS.filter((s): s is EnumSpec => s.kind === 'enum');
const SAAS = SPECS.filter((s) => s.saas);

/** Probes a variable's rules tie to others: a non-loopback ATOM_HTTP_HOST also needs ATOM_ADMIN_TOKEN. */
const PROBES: Record<string, string> = { ATOM_HTTP_HOST: 'localhost' };

/** A valid raw value different from the default, and what it parses to. */
function probe(spec: VariableSpec): { raw: string; parsed: string | number | boolean } {
  const fixed = PROBES[spec.name];
  if (fixed !== undefined) return { raw: fixed, parsed: fixed };
  switch (spec.kind) {
    case 'boolean': return { raw: String(!spec.default), parsed: !spec.default };
    case 'integer':
    case 'number': {
      const v = spec.default !== spec.min ? spec.min : spec.max;
      return { raw: String(v), parsed: v };
    }
    case 'enum': {
      const v = spec.values.find((x) => x !== spec.default)!;
      return { raw: v, parsed: v };
    }
    case 'string': return { raw: 'probe-value', parsed: 'probe-value' };
    case 'url': {
      const v = `${spec.protocols[0]}//probe.example.test/p`;
      return { raw: v, parsed: v };
    }
    case 'secret': {
      const v = 'probe-secret-'.padEnd(Math.max(spec.minLength, 20), 'x');
      return { raw: v, parsed: v };
    }
  }
}

/** A value the variable must refuse. */
function invalid(spec: VariableSpec): string {
  switch (spec.kind) {
    case 'boolean': return 'maybe';
    case 'integer':
    case 'number': return String(spec.max + 1);
    case 'enum': return 'not-a-choice';
    case 'string': return '   ';
    case 'url': return 'not a url';
    case 'secret': return 'has white space';
  }
}

/** The config field a variable sets: the one leaf that takes the probe value. */
function fieldOf(spec: VariableSpec): string {
  const before = leaves(expectOk(loadEnv()).config);
  const { raw, parsed } = probe(spec);
  const after = leaves(expectOk(loadEnv({ [spec.name]: raw })).config);
  const taken = [...after].filter(([path, v]) => before.get(path) !== v && v === parsed).map(([path]) => path);
  expect(taken, `${spec.name}=${raw} should set exactly one config field to ${String(parsed)}`).toHaveLength(1);
  return taken[0]!;
}

function valueOf(config: unknown, path: string): unknown {
  return leaves(config).get(path);
}

describe('VARIABLES table', () => {
  // The issue's list; a spec test, so it changes only when the issue does.
  const ISSUE: Record<string, { default?: unknown; min?: number; max?: number; values?: string[] }> = {
    ATOM_SAAS_ENABLED: { default: true },
    ATOM_SAAS_API_URL: {},
    ATOM_SAAS_API_TOKEN: {},
    ATOM_SAAS_WS_URL: {},
    ATOM_SAAS_WS_ENABLED: { default: true },
    ATOM_SAAS_SYNC_INTERVAL_MINUTES: { default: 15, min: 5, max: 60 },
    ATOM_SAAS_RATING_SYNC_INTERVAL_MINUTES: { default: 30, min: 10, max: 120 },
    ATOM_SAAS_WS_RECONNECT_ATTEMPTS: { default: 10, min: 1, max: 100 },
    ATOM_SAAS_WS_HEARTBEAT_INTERVAL: { default: 30, min: 10, max: 120 },
    ATOM_SAAS_CONFLICT_STRATEGY: { default: 'remote_wins', values: ['remote_wins', 'local_wins', 'merge', 'manual'] },
    ATOM_SAAS_API_TIMEOUT_SECONDS: { default: 30, min: 10, max: 120 },
    ATOM_SAAS_SYNC_BATCH_SIZE: { default: 1000, min: 1, max: 1000 },
    ENABLE_SCHEDULER: { default: true },
    ATOM_DB_PATH: { default: './data/atom.db' },
    ATOM_HTTP_HOST: { default: '127.0.0.1' },
    ATOM_HTTP_PORT: { default: 8000 },
    ATOM_ADMIN_TOKEN: {},
    ATOM_LOG_LEVEL: { default: 'info' },
    ATOM_SAAS_WS_FALLBACK_AFTER_FAILURES: { default: 3 },
    ATOM_SAAS_WS_FALLBACK_MINUTES: { default: 60 },
    ATOM_SAAS_WS_PONG_TIMEOUT_SECONDS: { default: 10 },
    ATOM_SAAS_WS_BACKOFF_JITTER: { default: 0, min: 0, max: 1 },
  };

  it.each(Object.entries(ISSUE))('%s has the default, range and values the issue asks for', (name, want) => {
    const spec = SPECS.find((s) => s.name === name);
    expect(spec, `${name} is missing from VARIABLES`).toBeDefined();
    const got = spec as unknown as Record<string, unknown>;
    for (const key of ['default', 'min', 'max', 'values'] as const) {
      if (want[key] !== undefined) expect(got[key], `${name}.${key}`).toEqual(want[key]);
    }
  });

  it('has unique names, ATOM_SAAS_ENABLED first (the loader reads it before the others)', () => {
    expect(new Set(SPECS.map((s) => s.name)).size).toBe(SPECS.length);
    expect(SPECS[0]!.name).toBe('ATOM_SAAS_ENABLED');
  });

  it('gives every default a value its own parser accepts, inside its range', () => {
    for (const spec of SPECS) {
      if (!('default' in spec) || spec.default === undefined) continue;
      const result = loadEnv({ [spec.name]: String(spec.default) });
      expect(result.ok, `${spec.name}=${String(spec.default)}: ${result.ok ? '' : formatProblems(result.problems)}`).toBe(true);
    }
  });

  it('wires every variable to its own config field', () => {
    const fields = SPECS.map(fieldOf);
    expect(new Set(fields).size).toBe(SPECS.length);
  });

  // The intended AgentConfig shape. The test above already proves any new variable is wired to a
  // field of its own; this one catches two existing variables wired to each other's field.
  const FIELDS: Record<string, string> = {
    ATOM_SAAS_ENABLED: 'saas.enabled',
    ATOM_SAAS_API_URL: 'saas.apiUrl',
    ATOM_SAAS_API_TOKEN: 'saas.apiToken',
    ATOM_SAAS_WS_URL: 'saas.wsUrl',
    ATOM_SAAS_WS_ENABLED: 'saas.wsEnabled',
    ATOM_SAAS_SYNC_INTERVAL_MINUTES: 'saas.syncIntervalMinutes',
    ATOM_SAAS_RATING_SYNC_INTERVAL_MINUTES: 'saas.ratingSyncIntervalMinutes',
    ATOM_SAAS_WS_RECONNECT_ATTEMPTS: 'saas.wsReconnectAttempts',
    ATOM_SAAS_WS_HEARTBEAT_INTERVAL: 'saas.wsHeartbeatIntervalSeconds',
    ATOM_SAAS_CONFLICT_STRATEGY: 'saas.conflictStrategy',
    ATOM_SAAS_API_TIMEOUT_SECONDS: 'saas.apiTimeoutSeconds',
    ATOM_SAAS_SYNC_BATCH_SIZE: 'saas.syncBatchSize',
    ATOM_SAAS_WS_FALLBACK_AFTER_FAILURES: 'saas.wsFallbackAfterFailures',
    ATOM_SAAS_WS_FALLBACK_MINUTES: 'saas.wsFallbackMinutes',
    ATOM_SAAS_WS_PONG_TIMEOUT_SECONDS: 'saas.wsPongTimeoutSeconds',
    ATOM_SAAS_WS_BACKOFF_JITTER: 'saas.wsBackoffJitter',
    ENABLE_SCHEDULER: 'scheduler.enabled',
    ATOM_DB_PATH: 'db.path',
    ATOM_HTTP_HOST: 'http.host',
    ATOM_HTTP_ALLOWED_HOSTS: 'http.allowedHosts',
    ATOM_HTTP_PORT: 'http.port',
    ATOM_ADMIN_TOKEN: 'http.adminToken',
    ATOM_LOG_LEVEL: 'log.level',
  };

  it.each(Object.entries(FIELDS))('%s sets config.%s', (name, field) => {
    const spec = SPECS.find((s) => s.name === name);
    expect(spec, `${name} is missing from VARIABLES`).toBeDefined();
    expect(fieldOf(spec!)).toBe(field);
  });
});

describe.each(SPECS.map((s) => [s.name, s] as const))('%s', (name, spec) => {
  it('has its default when unset, or is required', () => {
    const field = fieldOf(spec);
    if (name in BASE_ENV) {
      const rest: Record<string, string> = { ...BASE_ENV };
      delete rest[name];
      const { problems } = expectProblems(loadEnv({}, rest));
      expect(problems).toEqual([expect.objectContaining({ variable: name, problem: 'is required when ATOM_SAAS_ENABLED=true' })]);
      return;
    }
    const { config, sources } = expectOk(loadEnv());
    if ('derived' in spec && spec.derived) {
      expect(sources[name]).toBe('derived');
      expect(valueOf(config, field)).toBe(deriveWsUrl(BASE_ENV.ATOM_SAAS_API_URL));
    } else if ('default' in spec && spec.default !== undefined) {
      expect(sources[name]).toBe('default');
      expect(valueOf(config, field)).toBe(spec.default);
    } else {
      expect(sources[name]).toBe('default');
      expect([undefined, '']).toContain(valueOf(config, field));
    }
  });

  it('takes a valid value from the environment', () => {
    const { raw, parsed } = probe(spec);
    const { config, sources } = expectOk(loadEnv({ [name]: raw }));
    expect(sources[name]).toBe('env');
    expect(valueOf(config, fieldOf(spec))).toBe(parsed);
  });

  it('refuses an invalid value, naming the variable, the value and what is allowed', () => {
    const bad = invalid(spec);
    const { problems } = expectProblems(loadEnv({ [name]: bad }));
    const mine = problems.filter((p) => p.variable === name);
    expect(mine).toHaveLength(1);
    expect(mine[0]!.allowed).toBe(describeAllowed(spec));
    const message = formatProblems(problems);
    expect(message).toContain(name);
    expect(message).toContain(describeAllowed(spec));
    if (spec.kind === 'secret') {
      expect(message).not.toContain(bad);
      expect(message).toContain('"***"');
    } else {
      expect(message).toContain(JSON.stringify(bad));
    }
  });

  if (spec.saas) {
    it('is ignored, even when invalid, with ATOM_SAAS_ENABLED=false', () => {
      const result = expectOk(loadConfigLocal({ [name]: invalid(spec) }));
      expect(result.warnings).toContain(`${name} is ignored because ATOM_SAAS_ENABLED=false`);
      expect(result.sources[name]).toBe('default');
      expect(result.config.saas.enabled).toBe(false);
    });
  } else if (name !== 'ATOM_SAAS_ENABLED') {
    it('is still validated with ATOM_SAAS_ENABLED=false', () => {
      const { problems } = expectProblems(loadConfigLocal({ [name]: invalid(spec) }));
      expect(problems.map((p) => p.variable)).toEqual([name]);
    });
  }
});

function loadConfigLocal(extra: Record<string, string>) {
  return loadEnv({ ATOM_SAAS_ENABLED: 'false', ...extra }, {});
}

describe.each(NUMERIC.map((s) => [s.name, s] as const))('%s range edges', (name, spec) => {
  it.each([spec.min, spec.max])(`accepts ${name}=%s`, (edge) => {
    const { config, sources } = expectOk(loadEnv({ [name]: String(edge) }));
    expect(sources[name]).toBe('env');
    expect(valueOf(config, fieldOf(spec))).toBe(edge);
  });

  it.each([spec.min - 1, spec.max + 1])(`refuses ${name}=%s as out of range`, (edge) => {
    const { problems } = expectProblems(loadEnv({ [name]: String(edge) }));
    expect(problems).toEqual([{ variable: name, value: String(edge), problem: 'is out of range', allowed: describeAllowed(spec) }]);
    expect(formatProblems(problems)).toContain(`from ${spec.min} to ${spec.max}`);
  });

  it('refuses text that is not a number', () => {
    const { problems } = expectProblems(loadEnv({ [name]: `${spec.min}abc` }));
    expect(problems.map((p) => p.variable)).toEqual([name]);
  });

  if (spec.kind === 'integer') {
    it('refuses a fraction', () => {
      const { problems } = expectProblems(loadEnv({ [name]: `${spec.min}.5` }));
      expect(problems).toEqual([expect.objectContaining({ variable: name, problem: 'is not an integer' })]);
    });
  } else {
    it('accepts a fraction inside the range', () => {
      const mid = (spec.min + spec.max) / 2;
      const { config } = expectOk(loadEnv({ [name]: String(mid) }));
      expect(valueOf(config, fieldOf(spec))).toBe(mid);
    });
  }
});

describe.each(BOOLEANS.map((s) => [s.name, s] as const))('%s boolean spellings', (name, spec) => {
  it.each([
    ['true', true], ['TRUE', true], ['True', true], ['1', true],
    ['false', false], ['FALSE', false], ['fAlSe', false], ['0', false],
  ] as const)(`accepts ${name}=%s`, (raw, want) => {
    const { config } = expectOk(loadEnv({ [name]: raw }));
    expect(valueOf(config, fieldOf(spec))).toBe(want);
  });

  it.each(['yes', 'no', 'on', 'off', '2', '-1', 'truee'])(`refuses ${name}=%s`, (raw) => {
    const { problems } = expectProblems(loadEnv({ [name]: raw }));
    const mine = problems.filter((p) => p.variable === name);
    expect(mine).toEqual([{ variable: name, value: raw, problem: 'is not a boolean', allowed: describeAllowed(spec) }]);
  });
});

describe.each(ENUMS.map((s) => [s.name, s] as const))('%s values', (name, spec) => {
  it.each([...spec.values])(`accepts ${name}=%s`, (value) => {
    const { config } = expectOk(loadEnv({ [name]: value }));
    expect(valueOf(config, fieldOf(spec))).toBe(value);
  });

  it('refuses a value outside the list and lists the allowed ones', () => {
    const { problems } = expectProblems(loadEnv({ [name]: 'not-a-choice' }));
    expect(problems).toEqual([{ variable: name, value: 'not-a-choice', problem: 'is not an allowed value', allowed: describeAllowed(spec) }]);
    for (const v of spec.values) expect(formatProblems(problems)).toContain(v);
  });
});

describe('every variable at once', () => {
  it('reports one problem per invalid variable, all in one message', () => {
    const env = Object.fromEntries(SPECS.map((s) => [s.name, invalid(s)]));
    const { problems } = expectProblems(loadEnv(env, {}));
    expect(problems.map((p) => p.variable).sort()).toEqual(SPECS.map((s) => s.name).sort());
    const message = formatProblems(problems);
    expect(message.split('\n')[0]).toBe(`invalid configuration, ${SPECS.length} problems:`);
    for (const s of SPECS) expect(message).toContain(`  - ${s.name} `);
  });

  it('ignores every SaaS variable, all invalid at once, in local-only mode', () => {
    const env = Object.fromEntries(SAAS.map((s) => [s.name, invalid(s)]));
    const result = expectOk(loadConfigLocal(env));
    expect(result.warnings).toHaveLength(SAAS.length);
    expect(result.config).toEqual(expectOk(loadConfigLocal({})).config);
  });
});
