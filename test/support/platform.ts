import { join } from 'node:path';
import { startPlatform, type RunningPlatform } from '../../src/platform/server.ts';
import { seedCatalog } from '../../src/platform/seed/seed.ts';

export const PLATFORM_ADMIN = 'support-admin-token-0123456789';
export const INSTANCE_TOKEN = 'support-instance-token-0123456789';

/**
 * The real reference platform on 127.0.0.1:0 over a SQLite file in `dir`, seeded with `skills`
 * skills, with an instance token registered for the agent. The agent's tests sync against this.
 */
export async function startSeededPlatform(
  dir: string,
  skills: number,
  options: { push?: boolean | { pingIntervalMs?: number; pongTimeoutMs?: number }; now?: () => number; port?: number; rateLimit?: { limit: number; windowMs?: number } } = {},
): Promise<RunningPlatform> {
  const platform = await startPlatform({
    db: join(dir, 'platform.db'),
    adminToken: PLATFORM_ADMIN,
    port: options.port ?? 0,
    // Unlimited unless a test faces the spec's limits on purpose.
    rateLimit: options.rateLimit ?? { limit: 1_000_000 },
    ...(options.now ? { now: options.now } : {}),
    ...(options.push === undefined || options.push === false ? { push: false } : options.push === true ? {} : { push: options.push }),
  });
  platform.app.platform.store.tokens.register(INSTANCE_TOKEN, 'agent-under-test', 'test');
  if (skills > 0) seedCatalog(platform.app.platform.store.db, skills);
  return platform;
}

/** The platform's catalog as the agent should end up with it: id → (version, updated_at). */
export function platformCatalog(platform: RunningPlatform): Map<string, { version: string; updated_at: string }> {
  const rows = platform.app.platform.store.db
    .prepare('SELECT skill_id, version, updated_at FROM skills')
    .all() as { skill_id: string; version: string; updated_at: number | string }[];
  return new Map(rows.map((r) => [r.skill_id, { version: r.version, updated_at: typeof r.updated_at === 'number' ? new Date(r.updated_at).toISOString() : r.updated_at }]));
}

/** Publishes (or updates, with the same skill_id in `body`) a skill through the admin API. */
export async function adminCall(platform: RunningPlatform, method: string, path: string, body?: unknown): Promise<{ status: number; json: any }> {
  const res = await fetch(`${platform.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${PLATFORM_ADMIN}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, json: text ? JSON.parse(text) : undefined };
}
