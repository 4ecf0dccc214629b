import { describe, expect, it } from 'vitest';
import { SimulatedClock, waitFor } from 'xstate';
import { createAgent, type Agent } from '../../src/runtime/create-agent.ts';
import type { RunningPlatform } from '../../src/platform/server.ts';
import { adminCall, INSTANCE_TOKEN, platformCatalog, startSeededPlatform } from '../support/platform.ts';
import { agentConfig } from '../support/config.ts';
import { useTempDir } from '../support/temp-dir.ts';
import { useCleanups } from '../support/cleanups.ts';

describe('the agent against the reference platform', () => {
  const tempDir = useTempDir();
  const cleanups = useCleanups();

  const saasEnv = (platform: RunningPlatform, extra: Record<string, string> = {}) => ({
    ATOM_SAAS_API_URL: platform.url, ATOM_SAAS_API_TOKEN: INSTANCE_TOKEN, ATOM_SAAS_SYNC_BATCH_SIZE: '40', ...extra,
  });
  const track = (agent: Agent) => {
    cleanups.push(() => agent.stop());
    return agent;
  };

  it('boots, runs the initial full sync, persists its actors and journals their transitions', async () => {
    const dir = tempDir();
    const platform = await startSeededPlatform(dir, 150);
    cleanups.push(() => platform.close());
    const agent = track(createAgent({ config: agentConfig(dir, saasEnv(platform)) }));
    await agent.start();
    expect(agent.actors.agent.getSnapshot().value).toBe('running');
    expect(agent.store.skills.count()).toBe(150);
    expect(agent.actors.syncCycle?.getSnapshot().context).toMatchObject({ hasCompletedFullSync: true, lastResult: { kind: 'full', skills: 150 } });
    expect(agent.store.snapshots.load('syncCycle')?.machine).toBe('syncCycle');
    const journal = agent.store.journal.recent(50).map((e) => `${e.actorId}:${e.eventType}:${e.toState}`);
    expect(journal).toEqual(expect.arrayContaining(['syncCycle:sync.trigger:syncing', 'syncCycle:xstate.done.actor.runSync:idle', 'agent:xstate.done.actor.initialSync:running']));
  });

  it('restarted, catches up incrementally instead of syncing everything again', async () => {
    const dir = tempDir();
    const platform = await startSeededPlatform(dir, 120);
    cleanups.push(() => platform.close());
    const first = createAgent({ config: agentConfig(dir, saasEnv(platform)) });
    await first.start();
    await first.stop();
    const second = track(createAgent({ config: agentConfig(dir, saasEnv(platform)) }));
    await second.start();
    expect(second.actors.syncCycle?.getSnapshot().context.lastResult).toMatchObject({ kind: 'incremental' });
    expect(second.actors.syncCycle?.getSnapshot().context.lastResult?.skills).toBeLessThan(5);
    expect(second.store.skills.count()).toBe(platformCatalog(platform).size);
  });

  it('uploads a local rating on ratings.flush', async () => {
    const dir = tempDir();
    const platform = await startSeededPlatform(dir, 10);
    cleanups.push(() => platform.close());
    const agent = track(createAgent({ config: agentConfig(dir, saasEnv(platform)) }));
    await agent.start();
    const skillId = [...platformCatalog(platform).keys()][0]!;
    agent.rateSkill({ skillId, userId: 'carol@example.com', rating: 4, comment: 'nice' });
    agent.actors.ratingSync!.send({ type: 'ratings.flush' });
    const done = await waitFor(agent.actors.ratingSync!, (s) => s.matches('idle') && s.context.lastReport !== null, { timeout: 10_000 });
    expect(done.context.lastReport).toEqual({ uploaded: 1, failed: 0, deadLettered: 0 });
    expect(agent.store.ratings.statusCounts().synced).toBe(1);
  });

  it('starts degraded but running when the platform is down, and keeps retrying', async () => {
    const dir = tempDir();
    const platform = await startSeededPlatform(dir, 5);
    const url = platform.url;
    await platform.close();
    const clock = new SimulatedClock();
    clock.set(Date.now());
    const agent = track(createAgent({ config: agentConfig(dir, { ATOM_SAAS_API_URL: url, ATOM_SAAS_API_TOKEN: INSTANCE_TOKEN }), clock }));
    const started = agent.start();
    // The sync cycle retries after 1, 2 and 4 simulated seconds before giving up; each refused
    // connection fails at once, so a few real milliseconds per simulated second suffice.
    for (let i = 0; i < 100 && !agent.actors.agent.getSnapshot().matches('running'); i += 1) {
      await new Promise((resolve) => setTimeout(resolve, 10));
      clock.increment(500);
    }
    await started;
    expect(agent.actors.agent.getSnapshot()).toMatchObject({ value: 'running', context: { degraded: true } });
    expect(agent.actors.syncCycle?.getSnapshot().value).toBe('failed');
    // The failure is the refused connection itself, classified with the agent's (simulated) clock.
    expect(agent.store.syncState.get()).toMatchObject({ failedSyncs: 1, lastError: expect.stringMatching(/^transient: ECONNREFUSED/) });
  });

  it('in local-only mode creates no sync actors and makes no network call', async () => {
    const dir = tempDir();
    // An API URL nobody listens on: any call would fail loudly, and none is made.
    const agent = track(createAgent({ config: agentConfig(dir, { ATOM_SAAS_ENABLED: 'false', ATOM_SAAS_API_URL: 'http://127.0.0.1:9' }) }));
    await agent.start();
    expect(agent.actors.agent.getSnapshot().value).toBe('localOnly');
    expect(agent.actors.syncCycle).toBeUndefined();
    expect(agent.actors.ratingSync).toBeUndefined();
  });
});

