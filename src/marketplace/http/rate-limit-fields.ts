import { parseRetryAfter } from '../../policy/outcome.ts';
import type { BudgetObservation } from '../../policy/request-budget.ts';

// What a response says about the request budget, in every dialect the agent may meet:
// - draft-ietf-httpapi-ratelimit-headers-08 and later: `RateLimit-Policy: "default";q=100;w=60`
//   and `RateLimit: "default";r=42;t=17` (structured-field items: q quota, w window s, r remaining, t s to reset);
// - the older drafts: `RateLimit: limit=100, remaining=42, reset=17`, or separate
//   `RateLimit-Limit` / `RateLimit-Remaining` / `RateLimit-Reset`;
// - `X-RateLimit-Limit` / `X-RateLimit-Remaining` (+ `X-RateLimit-Reset`, delta or epoch seconds).
// Unreadable values are ignored, never trusted: a wrong field costs at most one 429.

type Header = (name: string) => string | undefined;

const MAX_SECONDS = 24 * 3600;

function int(text: string | undefined, max = Number.MAX_SAFE_INTEGER): number | undefined {
  if (text === undefined || !/^\s*\d{1,15}\s*$/.test(text)) return undefined;
  const n = Number(text.trim());
  return n <= max ? n : undefined;
}

/** Parameters of the first item of a structured-field list (`"name";a=1;b=2, ...`). */
function itemParams(field: string): Map<string, string> {
  const first = field.split(',')[0] ?? '';
  const params = new Map<string, string>();
  for (const part of first.split(';').slice(1)) {
    const [key, value] = part.split('=');
    if (key && value !== undefined) params.set(key.trim().toLowerCase(), value.trim());
  }
  return params;
}

/** Members of a structured-field dictionary (`limit=100, remaining=42, reset=17`). */
function dictionary(field: string): Map<string, string> {
  const members = new Map<string, string>();
  for (const part of field.split(',')) {
    const [key, value] = part.split(';')[0]!.split('=');
    if (key && value !== undefined) members.set(key.trim().toLowerCase(), value.trim());
  }
  return members;
}

/** Seconds until reset from X-RateLimit-Reset, which some platforms send as epoch seconds. */
function resetSeconds(text: string | undefined, now: number): number | undefined {
  const n = int(text);
  if (n === undefined) return undefined;
  if (n > 1_000_000_000) return Math.max(0, n - Math.floor(now / 1000));
  return n;
}

export function readBudgetFields(status: number, header: Header, now: number): BudgetObservation {
  let limit: number | undefined;
  let remaining: number | undefined;
  let resetS: number | undefined;
  let windowS: number | undefined;
  const policy = header('ratelimit-policy');
  const current = header('ratelimit');
  if (current !== undefined && current.includes(';')) {
    const params = itemParams(current);
    remaining = int(params.get('r'));
    resetS = int(params.get('t'), MAX_SECONDS);
    if (policy !== undefined) {
      limit = int(itemParams(policy).get('q'));
      windowS = int(itemParams(policy).get('w'), MAX_SECONDS);
    }
  } else if (current !== undefined) {
    const members = dictionary(current);
    limit = int(members.get('limit'));
    remaining = int(members.get('remaining'));
    resetS = int(members.get('reset'), MAX_SECONDS);
  }
  limit ??= int(header('ratelimit-limit')?.split(',')[0]) ?? int(header('x-ratelimit-limit'));
  remaining ??= int(header('ratelimit-remaining')) ?? int(header('x-ratelimit-remaining'));
  resetS ??= int(header('ratelimit-reset'), MAX_SECONDS) ?? resetSeconds(header('x-ratelimit-reset'), now);
  const retryAfterMs = parseRetryAfter(header('retry-after'), now);
  return {
    status,
    ...(limit !== undefined && limit > 0 ? { limit } : {}),
    ...(remaining !== undefined ? { remaining } : {}),
    ...(resetS !== undefined && resetS <= MAX_SECONDS ? { resetInMs: resetS * 1000 } : {}),
    ...(retryAfterMs !== undefined ? { retryAfterMs } : {}),
    ...(windowS !== undefined && windowS > 0 ? { windowMs: windowS * 1000 } : {}),
  };
}
