import { describe, expect, it } from 'vitest';
import { SimulatedClock, waitFor } from 'xstate';
import { createAgent, type Agent } from '../../src/runtime/create-agent.ts';
import { createAgentMetrics, machineEvents, machineStates } from '../../src/runtime/metrics.ts';
import { connectionMachine } from '../../machines/connection.ts';
import { syncCycleMachine } from '../../machines/syncCycle.ts';
import { INSTANCE_TOKEN, platformCatalog, startSeededPlatform } from '../support/platform.ts';
import { agentConfig } from '../support/config.ts';
import { useTempDir } from '../support/temp-dir.ts';
import { useCleanups } from '../support/cleanups.ts';

/** The value of one series in the text format, e.g. `atom_saas_cache_size{type="skills"}`. */
function sample(text: string, series: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

describe('machine-derived label sets', () => {
  it('lists the states an actor can rest in, nested ones by path', () => {
    expect(machineStates(syncCycleMachine)).toEqual(['idle', 'syncing', 'retrying', 'failed', 'unauthorized']);
    expect(machineStates(connectionMachine)).toEqual(
      ['init', 'disabled', 'link.connecting', 'link.open', 'checking', 'failing', 'backingOff', 'fallback', 'suspended', 'probing', 'unauthorized'],
    );
  });

  it('lists the events a machine reacts to, the start event included', () => {
    expect(machineEvents(syncCycleMachine)).toEqual(expect.arrayContaining(['xstate.init', 'sync.trigger', 'xstate.done.actor.runSync', 'xstate.error.actor.runSync']));
  });
});

describe('createAgentMetrics against the reference platform', () => {
  const tempDir = useTempDir();
  const cleanups = useCleanups();

  async function syncedAgent(skills: number): Promise<{ agent: Agent; text: () => Promise<string> }> {
    const dir = tempDir();
    const platform = await startSeededPlatform(dir, skills);
    cleanups.push(() => platform.close());
    const agent = createAgent({ config: agentConfig(dir, { ATOM_SAAS_API_URL: platform.url, ATOM_SAAS_API_TOKEN: INSTANCE_TOKEN, ATOM_SAAS_WS_ENABLED: 'false' }) });
    const metrics = createAgentMetrics(agent);
    cleanups.push(() => agent.stop());
    cleanups.push(() => metrics.close());
    await agent.start();
    const skillId = [...platformCatalog(platform).keys()][0]!;
    agent.rateSkill({ skillId, userId: 'dana@example.com', rating: 5 });
    return { agent, text: () => metrics.registry.metrics() };
  }

  it('measures the initial sync and reads cache, queue and actor states at scrape time', async () => {
    const { text } = await syncedAgent(30);
    const t = await text();
    expect(sample(t, 'atom_saas_sync_duration_seconds_count')).toBe(1);
    expect(sample(t, 'atom_saas_sync_success_total{type="skill"}')).toBe(1);
    expect(sample(t, 'atom_saas_sync_success_total{type="rating"}')).toBe(0);
    expect(sample(t, 'atom_saas_sync_errors_total{type="skill",error="transient"}')).toBe(0);
    expect(sample(t, 'atom_saas_cache_size{type="skills"}')).toBe(30);
    expect(sample(t, 'atom_saas_cache_size{type="categories"}')).toBeGreaterThan(0);
    expect(sample(t, 'atom_saas_websocket_connected')).toBe(0);
    expect(sample(t, 'atom_saas_conflicts_detected_total')).toBe(0);
    expect(sample(t, 'atom_saas_conflicts_resolved_total')).toBe(0);
    expect(sample(t, 'atom_saas_conflict_queue_depth')).toBe(0);
    expect(sample(t, 'atom_saas_failed_rating_uploads')).toBe(0);
    expect(sample(t, 'atom_saas_sync_last_success_timestamp_seconds')).toBeGreaterThan(Date.now() / 1000 - 60);
    expect(sample(t, 'atom_saas_websocket_reconnects_total')).toBe(0);
    expect(sample(t, 'atom_saas_websocket_messages_total{type="skill_update",direction="inbound"}')).toBe(0);
    expect(sample(t, 'atom_saas_websocket_messages_dropped_total{reason="too_large"}')).toBe(0);
    expect(sample(t, 'atom_actor_state{actor="syncCycle",state="idle"}')).toBe(1);
    expect(sample(t, 'atom_actor_state{actor="syncCycle",state="syncing"}')).toBe(0);
    expect(sample(t, 'atom_actor_state{actor="connection",state="disabled"}')).toBe(1);
    expect(sample(t, 'atom_actor_state{actor="agent",state="running"}')).toBe(1);
    expect(sample(t, 'atom_actor_transitions_total{actor="syncCycle",event="xstate.done.actor.runSync"}')).toBe(1);
    // Known label combinations exist from the start.
    expect(sample(t, 'atom_actor_transitions_total{actor="connection",event="connection.reconnect"}')).toBe(0);
    // The platform budget: the initial sync's categories and one page, none throttled.
    expect(sample(t, 'atom_saas_platform_requests_total{lane="sync",outcome="ok"}')).toBe(2);
    expect(sample(t, 'atom_saas_platform_requests_total{lane="sync",outcome="throttled"}')).toBe(0);
    expect(sample(t, 'atom_saas_platform_requests_total{lane="priority",outcome="ok"}')).toBe(0);
    expect(sample(t, 'atom_saas_sync_throttled_seconds_total')).toBe(0);
    expect(sample(t, 'atom_saas_platform_budget_remaining')).toBe(1_000_000 - 2);
  });

  it('counts operator-triggered runs and rating uploads as they happen', async () => {
    const { agent, text } = await syncedAgent(10);
    agent.actors.syncCycle!.send({ type: 'sync.trigger' });
    await waitFor(agent.actors.syncCycle!, (s) => s.matches('idle'), { timeout: 5000 });
    agent.actors.ratingSync!.send({ type: 'ratings.flush' });
    await waitFor(agent.actors.ratingSync!, (s) => s.matches('idle') && s.context.lastReport !== null, { timeout: 5000 });
    const t = await text();
    expect(sample(t, 'atom_saas_sync_duration_seconds_count')).toBe(2);
    expect(sample(t, 'atom_saas_sync_success_total{type="skill"}')).toBe(2);
    expect(sample(t, 'atom_saas_sync_success_total{type="rating"}')).toBe(1);
    expect(sample(t, 'atom_actor_transitions_total{actor="syncCycle",event="sync.trigger"}')).toBe(2);
    expect(sample(t, 'atom_actor_transitions_total{actor="ratingSync",event="ratings.flush"}')).toBe(1);
  });

  it('counts failed attempts by failure kind when the platform is down', async () => {
    const dir = tempDir();
    const platform = await startSeededPlatform(dir, 1);
    const url = platform.url;
    await platform.close();
    const clock = new SimulatedClock();
    clock.set(Date.now());
    const agent = createAgent({ config: agentConfig(dir, { ATOM_SAAS_API_URL: url, ATOM_SAAS_API_TOKEN: INSTANCE_TOKEN, ATOM_SAAS_WS_ENABLED: 'false' }), clock });
    const metrics = createAgentMetrics(agent);
    cleanups.push(() => agent.stop());
    cleanups.push(() => metrics.close());
    const started = agent.start();
    // Each refused connection fails at once; a few real milliseconds per simulated half second suffice.
    for (let i = 0; i < 100 && !agent.actors.agent.getSnapshot().matches('running'); i += 1) {
      await new Promise((resolve) => setTimeout(resolve, 10));
      clock.increment(500);
    }
    await started;
    const t = await metrics.registry.metrics();
    // The first attempt and its three retries (SYNC_RETRY), each a transient failure.
    expect(sample(t, 'atom_saas_sync_errors_total{type="skill",error="transient"}')).toBe(4);
    expect(sample(t, 'atom_saas_sync_success_total{type="skill"}')).toBe(0);
    expect(sample(t, 'atom_saas_sync_duration_seconds_count')).toBe(4);
    expect(sample(t, 'atom_saas_sync_last_success_timestamp_seconds')).toBe(0);
  });
});
