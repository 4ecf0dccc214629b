// Every configuration variable the agent reads: its kind, default, allowed range or values,
// and the one-line description that README, .env.example and `check-config` show.
// Spec 000 ("Environment Variables", appendix A) and spec 002 define the ATOM_SAAS_* ones;
// the ATOM_* ones without SAAS are ours.

import { ALLOWED_HOSTS_TEXT } from './bind-rules.ts';
import { LOG_LEVELS } from '../logging/levels.ts';
import { CONFLICT_STRATEGIES } from '../conflicts/strategies.ts';

interface BaseSpec {
  name: string;
  description: string;
  /** Belongs to the SaaS link: ignored (not validated) when ATOM_SAAS_ENABLED=false. */
  saas: boolean;
}
export interface BooleanSpec extends BaseSpec { kind: 'boolean'; default: boolean }
export interface IntegerSpec extends BaseSpec { kind: 'integer'; default: number; min: number; max: number; unit?: string }
export interface NumberSpec extends BaseSpec { kind: 'number'; default: number; min: number; max: number }
export interface EnumSpec extends BaseSpec { kind: 'enum'; default: string; values: readonly string[] }
export interface UrlSpec extends BaseSpec { kind: 'url'; default?: string; protocols: readonly string[]; requiredWhenSaas?: boolean; derived?: string }
/** `default: ''` is no value (shown as none); `allowedText` describes a format the loader checks itself. */
export interface StringSpec extends BaseSpec { kind: 'string'; default: string; allowedText?: string }
export interface SecretSpec extends BaseSpec { kind: 'secret'; requiredWhenSaas?: boolean; minLength: number }

export type VariableSpec = BooleanSpec | IntegerSpec | NumberSpec | EnumSpec | UrlSpec | StringSpec | SecretSpec;

