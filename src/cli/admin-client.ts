import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseEnv } from 'node:util';
import { request } from 'undici';
import { formatProblems, type ConfigProblem } from '../config/index.ts';
import { parseUrl, parseValue } from '../config/parse-value.ts';
import { redactText, redactUrl, maskSecret } from '../logging/redact.ts';
import { VARIABLES, describeAllowed, type VariableSpec } from '../config/variables.ts';

// The client side of the admin API, shared by `atom-sync status|reconnect|resync|conflicts|actors`.
// It reads only the variables it needs (ATOM_ADMIN_URL, ATOM_HTTP_HOST, ATOM_HTTP_PORT, ATOM_ADMIN_TOKEN),
// from the environment and ./.env (or ATOM_ENV_FILE) like the agent, so that it works on a machine where
// the SaaS variables are not set. Everything it prints goes through `redactText` with the token.

/** Whole-request deadline: connecting, sending and reading the body. */
export const REQUEST_TIMEOUT_MS = 10_000;

export interface AdminTarget {
  /** http(s)://host:port[/base], no trailing slash. */
  baseUrl: string;
  token: string | undefined;
  /** Where the URL came from, for the "cannot reach" hint. */
  from: 'ATOM_ADMIN_URL' | 'ATOM_HTTP_HOST/ATOM_HTTP_PORT';
}

/** A failure the command reports on one line (stderr, redacted) and exits with `exitCode`. */
export class AdminCliError extends Error {
  readonly exitCode: number;
  readonly details: string[];

  constructor(message: string, exitCode = 1, details: string[] = []) {
    super(message);
    this.exitCode = exitCode;
    this.details = details;
    this.name = 'AdminCliError';
  }
}

const SPEC = (name: string): VariableSpec => VARIABLES.find((v) => v.name === name) as VariableSpec;

/**
 * Resolves the admin API's address and token: `ATOM_ADMIN_URL` if set, else
 * `http://ATOM_HTTP_HOST:ATOM_HTTP_PORT` (a wildcard bind address becomes 127.0.0.1).
 * Returns every problem at once, as `check-config` would word them.
 */
export function resolveAdminTarget(
  env: NodeJS.ProcessEnv = process.env,
  options: { envFile?: string | false; cwd?: string } = {},
): { ok: true; target: AdminTarget } | { ok: false; problems: ConfigProblem[] } {
  const problems: ConfigProblem[] = [];
  const file = readEnvFile(env, options, problems);
  const raw = (name: string): string | undefined => {
    const fromEnv = env[name];
    if (fromEnv !== undefined && fromEnv !== '') return fromEnv;
    const fromFile = file[name];
    return fromFile !== undefined && fromFile !== '' ? fromFile : undefined;
  };
  const read = <T>(name: string): T | undefined => {
    const spec = SPEC(name);
    const given = raw(name);
    if (given === undefined) return ('default' in spec ? spec.default : undefined) as T | undefined;
    const parsed = parseValue(spec, given);
    if (!parsed.ok) {
      const shown = spec.kind === 'secret' ? maskSecret(given) : given;
      problems.push({ variable: name, value: shown, problem: parsed.problem, allowed: describeAllowed(spec) });
      return undefined;
    }
    return parsed.value as T;
  };

  const token = read<string>('ATOM_ADMIN_TOKEN');
  const adminUrl = raw('ATOM_ADMIN_URL');
  let target: AdminTarget | undefined;
  if (adminUrl !== undefined) {
    const parsed = parseUrl(adminUrl, ['http:', 'https:']);
    if (parsed.ok) target = { baseUrl: parsed.value, token, from: 'ATOM_ADMIN_URL' };
    else problems.push({ variable: 'ATOM_ADMIN_URL', value: redactUrl(adminUrl), problem: parsed.problem, allowed: 'a http or https URL' });
  } else {
    const host = read<string>('ATOM_HTTP_HOST');
    const port = read<number>('ATOM_HTTP_PORT');
    if (port === 0) {
      problems.push({ variable: 'ATOM_HTTP_PORT', value: '0', problem: 'is 0 (any free port), which the client cannot guess', allowed: 'the port the agent listens on, or set ATOM_ADMIN_URL' });
    }
    if (host !== undefined && port !== undefined && port !== 0) {
      const connectTo = host === '0.0.0.0' || host === '::' || host === '[::]' ? '127.0.0.1' : host;
      const hostInUrl = connectTo.includes(':') && !connectTo.startsWith('[') ? `[${connectTo}]` : connectTo;
      target = { baseUrl: `http://${hostInUrl}:${port}`, token, from: 'ATOM_HTTP_HOST/ATOM_HTTP_PORT' };
    }
  }
  if (problems.length > 0 || !target) return { ok: false, problems };
  return { ok: true, target };
}

