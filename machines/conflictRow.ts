import { setup } from 'xstate';

// The lifecycle of one conflict_log row. Conflicts can number in the thousands, so each row is not
// a live actor: its state is a column, advanced with this chart's pure transition function
// (xstate's transition()) by the code that applies remote changes and by the resolver.

export type ConflictRowState = 'detected' | 'awaitingOperator' | 'resolved';

export type ConflictRowEvent =
  /** The configured strategy decided it on arrival (remote_wins, local_wins, merge). */
  | { type: 'conflict.autoResolved' }
  /** The configured strategy is manual: queue it for an operator. */
  | { type: 'conflict.queued' }
  /** An operator chose a strategy for it. */
  | { type: 'conflict.resolve' };

export const conflictRowMachine = setup({
  types: { events: {} as ConflictRowEvent },
}).createMachine({
  id: 'conflictRow',
  initial: 'detected',
  states: {
    detected: {
      on: {
        'conflict.autoResolved': 'resolved',
        'conflict.queued': 'awaitingOperator',
      },
    },
    awaitingOperator: {
      on: { 'conflict.resolve': 'resolved' },
    },
    resolved: { type: 'final' },
  },
});
