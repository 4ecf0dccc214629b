import { fromPromise, setup, type AnyStateMachine } from 'xstate';
import { describe, expect, it } from 'vitest';
import { loadMachines } from '../../../src/viz/registry.ts';
import { eventTypesOf } from '../../../src/replay/chart-events.ts';
import { eventsOf } from './events.ts';
import { PAYLOADS } from './payloads.ts';

// The model's event list comes from the charts; only payloads are kept by hand, and a chart event
// without one stops the model with a message that says what to add.

const machines = await loadMachines();

/** A chart with one of each kind of event, under the id of a real one so its payload table applies. */
function chartWithNewEvents(id: string): AnyStateMachine {
  return setup({ actors: { work: fromPromise(async () => 1) }, delays: { soon: 1000 } }).createMachine({
    id,
    initial: 'a',
    states: {
      a: {
        invoke: { id: 'work', src: 'work', onDone: 'b', onError: 'b' },
        after: { soon: 'b' },
        on: { 'model.newEvent': 'b' },
      },
      b: { initial: 'x', states: { x: { type: 'final' } }, onDone: 'a' },
    },
  });
}

describe('model events', () => {
  it('reads delayed, actor and state-done events from the definition', () => {
    expect(eventTypesOf(chartWithNewEvents('syncCycle'))).toEqual([
      'model.newEvent',
      'xstate.after.soon.syncCycle.a',
      'xstate.done.actor.work',
      'xstate.done.state.syncCycle.b',
      'xstate.error.actor.work',
    ]);
  });

  it('finds the timers and actor results of the real charts', () => {
    const types = Object.fromEntries(machines.map((m) => [m.id, eventTypesOf(m)]));
    expect(types.syncCycle).toEqual(expect.arrayContaining([
      'xstate.after.untilNextSync.syncCycle.idle', 'xstate.after.untilRetry.syncCycle.retrying',
      'xstate.done.actor.runSync', 'xstate.error.actor.runSync',
    ]));
    expect(types.connection).toEqual(expect.arrayContaining([
      'xstate.after.connectTimeout.connection.link.connecting', 'xstate.after.stableAfter.connection.link.open', 'link.stale',
    ]));
  });

  it('fails loudly on a chart event without a payload, saying what to add', () => {
    const chart = chartWithNewEvents('syncCycle');
    expect(() => eventsOf(chart, {})).toThrow("add PAYLOADS.syncCycle['model.newEvent'] = NONE");
    expect(() => eventsOf(chartWithNewEvents('aNewChart'), {})).toThrow(/PAYLOADS\.aNewChart\[/);
  });

  it('has a payload for every event of every chart, and none for events the charts dropped', () => {
    for (const machine of machines) {
      expect(() => eventsOf(machine, machine.config.context ?? {})).not.toThrow();
      const listened = new Set(eventTypesOf(machine));
      expect(Object.keys(PAYLOADS[machine.id] ?? {}).filter((type) => !listened.has(type)), machine.id).toEqual([]);
    }
    expect(Object.keys(PAYLOADS).filter((id) => !machines.some((m) => m.id === id))).toEqual([]);
  });
});