function readEnvFile(env: NodeJS.ProcessEnv, options: { envFile?: string | false; cwd?: string }, problems: ConfigProblem[]): NodeJS.Dict<string> {
  if (options.envFile === false) return {};
  const explicit = options.envFile ?? (env.ATOM_ENV_FILE || undefined);
  const path = resolve(options.cwd ?? process.cwd(), explicit ?? '.env');
  try {
    return parseEnv(readFileSync(path, 'utf8'));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' && explicit === undefined) return {};
    problems.push({ variable: 'ATOM_ENV_FILE', value: path, problem: `cannot be read (${code ?? 'error'})`, allowed: 'a readable .env file' });
    return {};
  }
}

export interface AdminResponse<T = any> {
  status: number;
  body: T;
}

/** One admin API call with the 10 s deadline. Non-2xx statuses not in `accept` become an AdminCliError. */
export class AdminClient {
  readonly target: AdminTarget;

  constructor(target: AdminTarget) {
    this.target = target;
  }

  get<T = any>(path: string, accept: readonly number[] = []): Promise<AdminResponse<T>> {
    return this.call<T>('GET', path, undefined, accept);
  }

  post<T = any>(path: string, body?: unknown, accept: readonly number[] = []): Promise<AdminResponse<T>> {
    return this.call<T>('POST', path, body, accept);
  }

  async call<T>(method: 'GET' | 'POST', path: string, body: unknown, accept: readonly number[]): Promise<AdminResponse<T>> {
    const url = `${this.target.baseUrl}${path}`;
    const headers: Record<string, string> = { accept: 'application/json' };
    if (this.target.token) headers.authorization = `Bearer ${this.target.token}`;
    if (body !== undefined) headers['content-type'] = 'application/json';
    const signal = AbortSignal.timeout(REQUEST_TIMEOUT_MS);
    let status: number;
    let text: string;
    try {
      const res = await request(url, { method, headers, signal, body: body === undefined ? undefined : JSON.stringify(body) });
      status = res.statusCode;
      text = await res.body.text();
    } catch (error) {
      throw this.transportError(error, signal);
    }
    let parsed: unknown;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      parsed = undefined;
    }
    if ((status >= 200 && status < 300) || accept.includes(status)) {
      if (parsed === undefined && text) throw new AdminCliError(`${method} ${path} answered ${status} with a body that is not JSON`);
      return { status, body: parsed as T };
    }
    throw httpError(status, parsed, method, path, this.target);
  }

  private transportError(error: unknown, signal: AbortSignal): AdminCliError {
    const where = redactUrl(this.target.baseUrl);
    if (signal.aborted) return new AdminCliError(`the agent at ${where} did not answer within ${REQUEST_TIMEOUT_MS / 1000} s`);
    const code = errorCode(error);
    const hint = this.target.from === 'ATOM_ADMIN_URL'
      ? 'check ATOM_ADMIN_URL, or start the agent with `atom-sync agent`'
      : 'start the agent with `atom-sync agent`, or set ATOM_ADMIN_URL (or ATOM_HTTP_HOST/ATOM_HTTP_PORT) to where it listens';
    if (code === 'ECONNREFUSED') return new AdminCliError(`cannot reach the agent at ${where} (connection refused): ${hint}`);
    if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return new AdminCliError(`cannot reach the agent at ${where} (unknown host): ${hint}`);
    const message = error instanceof Error ? error.message : String(error);
    return new AdminCliError(`cannot reach the agent at ${where} (${code ?? message}): ${hint}`);
  }
}

