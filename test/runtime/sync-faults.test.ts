import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { createActor, SimulatedClock, waitFor } from 'xstate';
import { openStore } from '../../src/store/index.ts';
import { createPlatformClient } from '../../src/marketplace/http/client.ts';
import { createRequestBudget } from '../../src/marketplace/http/request-budget.ts';
import { createSyncRunner } from '../../src/runtime/sync-run.ts';
import { provideSyncCycle } from '../../src/runtime/sync-cycle.ts';
import type { Failure } from '../../machines/failure.ts';
import { INSTANCE_TOKEN, platformCatalog, startSeededPlatform } from '../support/platform.ts';
import { startFaultProxy, type Fault } from '../support/fault-proxy.ts';
import { useTempDir } from '../support/temp-dir.ts';
import { useCleanups } from '../support/cleanups.ts';
import { eventually } from '../support/eventually.ts';

type Plan = (index: number, method: string, path: string) => Fault;

/** The real platform seeded with `skills`, the fault proxy in front of it, and a sync runner talking through it. */
async function proxiedRunner(dir: string, cleanups: ReturnType<typeof useCleanups>, options: { skills: number; plan: Plan; pageSize: number; clock: SimulatedClock; timeoutMs?: number }) {
  const platform = await startSeededPlatform(dir, options.skills);
  cleanups.push(() => platform.close());
  const proxy = await startFaultProxy(platform.url, options.plan);
  cleanups.push(() => proxy.close());
  const store = openStore(join(dir, 'agent.db'));
  cleanups.push(() => store.close());
  // The instance's request budget runs on the test's clock: its Retry-After waits are simulated time.
  const budget = createRequestBudget({ clock: options.clock });
  const client = createPlatformClient({ baseUrl: proxy.url, token: INSTANCE_TOKEN, timeoutMs: options.timeoutMs ?? 5000, budget });
  cleanups.push(() => client.close());
  const runner = createSyncRunner({ store, client, clock: options.clock, pageSize: options.pageSize, strategy: () => 'remote_wins' });
  return { platform, proxy, store, runner };
}

describe('the sync cycle through faults between agent and platform', () => {
  const tempDir = useTempDir();
  const cleanups = useCleanups();

  /** A sync cycle on a simulated clock, talking to the real platform through the fault proxy. */
  async function setup(plan: Plan, timeoutMs = 5000) {
    const clock = new SimulatedClock();
    clock.set(Date.now());
    const { platform, proxy, store, runner } = await proxiedRunner(tempDir(), cleanups, { skills: 100, plan, pageSize: 40, clock, timeoutMs });
    const givenUp: Failure[] = [];
    const actor = createActor(provideSyncCycle({ clock, runSync: (k) => runner.run(k), onGivenUp: (f) => givenUp.push(f) }), {
      clock, input: { intervalMs: 15 * 60_000, schedulerEnabled: true },
    });
    actor.start();
    cleanups.push(() => actor.stop());
    /** Moves simulated time in steps until the cycle is idle again (real I/O runs in between). */
    const runUntilIdle = async (stepMs: number, maxSteps = 40) => {
      actor.send({ type: 'sync.trigger' });
      for (let i = 0; i < maxSteps && !actor.getSnapshot().matches('idle'); i += 1) {
        await waitFor(actor, (s) => !s.matches('syncing'), { timeout: 10_000 });
        if (actor.getSnapshot().matches('idle') || actor.getSnapshot().matches('failed')) break;
        clock.increment(stepMs);
      }
      return actor.getSnapshot();
    };
    return { platform, proxy, store, clock, actor, runUntilIdle, givenUp };
  }

  it('retries 500s and converges', async () => {
    const { platform, proxy, store, runUntilIdle } = await setup((i, _m, path) =>
      path.startsWith('/api/v1/skills') && (i === 2 || i === 4) ? { kind: 'status', status: 500 } : { kind: 'pass' });
    const snapshot = await runUntilIdle(1000);
    expect(snapshot.value).toBe('idle');
    expect(proxy.seen.filter((s) => s.startsWith('GET /api/v1/categories')).length).toBe(3);
    expect(store.skills.count()).toBe(platformCatalog(platform).size);
  });

  it('a 429 is flow control: the run waits for Retry-After, sends the request again and goes on, never retrying or failed', async () => {
    const { proxy, clock, actor, store, platform } = await setup((i) =>
      i === 1 ? { kind: 'status', status: 429, headers: { 'retry-after': '30' }, body: { error: 'Rate limit exceeded', retry_after: 30 } } : { kind: 'pass' });
    const visited = new Set<string>();
    actor.subscribe((s) => visited.add(String(s.value)));
    actor.send({ type: 'sync.trigger' });
    await eventually(() => proxy.seen.length === 2, 5000, 'the categories request and the throttled first page');
    const requests = proxy.seen.length;
    clock.increment(29_999);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(proxy.seen.length).toBe(requests);
    clock.increment(1);
    await waitFor(actor, (s) => s.matches('idle'), { timeout: 10_000 });
    expect(proxy.seen[2]).toBe(proxy.seen[1]);
    expect([...visited]).toEqual(['syncing', 'idle']);
    expect(actor.getSnapshot().context).toMatchObject({ attempt: 0, lastError: null });
    expect(store.skills.count()).toBe(platformCatalog(platform).size);
  });

  it('a truncated body is a transient failure, retried, not a hang or a crash', async () => {
    const { platform, store, runUntilIdle } = await setup((i, _m, path) => (i === 3 && path.startsWith('/api/v1/skills') ? { kind: 'truncate' } : { kind: 'pass' }));
    const snapshot = await runUntilIdle(1000);
    expect(snapshot.value).toBe('idle');
    expect(snapshot.context.lastResult?.skills).toBe(100);
    expect(store.skills.count()).toBe(platformCatalog(platform).size);
  });

  it('a server that drips its body slower than the deadline cannot hang the cycle', async () => {
    // 1 byte every 50 ms against a 400 ms overall deadline: the request is abandoned and retried.
    const { platform, store, runUntilIdle, givenUp } = await setup(
      (i, _m, path) => (i === 1 && path.startsWith('/api/v1/skills') ? { kind: 'drip', bytes: 1, intervalMs: 50 } : { kind: 'pass' }),
      400,
    );
    const started = Date.now();
    const snapshot = await runUntilIdle(1000);
    expect(Date.now() - started).toBeLessThan(5000);
    expect(snapshot.value).toBe('idle');
    expect(snapshot.context.attempt).toBe(0);
    expect(givenUp).toEqual([]);
    expect(store.skills.count()).toBe(platformCatalog(platform).size);
  });
});

