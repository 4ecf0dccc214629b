import type { AnyMachineSnapshot, EventObject } from 'xstate';
import type { SyncCycleContext } from '../../../../machines/syncCycle.ts';
import { failureOf } from '../../../../machines/failure.ts';
import type { ConnectionActor, SyncCycleActor } from '../../../../src/runtime/create-agent.ts';
import { stateString } from '../../../../src/runtime/actor-host.ts';
import { advanceTo, type AgentWorld } from './world.ts';
import type { ChartStep, DriverTable, EventRecorder } from './chart-paths.ts';

// The sync cycle's events, each caused for real: HTTP goes agent → TCP fault proxy → HTTP fault
// proxy → reference platform; the WebSocket (disabled unless a catch-up is wanted) goes direct.

export interface SyncWorld extends AgentWorld {
  syncCycle(): SyncCycleActor;
  connection(): ConnectionActor;
  recorder: EventRecorder;
  /** Every event the connection actor processed (to see its catch-up request land). */
  connectionRecorder: EventRecorder;
}

const ctx = (snapshot: AnyMachineSnapshot) => snapshot.context as SyncCycleContext;

const failure = (kind: string, status: number, extra: object = {}) =>
  ({ type: 'xstate.error.actor.runSync', error: { kind, status, message: `HTTP ${status}`, ...extra } }) as EventObject;

/** Stub payloads: a run's result, and one failure of each kind. */
export const SYNC_EVENT_STUBS: Record<string, EventObject[]> = {
  'sync.throttled': [{ type: 'sync.throttled', resumeAt: Date.parse('2026-03-01T00:01:00Z') } as EventObject],
  'xstate.done.actor.runSync': [{ type: 'xstate.done.actor.runSync', output: { kind: 'incremental', skills: 0, pages: 1, deleted: 0 } } as EventObject],
  'xstate.error.actor.runSync': [
    failure('auth', 401),
    failure('rateLimited', 429, { retryAfterMs: 30_000 }),
    failure('transient', 500),
    failure('invalid', 400),
  ],
};

/** What must agree between chart and runtime: the state and what the guards and the next run read. */
export function projectSyncCycle(snapshot: AnyMachineSnapshot): Record<string, unknown> {
  const c = ctx(snapshot);
  return { value: stateString(snapshot.value), attempt: c.attempt, queued: c.queued, kind: c.kind, scheduler: c.schedulerEnabled };
}

/**
 * While the chart is in `syncing`, the TCP proxy in front of the HTTP side holds the run's
 * requests: the state stays observable until the next driver decides how the run ends. The hold
 * is set inside the transition, before the run's first request leaves.
 */
export function holdWhileSyncing(world: SyncWorld): void {
  world.recorder.onProcessed((p) => {
    if (p.value === 'syncing' && p.event.type !== 'xstate.stop') void world.httpProxy!.setMode({ kind: 'hold' });
  });
}

export async function beforeSyncStep(world: SyncWorld, step: ChartStep): Promise<void> {
  if (stateString(step.state.value) === 'syncing' && stateString(step.from.value) !== 'syncing') await world.httpProxy!.setMode({ kind: 'hold' });
}

/** Lets the held run go on, answered as `fault` says from now on. */
async function release(world: SyncWorld, fault: SyncWorld['httpFault']): Promise<void> {
  world.httpFault = fault;
  await world.httpProxy!.setMode({ kind: 'pass' });
}

const send = (type: string) => async (world: SyncWorld) => void world.syncCycle().send({ type } as never);

