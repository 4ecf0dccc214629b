import { describe, expect, it } from 'vitest';
import { createActor, SimulatedClock } from 'xstate';
import { provideSyncCycle } from '../../src/runtime/sync-cycle.ts';
import type { Failure } from '../../machines/failure.ts';
import type { SyncKind, SyncRunResult } from '../../machines/syncCycle.ts';

const MINUTE = 60_000;

/** A scripted sync: each call takes the next scripted outcome; records what it was asked. */
function scriptedRuns(outcomes: (Failure | 'ok')[]) {
  const calls: { kind: SyncKind; at: number }[] = [];
  const givenUp: Failure[] = [];
  let clock!: SimulatedClock;
  const runSync = (kind: SyncKind): Promise<SyncRunResult> => {
    calls.push({ kind, at: clock.now() });
    const next = outcomes.shift() ?? 'ok';
    return next === 'ok' ? Promise.resolve({ kind, skills: 1, pages: 1, deleted: 0 }) : Promise.reject(next);
  };
  return { calls, givenUp, runSync, bind: (c: SimulatedClock) => (clock = c) };
}

async function settle(): Promise<void> {
  // Promise actors resolve on the microtask queue; let them land before the next step.
  for (let i = 0; i < 5; i += 1) await Promise.resolve();
}

function start(outcomes: (Failure | 'ok')[], input = { intervalMs: 15 * MINUTE, schedulerEnabled: true }) {
  const clock = new SimulatedClock();
  clock.set(1_000_000);
  const script = scriptedRuns(outcomes);
  script.bind(clock);
  const machine = provideSyncCycle({ clock, runSync: script.runSync, onGivenUp: (f) => script.givenUp.push(f) });
  const actor = createActor(machine, { input, clock });
  actor.start();
  return { clock, actor, machine, ...script };
}

const transient: Failure = { kind: 'transient', message: 'HTTP 500', status: 500 };

describe('syncCycle chart', () => {
  it('syncs every interval: a full sync first, incremental after', async () => {
    const { clock, actor, calls } = start([]);
    expect(actor.getSnapshot().value).toBe('idle');
    clock.increment(15 * MINUTE - 1);
    expect(calls).toHaveLength(0);
    clock.increment(1);
    await settle();
    clock.increment(15 * MINUTE);
    await settle();
    expect(calls.map((c) => c.kind)).toEqual(['full', 'incremental']);
    expect(actor.getSnapshot().value).toBe('idle');
  });

  it('retries after 1, 2 and 4 s, then gives up as failed and reports it', async () => {
    const { clock, actor, calls, givenUp } = start([transient, transient, transient, transient]);
    actor.send({ type: 'sync.trigger' });
    await settle();
    for (const wait of [1000, 2000, 4000]) {
      expect(actor.getSnapshot().value).toBe('retrying');
      clock.increment(wait - 1);
      await settle();
      expect(actor.getSnapshot().value).toBe('retrying');
      clock.increment(1);
      await settle();
    }
    expect(actor.getSnapshot().value).toBe('failed');
    expect(calls.map((c) => c.at - calls[0]!.at)).toEqual([0, 1000, 3000, 7000]);
    expect(givenUp).toEqual([transient]);
  });

  it('honours Retry-After on 429 and goes to unauthorized on 401 without retrying', async () => {
    const limited: Failure = { kind: 'rateLimited', message: 'HTTP 429', status: 429, retryAfterMs: 60_000 };
    const auth: Failure = { kind: 'auth', message: 'HTTP 401', status: 401 };
    const { clock, actor, calls } = start([limited, auth]);
    actor.send({ type: 'sync.trigger' });
    await settle();
    clock.increment(59_999);
    await settle();
    expect(calls).toHaveLength(1);
    clock.increment(1);
    await settle();
    expect(calls).toHaveLength(2);
    expect(actor.getSnapshot().value).toBe('unauthorized');
    clock.increment(60 * MINUTE);
    await settle();
    expect(calls).toHaveLength(2);
    actor.send({ type: 'sync.trigger' });
    await settle();
    expect(actor.getSnapshot().value).toBe('idle');
  });

  it('runs a sync requested during a sync right after it; full absorbs incremental', async () => {
    const { actor, calls } = start([]);
    actor.send({ type: 'sync.trigger' });
    actor.send({ type: 'sync.catchUp' });
    actor.send({ type: 'sync.trigger' });
    await settle();
    await settle();
    expect(calls.map((c) => c.kind)).toEqual(['full', 'full']);
  });

  it('a restored actor keeps the remaining retry time after timers.rearm', async () => {
    const first = start([transient]);
    first.actor.send({ type: 'sync.trigger' });
    await settle();
    first.clock.increment(400);
    const persisted = first.actor.getPersistedSnapshot();
    first.actor.stop();

    const clock = new SimulatedClock();
    clock.set(first.clock.now());
    const script = scriptedRuns([]);
    script.bind(clock);
    const machine = provideSyncCycle({ clock, runSync: script.runSync, onGivenUp: () => {} });
    const restored = createActor(machine, { snapshot: persisted, clock, input: { intervalMs: 15 * MINUTE, schedulerEnabled: true } });
    restored.start();
    restored.send({ type: 'timers.rearm' });
    expect(restored.getSnapshot().value).toBe('retrying');
    clock.increment(599);
    await settle();
    expect(script.calls).toHaveLength(0);
    clock.increment(1);
    await settle();
    expect(script.calls).toHaveLength(1);
  });

  it('with the scheduler disabled, runs only on request', async () => {
    const { clock, actor, calls } = start([], { intervalMs: 15 * MINUTE, schedulerEnabled: false });
    clock.increment(120 * MINUTE);
    await settle();
    expect(calls).toHaveLength(0);
    actor.send({ type: 'sync.catchUp' });
    await settle();
    expect(calls.map((c) => c.kind)).toEqual(['full']);
  });
});