function errorCode(error: unknown): string | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current && typeof current === 'object'; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string' && code.startsWith('E') && !code.startsWith('ERR_')) return code;
    // AggregateError (happy eyeballs: ::1 and 127.0.0.1 both refused).
    const errors = (current as { errors?: unknown }).errors;
    if (Array.isArray(errors) && errors.length > 0) current = errors[0];
    else current = (current as { cause?: unknown }).cause;
  }
  return typeof (error as { code?: unknown })?.code === 'string' ? (error as { code: string }).code : undefined;
}

function httpError(status: number, body: unknown, method: string, path: string, target: AdminTarget): AdminCliError {
  const message = typeof (body as { message?: unknown })?.message === 'string' ? (body as { message: string }).message : undefined;
  if (status === 401) {
    return new AdminCliError(target.token
      ? 'the admin token was refused (401): ATOM_ADMIN_TOKEN must equal the agent\'s ATOM_ADMIN_TOKEN'
      : 'the admin token was refused (401): set ATOM_ADMIN_TOKEN to the agent\'s admin token');
  }
  if (status === 409) {
    const accepts = (body as { accepts?: unknown })?.accepts;
    const details = Array.isArray(accepts)
      ? [`accepted now: ${accepts.length > 0 ? accepts.join(', ') : '(no operator events)'}`]
      : [];
    return new AdminCliError(`refused (409): ${message ?? 'the request conflicts with the current state'}`, 1, details);
  }
  if (status === 503) return new AdminCliError(`unavailable (503): ${message ?? 'the agent cannot serve this now'}`);
  return new AdminCliError(`${method} ${path} failed (${status}): ${message ?? 'no message'}`);
}

/** What a command does once the target is known; returns the exit code. */
export type AdminAction = (ctx: AdminContext) => Promise<number>;

export interface AdminContext {
  client: AdminClient;
  /** Writes a line (or lines) to stdout, redacted. */
  out(text: string): void;
  /** Writes pretty JSON to stdout, redacted. */
  json(value: unknown): void;
  /** Writes to stderr, redacted. */
  err(text: string): void;
}

/**
 * Resolves the target, runs the action and turns an AdminCliError into one redacted stderr line and
 * its exit code. Configuration problems are printed as `check-config` prints them (exit 1).
 */
export async function runAdmin(name: string, action: AdminAction, env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const resolved = resolveAdminTarget(env);
  if (!resolved.ok) {
    process.stderr.write(`atom-sync: ${formatProblems(resolved.problems)}\n`);
    return 1;
  }
  const { target } = resolved;
  const secrets = [target.token];
  const redact = (text: string) => redactText(text, secrets);
  const ctx: AdminContext = {
    client: new AdminClient(target),
    out: (text) => process.stdout.write(`${redact(text)}\n`),
    json: (value) => process.stdout.write(`${redact(JSON.stringify(value, null, 2))}\n`),
    err: (text) => process.stderr.write(`${redact(text)}\n`),
  };
  try {
    return await action(ctx);
  } catch (error) {
    if (error instanceof AdminCliError) {
      ctx.err(`atom-sync ${name}: ${error.message}`);
      for (const line of error.details) ctx.err(`  ${line}`);
      return error.exitCode;
    }
    ctx.err(`atom-sync ${name}: ${error instanceof Error ? error.message : String(error)}`);
    return 1;
  }
}

/** `12 s ago`, `5 min ago`, `3 h ago`, `2 d ago` from an ISO time (null → "never"). */
export function age(iso: string | null | undefined, now = Date.now()): string {
  if (!iso) return 'never';
  const ms = now - Date.parse(iso);
  if (!Number.isFinite(ms)) return iso;
  const s = Math.max(0, Math.round(ms / 1000));
  const ago = s < 90 ? `${s} s ago` : s < 90 * 60 ? `${Math.round(s / 60)} min ago` : s < 36 * 3600 ? `${Math.round(s / 3600)} h ago` : `${Math.round(s / 86400)} d ago`;
  return `${iso} (${ago})`;
}

/** A plain text table: header row, then rows, columns padded to their widest cell. */
export function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]) => cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]!))).join('  ').trimEnd();
  return [line(header), ...rows.map(line)].join('\n');
}

/** One-line rendering of any JSON value, cut to `max` characters with an ellipsis. */
export function cell(value: unknown, max = 40): string {
  const text = value === null || value === undefined ? '-' : typeof value === 'string' ? value : JSON.stringify(value);
  const flat = text.replace(/\s+/g, ' ');
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}
