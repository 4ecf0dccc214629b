import { describe, expect, it } from 'vitest';
import { SimulatedClock, waitFor } from 'xstate';
import { createAgent, type Agent } from '../../src/runtime/create-agent.ts';
import { agentConfig } from '../support/config.ts';
import { INSTANCE_TOKEN, platformCatalog, startSeededPlatform } from '../support/platform.ts';
import { eventually } from '../support/eventually.ts';
import { useCleanups } from '../support/cleanups.ts';
import { useTempDir } from '../support/temp-dir.ts';

// The agent at the platform's real limits, shrunk to test size: 10 requests a window, pages of 2,
// 60 skills (31 sync requests: 4 windows at the sync lane's 8). The platform and the agent share
// one simulated clock, so windows pass without sleeping; real I/O runs in between.

const WINDOW = 60_000;

async function throttledWorld(dir: string, cleanups: ReturnType<typeof useCleanups>) {
  const clock = new SimulatedClock();
  clock.set(Date.parse('2026-03-01T00:00:00Z'));
  const platform = await startSeededPlatform(dir, 60, { now: () => clock.now(), rateLimit: { limit: 10, windowMs: WINDOW } });
  cleanups.push(() => platform.close());
  const agent: Agent = createAgent({
    config: agentConfig(dir, { ATOM_SAAS_API_URL: platform.url, ATOM_SAAS_API_TOKEN: INSTANCE_TOKEN, ATOM_SAAS_SYNC_BATCH_SIZE: '2', ATOM_SAAS_WS_ENABLED: 'false' }),
    clock, syncThread: 'main',
  });
  cleanups.push(() => agent.stop());
  const cycle = agent.actors.syncCycle!;
  const states = new Set<string>();
  cycle.subscribe((s) => states.add(String(s.value)));
  const throttled = () => cycle.getSnapshot().context.throttledUntil;
  return { clock, platform, agent, cycle, states, throttled };
}

describe('a long sync at the platform limits', () => {
  const tempDir = useTempDir();
  const cleanups = useCleanups();

  it('waits for each window instead of failing: no 429, no retry, no failed sync, the whole catalog', async () => {
    const { clock, platform, agent, cycle, states, throttled } = await throttledWorld(tempDir(), cleanups);
    const started = agent.start();
    let windows = 0;
    while (!agent.actors.agent.getSnapshot().matches('running')) {
      await eventually(() => throttled() !== null || agent.actors.agent.getSnapshot().matches('running'), 5000, 'the sync to wait for a window or finish');
      if (agent.actors.agent.getSnapshot().matches('running')) break;
      // Throttled: the run waits for the window to free, as the chart and the budget say.
      expect(agent.budget!.status().remaining).toBeLessThanOrEqual(2);
      clock.set(throttled()!);
      windows += 1;
      await eventually(() => throttled() === null || throttled()! > clock.now() || agent.actors.agent.getSnapshot().matches('running'), 5000, 'the run to resume');
    }
    await started;
    expect(windows).toBe(3);
    expect([...states]).toEqual(['idle', 'syncing']);
    expect(cycle.getSnapshot().context).toMatchObject({ attempt: 0, lastError: null, throttledUntil: null });
    expect(agent.budget!.status().requests.sync).toEqual({ ok: 31, throttled: 0, failed: 0 });
    expect(agent.store.syncState.get()).toMatchObject({ failedSyncs: 0, successfulSyncs: 1 });
    expect(agent.store.skills.count()).toBe(platformCatalog(platform).size);
  });

  it('serves a rating flush and an operator resync within the window in which the sync waits', async () => {
    const { clock, platform, agent, cycle, throttled } = await throttledWorld(tempDir(), cleanups);
    void agent.start().catch(() => {});
    await eventually(() => throttled() !== null, 5000, 'the first window spent by the sync lane');
    const windowEnds = throttled()!;
    const pagesBefore = agent.store.syncState.get().pagesDone;
    // A local rating, flushed now: the upload goes from the reserve, in this window.
    const skillId = agent.store.db.prepare('SELECT skill_id FROM skill_cache LIMIT 1').pluck().get() as string;
    agent.rateSkill({ skillId, userId: 'user-1', rating: 4 });
    agent.actors.ratingSync!.send({ type: 'ratings.flush' });
    await eventually(() => agent.store.ratings.statusCounts().synced === 1, 5000, 'the rating upload');
    expect(platform.app.platform.store.db.prepare('SELECT COUNT(*) FROM ratings r JOIN skills s ON s.id = r.skill_ref WHERE s.skill_id = ? AND r.client_rating_id IS NOT NULL').pluck().get(skillId)).toBe(1);
    // The operator asks for a sync: the running one goes on at once, from what is left of the reserve.
    cycle.send({ type: 'sync.trigger' });
    await eventually(() => agent.store.syncState.get().pagesDone > pagesBefore, 5000, 'the expedited sync to move on');
    expect(clock.now()).toBeLessThan(windowEnds);
    expect(cycle.getSnapshot().context.queued).toBe('full');
    // Nothing was refused: the reserve was there for them.
    expect(agent.budget!.status().requests.sync.throttled + agent.budget!.status().requests.priority.throttled).toBe(0);
    expect(agent.budget!.status().requests.priority.ok).toBe(1);
    await waitFor(cycle, (s) => s.context.throttledUntil !== null, { timeout: 5000 });
  });
});