describe('pausing the schedule', () => {
  it('schedule.pause stops periodic syncs but not requests; schedule.resume re-arms the timer', async () => {
    const { clock, actor, calls } = start([]);
    actor.send({ type: 'schedule.pause' });
    clock.increment(60 * MINUTE);
    await settle();
    expect(calls).toHaveLength(0);
    actor.send({ type: 'sync.catchUp' });
    await settle();
    expect(calls).toHaveLength(1);
    actor.send({ type: 'schedule.resume' });
    clock.increment(15 * MINUTE);
    await settle();
    expect(calls).toHaveLength(2);
  });
});

describe('syncCycle chart: throttling is flow control', () => {
  it('shows the time a throttled run resumes, counts no attempt, and forgets it when the run ends', async () => {
    const clock = new SimulatedClock();
    clock.set(1_000_000);
    let finish!: (result: SyncRunResult) => void;
    const expedited: number[] = [];
    const machine = provideSyncCycle({
      clock, onGivenUp: () => {}, expedite: () => expedited.push(clock.now()),
      runSync: () => new Promise<SyncRunResult>((resolve) => (finish = resolve)),
    });
    const actor = createActor(machine, { input: { intervalMs: 15 * MINUTE, schedulerEnabled: true }, clock });
    actor.start();
    actor.send({ type: 'sync.trigger' });
    actor.send({ type: 'sync.throttled', resumeAt: 1_060_000 });
    expect(actor.getSnapshot().value).toBe('syncing');
    expect(actor.getSnapshot().context).toMatchObject({ throttledUntil: 1_060_000, attempt: 0, lastError: null });
    // An operator asks meanwhile: queued as before, and the running sync may now spend the reserve.
    actor.send({ type: 'sync.trigger' });
    expect(expedited).toEqual([1_000_000]);
    expect(actor.getSnapshot().context.queued).toBe('full');
    actor.send({ type: 'sync.throttled', resumeAt: null });
    expect(actor.getSnapshot().context.throttledUntil).toBeNull();
    actor.send({ type: 'sync.throttled', resumeAt: 1_120_000 });
    finish({ kind: 'full', skills: 1, pages: 1, deleted: 0 });
    await settle();
    // The queued full sync runs next, not throttled until the budget says so.
    expect(actor.getSnapshot().context).toMatchObject({ throttledUntil: null, attempt: 0, queued: null });
  });

  it('ignores a throttle report outside a run', () => {
    const { actor } = start([]);
    actor.send({ type: 'sync.throttled', resumeAt: 5 });
    expect(actor.getSnapshot().context.throttledUntil).toBeNull();
  });
});
