import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SimulatedClock } from 'xstate';
import { provideConnection } from '../../../src/runtime/connection.ts';
import { CONNECT_TIMEOUT_MS } from '../../../src/runtime/connection.ts';
import { useCleanups } from '../../support/cleanups.ts';
import { chartEvents, chartEventTypes, chartPaths, EventRecorder, replay, undrivableBy } from './drivers/chart-paths.ts';
import { beforeConnectionStep, CONNECTION_DRIVERS, CONNECTION_EVENT_STUBS, holdWhileConnecting, projectConnection, type ConnectionWorld } from './drivers/connection-drivers.ts';
import { startSharedPlatform, startWorld, type SharedPlatform } from './drivers/world.ts';

// Model-based tests against the real system: every edge of the connection chart, reached by the
// shortest path, replayed on the agent's runtime connection actor connected to the reference
// platform through TCP fault proxies (one for the WebSocket, one for HTTP and GET /health). Each event is caused from outside (drivers table).

// No periodic job: the only HTTP requests are the ones the path causes (a catch-up on each open,
// the driver of platform.answered), so no answer reaches the chart behind a path's back.
const ENV = { ATOM_SAAS_WS_RECONNECT_ATTEMPTS: '4', ATOM_SAAS_WS_FALLBACK_AFTER_FAILURES: '2', ENABLE_SCHEDULER: 'false' };
const INPUT = {
  wsEnabled: true, maxAttempts: 4, fallbackAfter: 2, heartbeatMs: 30_000, pongTimeoutMs: 10_000, fallbackMs: 60 * 60_000, connectTimeoutMs: CONNECT_TIMEOUT_MS,
};

// The chart as the runtime provides it (its deadlines and backoff), on a clock of its own.
const machine = provideConnection({ clock: new SimulatedClock(), openSocket: () => () => {}, probePlatform: () => new Promise(() => {}) });
const { paths, undrivable } = chartPaths(machine, {
  input: INPUT,
  events: chartEvents(machine, CONNECTION_EVENT_STUBS),
  project: projectConnection,
  notOnTheWay: ['timers.rearm'],
  undrivable: undrivableBy(CONNECTION_DRIVERS),
});

describe('connection chart: the drivers table', () => {
  it('has a real-world driver for every event type of the chart, and none for events it no longer has', () => {
    const types = chartEventTypes(machine);
    expect(types.filter((t) => !(t in CONNECTION_DRIVERS)), 'chart events without a driver').toEqual([]);
    expect(Object.keys(CONNECTION_DRIVERS).filter((t) => !types.includes(t)), 'drivers of events the chart does not have').toEqual([]);
  });

  it('leaves out only the edges that cannot be caused from outside', () => {
    // Guard-refused self-loops: after a socket-only failure nothing is probed and no answer is passed on.
    expect(undrivable.map((u) => u.edge)).toEqual([
      'fallback —after untilNextProbe→ fallback',
      'fallback —platform.answered→ fallback',
      'suspended —after untilNextProbe→ suspended',
      'suspended —platform.answered→ suspended',
    ]);
  });
});

describe('connection chart paths against the real platform', () => {
  const cleanups = useCleanups();
  let shared: SharedPlatform;
  beforeAll(async () => {
    shared = await startSharedPlatform(10);
  });
  afterAll(() => shared?.close());

  async function connectionWorld(): Promise<ConnectionWorld> {
    const base = await startWorld({ platform: shared.platform, env: ENV, http: 'proxied', ws: 'proxied' });
    cleanups.push(() => base.close());
    const recorder = new EventRecorder(() => base.clock.now());
    const world = Object.assign(base, { recorder, connection: () => base.agent.actors.connection! }) as ConnectionWorld;
    holdWhileConnecting(world);
    world.onAgent((agent) => recorder.attach(agent.actors.connection!));
    await world.wsProxy!.setMode({ kind: 'hold' });
    await world.start();
    // The chart was walked with the input the runtime derives from this configuration.
    expect(world.connection().getSnapshot().context).toMatchObject(INPUT);
    return world;
  }

  for (const path of paths) {
    it(path.name, async () => {
      const world = await connectionWorld();
      await replay(path, { world, table: CONNECTION_DRIVERS, tableName: 'drivers/connection-drivers.ts', actor: () => world.connection(), recorder: world.recorder, project: projectConnection, before: (step) => beforeConnectionStep(world, step) });
    });
  }
});