export const SYNC_CYCLE_DRIVERS: DriverTable<SyncWorld> = {
  'sync.trigger': {
    how: 'operator: the token is valid (rotated after a 401) and sync.trigger is sent (POST /api/admin/sync/trigger)',
    drive: async (world) => {
      world.restoreToken();
      await send('sync.trigger')(world);
      // After a 429 with Retry-After: 3600 the budget holds every request until then (the
      // platform said so): the operator's sync waits it out on the simulated clock.
      const blockedUntil = world.agent.budget?.status().blockedUntil;
      if (blockedUntil) advanceTo(world.clock, blockedUntil);
    },
  },
  'sync.catchUp': {
    how: 'the WebSocket opens (connection.enable), and every (re)open asks the sync cycle for a catch-up; then connection.disable',
    drive: async (world) => {
      const mark = world.connectionRecorder.mark();
      world.connection().send({ type: 'connection.enable' });
      await world.connectionRecorder.waitFor('socket.opened', mark, 5000);
      world.connection().send({ type: 'connection.disable' });
    },
  },
  'sync.throttled': {
    how: 'the held run is answered 429 with Retry-After: 5: the request budget holds the run, and the runtime reports the time it resumes; then the run goes on (into the hold again)',
    drive: async (world) => {
      const mark = world.recorder.mark();
      await release(world, { kind: 'status', status: 429, headers: { 'retry-after': '5' }, body: { error: 'Rate limit exceeded', retry_after: 5 } });
      await world.recorder.waitFor('sync.throttled', mark, 5000);
      // Resumed, the run's next request waits in the hold for the next driver, as every run does.
      await world.httpProxy!.setMode({ kind: 'hold' });
      world.httpFault = { kind: 'pass' };
      advanceTo(world.clock, world.syncCycle().getSnapshot().context.throttledUntil);
    },
  },
  'schedule.pause': { how: 'operator: schedule.pause (DELETE /api/admin/sync/jobs)', drive: send('schedule.pause') },
  'schedule.resume': { how: 'operator: schedule.resume (POST /api/admin/sync/jobs)', drive: send('schedule.resume') },
  'timers.rearm': {
    how: 'in retrying: the agent is stopped and created again on its database (the restored cycle gets timers.rearm); idle and failed: sent as the runtime sends it',
    drive: async (world, { from }) => {
      // From idle or failed a restart also runs the initial catch-up, which moves the chart on:
      // the event alone is sent exactly as the agent's boot sends it to a restored actor.
      if (stateString(from.value) === 'retrying') await world.restart({ wait: false });
      else world.syncCycle().send({ type: 'timers.rearm' });
    },
  },
  'xstate.after.untilNextSync.syncCycle.idle': {
    how: 'the simulated clock reaches nextSyncAt',
    drive: async (world) => advanceTo(world.clock, world.syncCycle().getSnapshot().context.nextSyncAt),
  },
  'xstate.after.untilNextSync.syncCycle.failed': {
    how: 'the simulated clock reaches nextSyncAt',
    drive: async (world) => advanceTo(world.clock, world.syncCycle().getSnapshot().context.nextSyncAt),
  },
  'xstate.after.untilRetry.syncCycle.retrying': {
    how: 'the simulated clock reaches retryAt',
    drive: async (world) => advanceTo(world.clock, world.syncCycle().getSnapshot().context.retryAt),
  },
  'xstate.done.actor.runSync': {
    how: 'the held run goes through to the platform (proxy pass) and completes',
    drive: (world) => release(world, { kind: 'pass' }),
  },
  'xstate.error.actor.runSync': {
    how: 'auth: the token is revoked on the platform (401); rateLimited: 429 Retry-After 3600 (longer than a request waits through a throttle); transient: 500; invalid: 400 — then the held run goes on',
    drive: async (world, { event }) => {
      const kind = failureOf((event as { error?: unknown }).error).kind;
      if (kind === 'auth') {
        await world.revokeToken();
        return release(world, { kind: 'pass' });
      }
      const status = { rateLimited: 429, transient: 500, invalid: 400 }[kind];
      // A 429 whose wait fits in the client's throttle allowance is flow control, not a failure.
      const headers: Record<string, string> = kind === 'rateLimited' ? { 'retry-after': '3600' } : {};
      return release(world, { kind: 'status', status, headers, body: { error: `injected ${status}`, ...(kind === 'rateLimited' ? { retry_after: 3600 } : {}) } });
    },
  },
};