describe('conflicts through the running agent', () => {
  const tempDir = useTempDir();
  const cleanups = useCleanups();

  it('manual strategy: an upstream change to a locally edited skill is queued, then resolved by conflict.resolve', async () => {
    const dir = tempDir();
    const platform = await startSeededPlatform(dir, 20);
    cleanups.push(() => platform.close());
    const agent = createAgent({ config: agentConfig(dir, { ATOM_SAAS_API_URL: platform.url, ATOM_SAAS_API_TOKEN: INSTANCE_TOKEN, ATOM_SAAS_CONFLICT_STRATEGY: 'manual' }) });
    cleanups.push(() => agent.stop());
    await agent.start();
    const skillId = [...platformCatalog(platform).keys()][3]!;
    const originalCode = agent.store.skills.get(skillId)!.remote.code;
    agent.editSkill(skillId, { description: 'edited here', tags: ['local-tag'] });
    expect((await adminCall(platform, 'PUT', `/api/v1/skills/${skillId}`, { description: 'edited upstream', code: 'upstream code' })).status).toBe(200);

    agent.actors.syncCycle!.send({ type: 'sync.catchUp' });
    await waitFor(agent.actors.syncCycle!, (s) => s.matches('idle') && s.context.lastResult?.kind === 'incremental');
    const [queued] = agent.store.conflicts.list({ resolved: false, limit: 10, offset: 0 }).items;
    expect(queued).toMatchObject({ skillId, state: 'awaitingOperator', conflictType: 'version' });
    expect(agent.store.skills.get(skillId)?.local?.description).toBe('edited here');

    agent.actors.conflicts.send({ type: 'conflict.resolve', id: queued!.id, strategy: 'merge' });
    const done = await waitFor(agent.actors.conflicts, (s) => s.matches('idle') && s.context.lastReport !== null);
    expect(done.context.lastReport).toEqual({ resolved: 1, refused: 0 });
    const merged = agent.store.skills.get(skillId)!;
    // merge: local code kept, descriptions both kept, tags united; the new base is the upstream version.
    expect(merged.local).toMatchObject({ description: 'edited here\n\nedited upstream', code: originalCode });
    expect(merged.base?.code).toBe('upstream code');
    expect(merged.local?.tags).toContain('local-tag');
    expect(agent.store.conflicts.get(queued!.id)).toMatchObject({ state: 'resolved', resolvedBy: 'operator', strategy: 'merge' });
  });
});

describe('a paused schedule and a restart', () => {
  const tempDir = useTempDir();
  const cleanups = useCleanups();

  it('lasts until the restart: the configuration decides again, like a deleted job', async () => {
    const dir = tempDir();
    const platform = await startSeededPlatform(dir, 5);
    cleanups.push(() => platform.close());
    const config = agentConfig(dir, { ATOM_SAAS_API_URL: platform.url, ATOM_SAAS_API_TOKEN: INSTANCE_TOKEN, ATOM_SAAS_WS_ENABLED: 'false' });
    const first = createAgent({ config });
    await first.start();
    first.actors.syncCycle!.send({ type: 'schedule.pause' });
    expect(first.actors.syncCycle!.getSnapshot().context.schedulerEnabled).toBe(false);
    await first.stop();
    const second = createAgent({ config });
    cleanups.push(() => second.stop());
    await second.start();
    expect(second.actors.syncCycle!.getSnapshot().context.schedulerEnabled).toBe(true);
  });
});
