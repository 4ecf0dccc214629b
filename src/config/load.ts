import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseEnv } from 'node:util';
import { redactUrl, maskSecret } from '../logging/redact.ts';
import { deriveWsUrl, parseValue } from './parse-value.ts';
import { bindProblems } from './bind-rules.ts';
import { VARIABLES, describeAllowed, type VariableSpec } from './variables.ts';
import type { ConflictStrategy } from '../conflicts/strategies.ts';
import type { AgentConfig, ConfigProblem, ValueSource } from './types.ts';
import type { LogLevel } from '../logging/levels.ts';

export interface LoadOptions {
  /** The process environment; highest precedence. */
  env?: NodeJS.ProcessEnv;
  /** Path of the .env file; `false` reads none. Default: ./.env, or ATOM_ENV_FILE when set. */
  envFile?: string | false;
  cwd?: string;
}

export type LoadResult =
  | { ok: true; config: AgentConfig; sources: Record<string, ValueSource>; warnings: string[] }
  | { ok: false; problems: ConfigProblem[]; warnings: string[] };

/** Thrown by loadConfigOrThrow; its message lists every problem, secrets masked. */
export class ConfigError extends Error {
  readonly problems: ConfigProblem[];

  constructor(problems: ConfigProblem[]) {
    super(formatProblems(problems));
    this.problems = problems;
    this.name = 'ConfigError';
  }
}

// ATOM_ADMIN_URL is read by the CLI client commands (status, conflicts, …), not by the agent.
const KNOWN = new Set<string>([...VARIABLES.map((v) => v.name), 'ATOM_ENV_FILE', 'ATOM_ADMIN_URL']);
/**
 * Prefixes of our own variables: an unknown name under one of them is probably a typo. Other ATOM_*
 * names belong to someone else (ATOM_PLATFORM_* to the reference platform, ATOM_HOME to the editor).
 */
const OWN_PREFIX = /^ATOM_(SAAS|HTTP|DB|LOG|ADMIN|ENV)/;

/**
 * Reads the configuration with precedence process environment > .env file > defaults,
 * validates every variable and reports every problem at once.
 */
export function loadConfig(options: LoadOptions = {}): LoadResult {
  const env = options.env ?? process.env;
  const problems: ConfigProblem[] = [];
  const warnings: string[] = [];

  const fileValues = readEnvFile(env, options, problems);
  const raw = (name: string): { value: string; source: ValueSource } | undefined => {
    // An empty value (`FOO=` in a .env file, `FOO= cmd` in a shell) means "not set".
    const fromEnv = env[name];
    if (fromEnv !== undefined && fromEnv !== '') return { value: fromEnv, source: 'env' };
    const fromFile = fileValues[name];
    if (fromFile !== undefined && fromFile !== '') return { value: fromFile, source: '.env' };
    return undefined;
  };

  for (const name of new Set([...Object.keys(env), ...Object.keys(fileValues)])) {
    if (OWN_PREFIX.test(name) && !KNOWN.has(name)) warnings.push(`unknown variable ${name} is ignored (a typo?)`);
  }

  const values: Record<string, string | number | boolean | undefined> = {};
  const sources: Record<string, ValueSource> = {};
  const saasEnabledSpec = VARIABLES[0];
  const saasEnabled = readOne(saasEnabledSpec, raw(saasEnabledSpec.name), values, sources, problems) !== false;

  for (const spec of VARIABLES as readonly VariableSpec[]) {
    if (spec === saasEnabledSpec) continue;
    const given = raw(spec.name);
    if (spec.saas && !saasEnabled) {
      // Local-only mode: the SaaS link is off, so its settings are neither used nor validated.
      if (given) warnings.push(`${spec.name} is ignored because ATOM_SAAS_ENABLED=false`);
      values[spec.name] = 'default' in spec ? spec.default : undefined;
      sources[spec.name] = 'default';
      continue;
    }
    readOne(spec, given, values, sources, problems);
    const required = 'requiredWhenSaas' in spec && spec.requiredWhenSaas && saasEnabled;
    if (required && !given) {
      problems.push({ variable: spec.name, value: undefined, problem: 'is required when ATOM_SAAS_ENABLED=true', allowed: describeAllowed(spec) });
    }
  }

  if (saasEnabled && values.ATOM_SAAS_WS_URL === undefined && typeof values.ATOM_SAAS_API_URL === 'string') {
    values.ATOM_SAAS_WS_URL = deriveWsUrl(values.ATOM_SAAS_API_URL);
    sources.ATOM_SAAS_WS_URL = 'derived';
  }

  problems.push(...bindProblems({ host: values.ATOM_HTTP_HOST, adminToken: values.ATOM_ADMIN_TOKEN, allowedHosts: values.ATOM_HTTP_ALLOWED_HOSTS }));
  if (problems.length > 0) return { ok: false, problems, warnings };
  return { ok: true, config: toConfig(values, saasEnabled), sources, warnings };
}

