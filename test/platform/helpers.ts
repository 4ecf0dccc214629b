// Shared harness for the platform's integration tests: a real server on 127.0.0.1:0 over a real
// SQLite file in a temp dir (or a real PostgreSQL database, see backend.ts), an injectable clock,
// and a small fetch wrapper.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startPlatform, type RunningPlatform, type StartPlatformOptions } from '../../src/platform/server.ts';
import { openPlatformDb } from '../../src/platform/db/open.ts';
import { seedCatalog } from '../../src/platform/seed/seed.ts';
import type { PushMessage } from '../../src/platform/push/types.ts';
import { seedPostgres } from '../../src/platform/pg/seed.ts';
import type { PostgresStore } from '../../src/platform/pg/store.ts';
import { isPostgresPath, newPostgresPath, onPostgres, openPostgresPath } from './backend.ts';

export const ADMIN_TOKEN = 'test-admin-token-0123456789abcdef';
export const DEV_TOKEN = 'test-dev-token-0123456789abcdef';

const dirs: string[] = [];

/** A fresh db path in its own temp dir (a fresh database on PostgreSQL); `cleanupTempDirs` (afterAll) removes them all. */
export function tempDbPath(): string {
  if (onPostgres()) return newPostgresPath();
  const dir = mkdtempSync(join(tmpdir(), 'atom-platform-test-'));
  dirs.push(dir);
  return join(dir, 'platform.db');
}

export function cleanupTempDirs(): void {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
}

/** A clock tests move by hand: no sleeping, and same-millisecond writes on demand. */
export interface TestClock {
  now: () => number;
  set(ms: number): void;
  advance(ms: number): void;
}

export function testClock(start = Date.UTC(2026, 10, 1, 12)): TestClock {
  let t = start;
  return { now: () => t, set: (ms) => { t = ms; }, advance: (ms) => { t += ms; } };
}

export interface Harness {
  platform: RunningPlatform;
  clock: TestClock;
  dbPath: string;
  /** Messages the platform committed and broadcast, in order (when started with `record`). */
  pushed: PushMessage[];
  call(method: string, path: string, init?: CallInit): Promise<CallResult>;
  stop(): Promise<void>;
}

export interface CallInit {
  token?: string | null;
  body?: unknown;
  headers?: Record<string, string>;
}

export interface CallResult {
  status: number;
  headers: Headers;
  json: any;
  text: string;
}

/**
 * Starts the platform with the admin token, a registered DEV_TOKEN and a test clock. By default
 * the push hub is left out and broadcasts are recorded; `push: true` keeps the real hub.
 */
export async function startHarness(
  options: Partial<StartPlatformOptions> & { clock?: TestClock; push?: StartPlatformOptions['push'] | true } = {},
): Promise<Harness> {
  const clock = options.clock ?? testClock();
  const dbPath = typeof options.db === 'string' ? options.db : tempDbPath();
  const pushed: PushMessage[] = [];
  const { push, ...rest } = options;
  const postgres = typeof dbPath === 'string' && isPostgresPath(dbPath) ? await openPostgresPath(dbPath, clock.now) : undefined;
  const started = await startPlatform({
    adminToken: ADMIN_TOKEN,
    now: clock.now,
    port: 0,
    // Most tests make more than 100 calls a minute of test time; the limits test sets its own.
    rateLimit: { limit: 100_000 },
    ...rest,
    db: postgres ?? options.db ?? dbPath,
    ...(push === true ? {} : { push: push ?? false, broadcaster: { broadcast: (m) => pushed.push(m) } }),
  }).catch(async (err) => {
    await postgres?.close();
    throw err;
  });
  // The caller owns a store it passed in: close the PostgreSQL one after the platform.
  const platform: RunningPlatform = postgres
    ? { ...started, close: async () => { await started.close(); await postgres.close(); } }
    : started;
  await platform.app.platform.data.tokens.register(DEV_TOKEN, 'dev-instance', 'test');
  const call = async (method: string, path: string, init: CallInit = {}): Promise<CallResult> => {
    const token = init.token === undefined ? DEV_TOKEN : init.token;
    const headers: Record<string, string> = { ...(init.headers ?? {}) };
    if (token !== null) headers.authorization = `Bearer ${token}`;
    let body: string | undefined;
    if (init.body !== undefined) {
      body = typeof init.body === 'string' ? init.body : JSON.stringify(init.body);
      headers['content-type'] ??= 'application/json';
    }
    const res = await fetch(`${platform.url}${path}`, { method, headers, body });
    const text = await res.text();
    let json: unknown;
    try {
      json = text === '' ? undefined : JSON.parse(text);
    } catch {
      json = undefined;
    }
    return { status: res.status, headers: res.headers, json, text };
  };
  return { platform, clock, dbPath, pushed, call, stop: () => platform.close() };
}

/** A harness over a fresh database seeded with `count` skills. */
export async function seeded(count: number): Promise<Harness> {
  const dbPath = tempDbPath();
  if (isPostgresPath(dbPath)) {
    const store = await openPostgresPath(dbPath);
    await seedPostgres(store, count);
    await store.close();
    return startHarness({ db: dbPath });
  }
  const db = openPlatformDb(dbPath);
  seedCatalog(db, count);
  db.close();
  return startHarness({ db: dbPath });
}

/** Runs one read-only SQL statement on the harness's database, SQLite or PostgreSQL. */
export async function sqlRows(h: Harness, sql: string): Promise<Record<string, unknown>[]> {
  const data = h.platform.app.platform.data;
  if ('pool' in data) return (await (data as PostgresStore).pool.query(sql)).rows as Record<string, unknown>[];
  return h.platform.app.platform.store.db.prepare(sql).all() as Record<string, unknown>[];
}

/** The single number a `SELECT count(*) ...` answers, on either database. */
export async function sqlCount(h: Harness, sql: string): Promise<number> {
  const [row] = await sqlRows(h, sql);
  return Number(Object.values(row ?? {})[0]);
}

/** A minimal valid skill for publishing. */
export function skillBody(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    name: 'Send Email',
    description: 'Send emails via SMTP',
    version: '1.0.0',
    code: 'def send_email(to, subject, body):\n    ...',
    command: 'python',
    python_packages: ['smtplib'],
    npm_packages: [],
    tags: ['email', 'automation'],
    metadata: { author: 'Atom Team' },
    category: 'automation',
    ...overrides,
  };
}

/** Creates the category (if needed) and publishes one skill with the admin token. */
export async function publishSkill(h: Harness, overrides: Record<string, unknown> = {}): Promise<any> {
  const body = skillBody(overrides);
  await h.call('POST', '/api/v1/categories', { token: ADMIN_TOKEN, body: { name: body.category, description: 'c' } });
  const res = await h.call('POST', '/api/v1/skills', { token: ADMIN_TOKEN, body });
  if (res.status !== 201) throw new Error(`publish failed: ${res.status} ${res.text}`);
  return res.json;
}

export const SPEC_SKILL_KEYS = [
  'average_rating', 'category', 'code', 'command', 'created_at', 'description', 'metadata', 'name',
  'npm_packages', 'python_packages', 'rating_count', 'skill_id', 'tags', 'updated_at', 'version',
];