export const VARIABLES = [
  { name: 'ATOM_SAAS_ENABLED', kind: 'boolean', default: true, saas: false,
    description: 'Sync with Atom SaaS. false = local marketplace only: no API call, no WebSocket, other ATOM_SAAS_* ignored' },
  { name: 'ATOM_SAAS_API_URL', kind: 'url', protocols: ['http:', 'https:'], requiredWhenSaas: true, saas: true,
    description: 'Base URL of the Atom SaaS platform API (the agent calls <url>/api/v1/...)' },
  { name: 'ATOM_SAAS_API_TOKEN', kind: 'secret', requiredWhenSaas: true, minLength: 1, saas: true,
    description: 'Bearer token of this instance (UUID v4 or JWT). Never logged' },
  { name: 'ATOM_SAAS_WS_URL', kind: 'url', protocols: ['ws:', 'wss:'], saas: true,
    derived: 'from ATOM_SAAS_API_URL: http→ws, https→wss, path <base>/ws',
    description: 'WebSocket URL for real-time updates' },
  { name: 'ATOM_SAAS_WS_ENABLED', kind: 'boolean', default: true, saas: true,
    description: 'Open the WebSocket for real-time updates; false = polling only' },
  { name: 'ATOM_SAAS_SYNC_INTERVAL_MINUTES', kind: 'integer', default: 15, min: 5, max: 60, unit: 'minutes', saas: true,
    description: 'Polling interval of the skill and category sync' },
  { name: 'ATOM_SAAS_RATING_SYNC_INTERVAL_MINUTES', kind: 'integer', default: 30, min: 10, max: 120, unit: 'minutes', saas: true,
    description: 'Interval of the rating outbox upload' },
  { name: 'ATOM_SAAS_WS_RECONNECT_ATTEMPTS', kind: 'integer', default: 10, min: 1, max: 100, saas: true,
    description: 'WebSocket attempts since the last good connection before giving up (suspended, polling only)' },
  { name: 'ATOM_SAAS_WS_HEARTBEAT_INTERVAL', kind: 'integer', default: 30, min: 10, max: 120, unit: 'seconds', saas: true,
    description: 'Expected server ping interval; no ping or message for heartbeat + pong timeout means a stale link' },
  { name: 'ATOM_SAAS_CONFLICT_STRATEGY', kind: 'enum', default: 'remote_wins', values: CONFLICT_STRATEGIES, saas: true,
    description: 'How a remote change meets a local edit: remote_wins, local_wins, merge (description and tags merge, code stays local), manual (queued for an operator)' },
  { name: 'ATOM_SAAS_API_TIMEOUT_SECONDS', kind: 'integer', default: 30, min: 10, max: 120, unit: 'seconds', saas: true,
    description: 'Overall deadline of one API request, body included' },
  { name: 'ATOM_SAAS_SYNC_BATCH_SIZE', kind: 'integer', default: 1000, min: 1, max: 1000, saas: true,
    description: 'Page size of the skill sync (default 1000, the largest page the platform accepts: under 100 requests a minute, fewer requests means a faster sync)' },
  { name: 'ATOM_SYNC_WORKER', kind: 'boolean', default: false, saas: true,
    description: 'Run syncs on a worker thread at background CPU priority, so the admin API stays responsive during a large sync (costs ~100 MB RSS and ~0.2 s at start)' },
  { name: 'ATOM_SAAS_WS_FALLBACK_AFTER_FAILURES', kind: 'integer', default: 3, min: 1, max: 100, saas: true,
    description: 'Consecutive WebSocket failures that switch to polling-only fallback' },
  { name: 'ATOM_SAAS_WS_FALLBACK_MINUTES', kind: 'integer', default: 60, min: 1, max: 1440, unit: 'minutes', saas: true,
    description: 'How long the polling-only fallback lasts before the WebSocket is tried again' },
  { name: 'ATOM_SAAS_WS_PONG_TIMEOUT_SECONDS', kind: 'integer', default: 10, min: 1, max: 120, unit: 'seconds', saas: true,
    description: 'Grace period after a missed heartbeat before the link is declared stale' },
  { name: 'ATOM_SAAS_WS_BACKOFF_JITTER', kind: 'number', default: 0, min: 0, max: 1, saas: true,
    description: 'Random share of each reconnect delay (0 = exact 1, 2, 4, 8, 16 s schedule; 0.2 = up to ±20 %)' },
  { name: 'ENABLE_SCHEDULER', kind: 'boolean', default: true, saas: false,
    description: 'Run periodic jobs (sync, rating upload, cache cleanup); false for an API-only replica' },
  { name: 'ATOM_DB_PATH', kind: 'string', default: './data/atom.db', saas: false,
    description: 'SQLite file of the agent (created with its folder if missing)' },
  { name: 'ATOM_HTTP_HOST', kind: 'string', default: '127.0.0.1', saas: false,
    description: 'Address the agent\'s HTTP shell binds. Anything but loopback needs ATOM_ADMIN_TOKEN (the local API\'s write routes then take it) and logs a warning' },
  { name: 'ATOM_HTTP_ALLOWED_HOSTS', kind: 'string', default: '', allowedText: ALLOWED_HOSTS_TEXT, saas: false,
    description: 'Host names the HTTP shell answers besides 127.0.0.1, ::1, localhost and ATOM_HTTP_HOST (any IP address too when ATOM_HTTP_HOST is 0.0.0.0 or ::); a request naming another Host gets 421 (DNS-rebinding guard)' },
  { name: 'ATOM_HTTP_PORT', kind: 'integer', default: 8000, min: 0, max: 65535, saas: false,
    description: 'Port of the agent\'s HTTP shell (0 = any free port)' },
  { name: 'ATOM_ADMIN_TOKEN', kind: 'secret', minLength: 16, saas: false,
    description: 'Bearer token of the admin API (at least 16 characters), and of the local API\'s write routes when ATOM_HTTP_HOST is not loopback; unset = admin routes answer 503' },
  { name: 'ATOM_LOG_LEVEL', kind: 'enum', default: 'info', values: LOG_LEVELS, saas: false,
    description: 'Log level (JSON lines on stdout)' },
] as const satisfies readonly VariableSpec[];

export type VariableName = (typeof VARIABLES)[number]['name'];

export const SECRET_VARIABLES: readonly string[] = VARIABLES.filter((v) => v.kind === 'secret').map((v) => v.name);

/** Human text for a variable's default and allowed values, shared by errors, README and .env.example. */
export function describeAllowed(spec: VariableSpec): string {
  switch (spec.kind) {
    case 'boolean': return 'true, false, 1 or 0 (any case)';
    case 'integer': return `an integer from ${spec.min} to ${spec.max}${spec.unit ? ` (${spec.unit})` : ''}`;
    case 'number': return `a number from ${spec.min} to ${spec.max}`;
    case 'enum': return `one of ${spec.values.join(', ')} (any case)`;
    case 'url': return `a ${spec.protocols.map((p) => p.replace(':', '')).join(' or ')} URL`;
    case 'string': return spec.allowedText ?? 'a non-empty string';
    case 'secret': return spec.minLength > 1 ? `a token of at least ${spec.minLength} characters, no spaces` : 'a token without spaces';
  }
}

export function describeDefault(spec: VariableSpec): string {
  if ('derived' in spec && spec.derived) return `derived ${spec.derived}`;
  if (spec.kind === 'secret' || spec.kind === 'url') return spec.kind === 'url' && spec.default ? spec.default : 'none';
  if (spec.kind === 'string' && spec.default === '') return 'none';
  return String(spec.default);
}