/** loadConfig, throwing a ConfigError that lists every problem. */
export function loadConfigOrThrow(options: LoadOptions = {}): AgentConfig {
  const result = loadConfig(options);
  if (!result.ok) throw new ConfigError(result.problems);
  return result.config;
}

export function formatProblems(problems: readonly ConfigProblem[]): string {
  const lines = problems.map((p) => {
    const shown = p.value === undefined ? '' : ` (got ${JSON.stringify(p.value)})`;
    return `  - ${p.variable}${shown} ${p.problem}; expected ${p.allowed}`;
  });
  const noun = problems.length === 1 ? 'problem' : 'problems';
  return `invalid configuration, ${problems.length} ${noun}:\n${lines.join('\n')}`;
}

function readOne(
  spec: VariableSpec,
  given: { value: string; source: ValueSource } | undefined,
  values: Record<string, string | number | boolean | undefined>,
  sources: Record<string, ValueSource>,
  problems: ConfigProblem[],
): string | number | boolean | undefined {
  if (!given) {
    values[spec.name] = 'default' in spec ? spec.default : undefined;
    sources[spec.name] = 'default';
    return values[spec.name];
  }
  const parsed = parseValue(spec, given.value);
  if (!parsed.ok) {
    problems.push({ variable: spec.name, value: shownValue(spec, given.value), problem: parsed.problem, allowed: describeAllowed(spec) });
    return undefined;
  }
  values[spec.name] = parsed.value;
  sources[spec.name] = given.source;
  return parsed.value;
}

/** What an error message may show of a value: secrets masked, URLs stripped of credentials and tokens. */
function shownValue(spec: VariableSpec, value: string): string {
  if (spec.kind === 'secret') return maskSecret(value);
  if (spec.kind === 'url') return redactUrl(value);
  return value.length > 200 ? `${value.slice(0, 200)}…` : value;
}

function readEnvFile(env: NodeJS.ProcessEnv, options: LoadOptions, problems: ConfigProblem[]): NodeJS.Dict<string> {
  if (options.envFile === false) return {};
  // An empty ATOM_ENV_FILE means "not set", like every other empty value.
  const explicit = options.envFile ?? (env.ATOM_ENV_FILE || undefined);
  const path = resolve(options.cwd ?? process.cwd(), explicit ?? '.env');
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    // A missing default .env is normal; a missing file someone named explicitly is a mistake.
    if ((error as NodeJS.ErrnoException).code === 'ENOENT' && explicit === undefined) return {};
    problems.push({ variable: 'ATOM_ENV_FILE', value: path, problem: `cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'})`, allowed: 'a readable .env file' });
    return {};
  }
  return parseEnv(text);
}

function toConfig(v: Record<string, string | number | boolean | undefined>, saasEnabled: boolean): AgentConfig {
  const str = (name: string): string => (v[name] as string | undefined) ?? '';
  const num = (name: string): number => v[name] as number;
  const bool = (name: string): boolean => v[name] as boolean;
  return {
    saas: {
      enabled: saasEnabled,
      apiUrl: str('ATOM_SAAS_API_URL'),
      apiToken: str('ATOM_SAAS_API_TOKEN'),
      wsUrl: str('ATOM_SAAS_WS_URL'),
      wsEnabled: bool('ATOM_SAAS_WS_ENABLED'),
      syncIntervalMinutes: num('ATOM_SAAS_SYNC_INTERVAL_MINUTES'),
      ratingSyncIntervalMinutes: num('ATOM_SAAS_RATING_SYNC_INTERVAL_MINUTES'),
      wsReconnectAttempts: num('ATOM_SAAS_WS_RECONNECT_ATTEMPTS'),
      wsHeartbeatIntervalSeconds: num('ATOM_SAAS_WS_HEARTBEAT_INTERVAL'),
      conflictStrategy: str('ATOM_SAAS_CONFLICT_STRATEGY') as ConflictStrategy,
      apiTimeoutSeconds: num('ATOM_SAAS_API_TIMEOUT_SECONDS'),
      syncBatchSize: num('ATOM_SAAS_SYNC_BATCH_SIZE'),
      syncWorker: bool('ATOM_SYNC_WORKER'),
      wsFallbackAfterFailures: num('ATOM_SAAS_WS_FALLBACK_AFTER_FAILURES'),
      wsFallbackMinutes: num('ATOM_SAAS_WS_FALLBACK_MINUTES'),
      wsPongTimeoutSeconds: num('ATOM_SAAS_WS_PONG_TIMEOUT_SECONDS'),
      wsBackoffJitter: num('ATOM_SAAS_WS_BACKOFF_JITTER'),
    },
    scheduler: { enabled: bool('ENABLE_SCHEDULER') },
    db: { path: str('ATOM_DB_PATH') },
    http: {
      host: str('ATOM_HTTP_HOST'), port: num('ATOM_HTTP_PORT'), adminToken: v.ATOM_ADMIN_TOKEN as string | undefined,
      allowedHosts: str('ATOM_HTTP_ALLOWED_HOSTS'),
    },
    log: { level: str('ATOM_LOG_LEVEL') as LogLevel },
  };
}
