import { SimulatedClock, waitFor } from 'xstate';
import { buildApp } from '../../src/http/app.ts';
import type { RunningPlatform } from '../../src/platform/server.ts';
import { createAgent, type Agent } from '../../src/runtime/agent.ts';
import type { Trace } from '../../src/replay/trace-format.ts';
import { agentConfig } from '../support/config.ts';
import { eventually } from '../support/eventually.ts';
import { INSTANCE_TOKEN, startSeededPlatform } from '../support/platform.ts';

// A real run to record: the agent (createAgent, its HTTP shell) against the reference platform on
// 127.0.0.1, at a test-sized rate limit (10 requests a minute, pages of 4: the initial sync waits
// for a window), with ratings uploaded for named users, a platform restart the socket notices (a
// catch-up follows its reopening; an upload fails while it is down) and a seq gap (another catch-up). Agent and platform share one
// simulated clock: windows and backoffs pass without sleeping, real I/O runs in between.

export const ADMIN_TOKEN = 'trace-admin-token-0123456789abcdef';
/** User ids of the run's ratings: none may reach the journal or a trace in clear. */
export const USER_IDS = ['trace-user-alice-7f3a91', 'trace-user-bob-c20e44'];
const WINDOW = 60_000;
// Platform pings would come on its real clock: an hour apart, only the simulated clock decides staleness.
const QUIET_PUSH = { pingIntervalMs: 3_600_000, pongTimeoutMs: 3_600_000, maxConnectAttemptsPerMinute: 1_000_000 };

export interface RealRun {
  trace: Trace;
  /** The trace as the route sent it. */
  body: string;
  agent: Agent;
  close(): Promise<void>;
}

export async function recordRealRun(dir: string): Promise<RealRun> {
  const clock = new SimulatedClock();
  clock.set(Date.now());
  const closers: (() => Promise<unknown>)[] = [];
  const close = async () => {
    for (const closer of closers.reverse()) await closer().catch(() => {});
  };
  try {
    let platform: RunningPlatform = await startSeededPlatform(dir, 40, { now: () => clock.now(), push: QUIET_PUSH, rateLimit: { limit: 10, windowMs: WINDOW } });
    closers.push(() => platform.close());
    const config = agentConfig(dir, {
      ATOM_SAAS_API_URL: platform.url, ATOM_SAAS_API_TOKEN: INSTANCE_TOKEN, ATOM_ADMIN_TOKEN: ADMIN_TOKEN, ATOM_HTTP_PORT: '0',
      ATOM_SAAS_SYNC_BATCH_SIZE: '4', ATOM_SAAS_WS_HEARTBEAT_INTERVAL: '120', ATOM_SAAS_WS_PONG_TIMEOUT_SECONDS: '120',
    });
    const agent = createAgent({ config, clock, syncThread: 'main' });
    const app = buildApp(agent, config);
    closers.push(() => app.close());
    const from = clock.now();
    const cycle = agent.actors.syncCycle!;
    const connection = agent.actors.connection!;
    const throttledUntil = () => cycle.getSnapshot().context.throttledUntil;
    const running = () => agent.actors.agent.getSnapshot().matches('running');

    // The initial sync at the platform's limit: it waits for the next window, which the clock brings.
    const started = agent.start();
    let windows = 0;
    while (!running()) {
      await eventually(() => throttledUntil() !== null || running(), 5000, 'the sync to wait for a window or finish');
      if (running()) break;
      clock.set(throttledUntil()!);
      windows += 1;
      await eventually(() => throttledUntil() === null || throttledUntil()! > clock.now() || running(), 5000, 'the run to resume');
    }
    await started;
    if (windows === 0) throw new Error('the initial sync never waited for a window: the run does not face the limit');
    await eventually(() => connection.getSnapshot().hasTag('realtime'), 5000, 'the socket to open');
    await waitFor(cycle, (s) => s.matches('idle') && s.context.throttledUntil === null, { timeout: 5000 });
    // A window later (the catch-up the socket's opening asked for may have spent this one).
    clock.increment(WINDOW);

    // Ratings of two named users, uploaded now.
    const skills = agent.store.db.prepare('SELECT skill_id FROM skill_cache ORDER BY skill_id LIMIT 2').pluck().all() as string[];
    USER_IDS.forEach((userId, i) => agent.rateSkill({ skillId: skills[i]!, userId, rating: 4 + i, comment: `from ${userId}` }));
    agent.actors.ratingSync!.send({ type: 'ratings.flush' });
    await eventually(() => agent.store.ratings.statusCounts().synced === USER_IDS.length, 5000, 'the rating uploads');

    // The platform restarts: the socket closes, the agent backs off, reconnects and catches up.
    const port = Number(new URL(platform.url).port);
    await platform.close();
    closers.pop();
    await eventually(() => connection.getSnapshot().matches('backingOff'), 5000, 'the agent to notice the platform went away');
    // A rating uploaded while the platform is down: the upload fails, and its report is journaled.
    agent.rateSkill({ skillId: skills[1]!, userId: USER_IDS[0]!, rating: 2 });
    const ratingSync = agent.actors.ratingSync!;
    ratingSync.send({ type: 'ratings.flush' });
    await waitFor(ratingSync, (s) => s.matches('idle'), { timeout: 5000 });
    platform = await startSeededPlatform(dir, 0, { now: () => clock.now(), push: QUIET_PUSH, rateLimit: { limit: 10, windowMs: WINDOW }, port });
    closers.push(() => platform.close());
    const syncsBefore = agent.store.syncState.get().totalSyncs;
    clock.set(connection.getSnapshot().context.nextAttemptAt ?? clock.now());
    await eventually(() => connection.getSnapshot().hasTag('realtime'), 5000, 'the socket to reopen');
    await eventually(() => agent.store.syncState.get().totalSyncs > syncsBefore && cycle.getSnapshot().matches('idle'), 5000, 'the catch-up after the reopening');

    // A pushed message whose seq skips some: the agent catches up over HTTP.
    const gapsBefore = agent.store.syncState.get().totalSyncs;
    const seq = platform.app.platform.store.changes.current() + 5;
    const skill = agent.store.skills.get(skills[0]!)!.remote;
    platform.hub!.broadcast({ type: 'skill_update', data: { ...skill, version: '9.9.9', updated_at: new Date(clock.now()).toISOString() }, timestamp: new Date(clock.now()).toISOString(), seq });
    await eventually(() => agent.realtime.seqGaps === 1, 5000, 'the seq gap');
    await eventually(() => agent.store.syncState.get().totalSyncs > gapsBefore && cycle.getSnapshot().matches('idle'), 5000, 'the catch-up after the gap');

    // Exported through the real route, as an operator would.
    const response = await app.inject({ method: 'GET', url: `/api/admin/trace?from=${from}&to=${clock.now()}`, headers: { authorization: `Bearer ${ADMIN_TOKEN}` } });
    if (response.statusCode !== 200) throw new Error(`trace export answered ${response.statusCode}: ${response.body}`);
    return { trace: response.json() as Trace, body: response.body, agent, close };
  } catch (error) {
    await close();
    throw error;
  }
}