describe('against a platform without the sync extensions', () => {
  const tempDir = useTempDir();
  const cleanups = useCleanups();

  it('pages by page number when the listing carries no next_cursor', async () => {
    // A spec-000-only platform: no cursor, no high_water_seq, no tombstones in its answers.
    const plan: Plan = (_i, _m, path) =>
      path.startsWith('/api/v1/skills')
        ? { kind: 'rewrite', json: ({ next_cursor: _c, high_water_seq: _s, deleted: _d, ...plain }) => plain }
        : { kind: 'pass' };
    const { platform, proxy, store, runner } = await proxiedRunner(tempDir(), cleanups, { skills: 130, plan, pageSize: 50, clock: new SimulatedClock() });
    expect(await runner.run('full')).toMatchObject({ skills: 130, pages: 3 });
    const pages = proxy.seen.filter((s) => s.startsWith('GET /api/v1/skills')).map((s) => new URL(s.slice(4), 'http://x').searchParams.get('page'));
    expect(pages).toEqual(['1', '2', '3']);
    expect(store.skills.count()).toBe(platformCatalog(platform).size);
  });
});

describe('full-sync reconciliation through a listing that leaves skills out', () => {
  const tempDir = useTempDir();
  const cleanups = useCleanups();

  it('keeps an unlisted skill heard of during the sync when the platform still has it, and drops one not heard of', async () => {
    let hidden: string[] = [];
    // The second full sync's listing leaves two existing skills out, as a listing that passed them
    // before they were published would (its total does not count them either: it is complete).
    const plan: Plan = (_i, method, path) =>
      hidden.length > 0 && method === 'GET' && path.startsWith('/api/v1/skills?')
        ? { kind: 'rewrite', json: (body) => ({ ...body, total: body.total - hidden.length, skills: body.skills.filter((s: { skill_id: string }) => !hidden.includes(s.skill_id)) }) }
        : { kind: 'pass' };
    const clock = new SimulatedClock();
    clock.set(Date.parse('2026-06-01T00:00:00Z'));
    const { platform, proxy, store, runner } = await proxiedRunner(tempDir(), cleanups, { skills: 40, plan, pageSize: 10, clock });
    const [passed, stale] = [...platformCatalog(platform).keys()].sort();
    await runner.run('full');
    clock.increment(60_000);
    // `passed` was heard of (a WebSocket update) after the next sync begins; `stale` was not.
    store.db.prepare('UPDATE skill_cache SET synced_at = ? WHERE skill_id = ?').run(clock.now() + 1, passed);
    hidden = [passed!, stale!];
    const result = await runner.run('full');
    expect(result.deleted).toBe(1);
    expect(store.skills.get(passed!)).toBeDefined();
    expect(store.skills.get(stale!)).toBeUndefined();
    // Only the skill heard of since was asked about, in one batched look-up (not one GET per skill).
    expect(proxy.seen.filter((s) => s.startsWith('GET /api/v1/skills/') || s.startsWith('POST'))).toEqual(['POST /api/v1/skills/lookup']);
  });

  it('asks one GET /skills/{id} per candidate when the platform has no batched look-up (404)', async () => {
    let hidden: string[] = [];
    const plan: Plan = (_i, method, path) =>
      method === 'POST' && path === '/api/v1/skills/lookup'
        ? { kind: 'status', status: 404, body: { error: 'Not Found', message: 'Route POST:/api/v1/skills/lookup not found' } }
        : hidden.length > 0 && method === 'GET' && path.startsWith('/api/v1/skills?')
          ? { kind: 'rewrite', json: (body) => ({ ...body, total: body.total - hidden.length, skills: body.skills.filter((s: { skill_id: string }) => !hidden.includes(s.skill_id)) }) }
          : { kind: 'pass' };
    const clock = new SimulatedClock();
    clock.set(Date.parse('2026-06-01T00:00:00Z'));
    const { platform, proxy, store, runner } = await proxiedRunner(tempDir(), cleanups, { skills: 20, plan, pageSize: 10, clock });
    const [passed] = [...platformCatalog(platform).keys()].sort();
    await runner.run('full');
    clock.increment(60_000);
    store.db.prepare('UPDATE skill_cache SET synced_at = ? WHERE skill_id = ?').run(clock.now() + 1, passed);
    hidden = [passed!];
    expect((await runner.run('full')).deleted).toBe(0);
    expect(store.skills.get(passed!)).toBeDefined();
    expect(proxy.seen.filter((s) => s.startsWith('GET /api/v1/skills/'))).toEqual([`GET /api/v1/skills/${passed}`]);
  });
});
