import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { assign, fromPromise, setup, SimulatedClock, waitFor } from 'xstate';
import { hostActor, type TransitionRecord } from '../../src/runtime/actor-host.ts';
import { openStore } from '../../src/store/index.ts';
import { useTempDir } from '../support/temp-dir.ts';

const SECRET = 'host-test-secret-0123456789';

// A chart with each kind of event the journal must keep or leave out.
const chart = setup({
  types: { context: {} as { alive: number; result: string | null }, events: {} as { type: 'ping' } | { type: 'go'; note: string } },
  actors: { work: fromPromise(async () => ({ done: `with ${SECRET}`, userId: 'u-123' })) },
  delays: { soon: 1000 },
}).createMachine({
  id: 'probe',
  context: { alive: 0, result: null },
  initial: 'waiting',
  on: { ping: { actions: assign({ alive: ({ context }) => context.alive + 1 }) } },
  states: {
    waiting: { on: { go: 'working' } },
    working: { invoke: { id: 'work', src: 'work', onDone: { target: 'resting', actions: assign({ result: ({ event }) => event.output.done }) } } },
    resting: { after: { soon: 'waiting' } },
  },
});

describe('hostActor journals what replay needs', () => {
  const tempDir = useTempDir();

  it('every event with its sanitised payload and the context after it, but quiet events only when they change the state', async () => {
    const store = openStore(join(tempDir(), 'atom.db'));
    const clock = new SimulatedClock();
    const records: TransitionRecord[] = [];
    const actor = hostActor({
      id: 'probe', machine: 'probe', logic: chart, input: undefined, store, clock, persist: false,
      onTransition: (r) => records.push(r), quietEvents: new Set(['ping']), secrets: [SECRET],
    });
    actor.start();
    actor.send({ type: 'ping' });
    actor.send({ type: 'go', note: `token=${SECRET}` });
    await waitFor(actor, (s) => s.matches('resting'));
    clock.increment(1000);
    const rows = store.journal.recent(10).reverse();
    expect(rows.map((r) => [r.eventType, r.fromState, r.toState])).toEqual([
      ['xstate.init', null, 'waiting'],
      ['go', 'waiting', 'working'],
      ['xstate.done.actor.work', 'working', 'resting'],
      ['xstate.after.soon.probe.resting', 'resting', 'waiting'],
    ]);
    expect(JSON.parse(rows[1]!.event!)).toEqual({ type: 'go', note: 'token=***' });
    expect(JSON.parse(rows[1]!.context!)).toEqual({ alive: 1, result: null });
    expect(JSON.parse(rows[2]!.event!)).toMatchObject({ output: { done: 'with ***', userId: expect.stringMatching(/^user:[0-9a-f]{12}$/) } });
    expect(JSON.stringify(rows)).not.toContain(SECRET);
    // The live records carry the same, as objects (the SSE stream sends them).
    expect(records.map((r) => r.event.type)).toEqual(rows.map((r) => r.eventType));
    expect(records[2]!.context).toEqual({ alive: 1, result: 'with ***' });
    actor.stop();
    store.close();
  });
});
