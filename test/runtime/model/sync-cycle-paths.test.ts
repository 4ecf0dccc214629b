import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SimulatedClock } from 'xstate';
import { provideSyncCycle } from '../../../src/runtime/sync-cycle.ts';
import { useCleanups } from '../../support/cleanups.ts';
import { chartEvents, chartEventTypes, chartPaths, EventRecorder, replay, undrivableBy } from './drivers/chart-paths.ts';
import { beforeSyncStep, holdWhileSyncing, projectSyncCycle, SYNC_CYCLE_DRIVERS, SYNC_EVENT_STUBS, type SyncWorld } from './drivers/sync-cycle-drivers.ts';
import { startSharedPlatform, startWorld, type SharedPlatform } from './drivers/world.ts';

// Model-based tests against the real system: every edge of the sync cycle chart, reached by the
// shortest path, replayed on the agent's runtime syncCycle actor syncing with the reference
// platform through the TCP fault proxy and the HTTP fault proxy. Each event is caused from outside.

// The agent's initial (full) sync has run when a path starts: the chart is walked from there.
const INPUT = { intervalMs: 15 * 60_000, schedulerEnabled: true, hasCompletedFullSync: true };
// WebSocket off: only the catch-up driver opens it, so no other catch-up request interferes.
const ENV = { ATOM_SAAS_WS_ENABLED: 'false', ATOM_SAAS_SYNC_INTERVAL_MINUTES: '15' };

const machine = provideSyncCycle({ clock: new SimulatedClock(), runSync: () => Promise.reject(new Error('not run')), onGivenUp: () => {} });
const { paths, undrivable } = chartPaths(machine, {
  input: INPUT,
  events: chartEvents(machine, SYNC_EVENT_STUBS),
  project: projectSyncCycle,
  notOnTheWay: ['timers.rearm'],
  undrivable: undrivableBy(SYNC_CYCLE_DRIVERS),
});

describe('syncCycle chart: the drivers table', () => {
  it('has a real-world driver for every event type of the chart, and none for events it no longer has', () => {
    const types = chartEventTypes(machine);
    expect(types.filter((t) => !(t in SYNC_CYCLE_DRIVERS)), 'chart events without a driver').toEqual([]);
    expect(Object.keys(SYNC_CYCLE_DRIVERS).filter((t) => !types.includes(t)), 'drivers of events the chart does not have').toEqual([]);
  });

  it('can cause every edge from outside', () => {
    expect(undrivable).toEqual([]);
  });
});

describe('syncCycle chart paths against the real platform', () => {
  const cleanups = useCleanups();
  let shared: SharedPlatform;
  beforeAll(async () => {
    shared = await startSharedPlatform(10);
  });
  afterAll(() => shared?.close());

  async function syncWorld(): Promise<SyncWorld> {
    const base = await startWorld({ platform: shared.platform, env: ENV, http: 'proxied', ws: 'direct' });
    cleanups.push(() => base.close());
    const recorder = new EventRecorder(() => base.clock.now());
    const connectionRecorder = new EventRecorder(() => base.clock.now());
    const world = Object.assign(base, {
      recorder, connectionRecorder,
      syncCycle: () => base.agent.actors.syncCycle!,
      connection: () => base.agent.actors.connection!,
    }) as SyncWorld;
    world.onAgent((agent) => {
      recorder.attach(agent.actors.syncCycle!);
      connectionRecorder.attach(agent.actors.connection!);
    });
    await world.start();
    // The initial sync ran unheld; from now on every run waits in `syncing` for its driver.
    holdWhileSyncing(world);
    expect(world.syncCycle().getSnapshot().context).toMatchObject({ intervalMs: INPUT.intervalMs, schedulerEnabled: true, hasCompletedFullSync: true, maxRetries: 3 });
    return world;
  }

  for (const path of paths) {
    it(path.name, async () => {
      const world = await syncWorld();
      await replay(path, {
        world, table: SYNC_CYCLE_DRIVERS, tableName: 'drivers/sync-cycle-drivers.ts', actor: () => world.syncCycle(), recorder: world.recorder,
        project: projectSyncCycle, before: (step) => beforeSyncStep(world, step),
      });
    });
  }
});
