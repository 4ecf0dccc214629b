import { fromPromise, not, setup } from 'xstate';

// A small chart with one of everything toMermaid draws: a root-level transition, nested and
// parallel states, guards (named, negated), named and numeric delays, always, final states, done
// and error events of an invoke, a compound state's done event, and a reenter self-transition.
export const demoMachine = setup({
  types: { events: {} as { type: 'start' } | { type: 'demo.reset' } | { type: 'retry' } | { type: 'odd:event;name' } | { type: 'noop' } },
  guards: { isReady: () => false, isLate: () => true },
  delays: { patience: 1000 },
  actors: { work: fromPromise(async () => 1) },
}).createMachine({
  id: 'demo',
  initial: 'idle',
  on: { 'demo.reset': { target: '.idle' } },
  states: {
    idle: {
      always: { guard: 'isReady', target: 'busy' },
      on: { start: 'busy', noop: { actions: [] } },
    },
    busy: {
      type: 'parallel',
      onDone: 'done',
      states: {
        fetch: {
          initial: 'loading',
          states: {
            loading: { invoke: { id: 'work', src: 'work', onDone: 'loaded', onError: '#demo.failed' } },
            loaded: { type: 'final' },
          },
        },
        timer: {
          initial: 'waiting',
          states: {
            waiting: { after: { patience: { guard: not('isLate'), target: 'late' }, 500: 'late' } },
            late: { type: 'final' },
          },
        },
      },
    },
    failed: {
      on: { retry: { target: 'failed', reenter: true }, 'odd:event;name': 'idle' },
    },
    done: { type: 'final' },
  },
});
