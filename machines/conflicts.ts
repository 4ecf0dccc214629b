import { assign, fromPromise, setup } from 'xstate';
import { notProvided } from './not-provided.ts';

// The conflict resolver (DESIGN.md "conflicts"): operators' decisions on queued conflicts arrive as
// events and are applied one request at a time by the `resolveConflicts` actor. Conflicts detected
// during a sync are resolved on arrival by the configured strategy; each row's own lifecycle is the
// conflictRow chart.

export type OperatorStrategy = 'remote_wins' | 'local_wins' | 'merge';

export type ResolveRequest =
  | { kind: 'one'; id: number; strategy: OperatorStrategy }
  | { kind: 'bulk'; strategy: OperatorStrategy; conflictType?: 'content' | 'version' | 'delete'; skillId?: string };

export interface ResolveReport {
  resolved: number;
  /** Unknown, already resolved, or no longer resolvable. */
  refused: number;
}

export interface ConflictsContext {
  pending: ResolveRequest[];
  lastReport: ResolveReport | null;
  lastError: string | null;
}

export type ConflictsEvent =
  | { type: 'conflict.resolve'; id: number; strategy: OperatorStrategy }
  | { type: 'conflict.resolveAll'; strategy: OperatorStrategy; conflictType?: 'content' | 'version' | 'delete'; skillId?: string };

const toRequest = (event: ConflictsEvent): ResolveRequest =>
  event.type === 'conflict.resolve'
    ? { kind: 'one', id: event.id, strategy: event.strategy }
    : { kind: 'bulk', strategy: event.strategy, conflictType: event.conflictType, skillId: event.skillId };

export const conflictsMachine = setup({
  types: { context: {} as ConflictsContext, events: {} as ConflictsEvent },
  actors: {
    resolveConflicts: fromPromise<ResolveReport, { request: ResolveRequest }>(() => notProvided('resolveConflicts')),
  },
  actions: {
    enqueue: assign({ pending: ({ context, event }) => [...context.pending, toRequest(event)] }),
    dequeue: assign({ pending: ({ context }) => context.pending.slice(1) }),
    recordReport: assign((_, params: { report: ResolveReport }) => ({ lastReport: params.report, lastError: null })),
    recordError: assign((_, params: { error: unknown }) => ({ lastError: String((params.error as Error)?.message ?? params.error) })),
  },
  guards: {
    hasPending: ({ context }) => context.pending.length > 0,
  },
}).createMachine({
  id: 'conflicts',
  context: { pending: [], lastReport: null, lastError: null },
  initial: 'idle',
  states: {
    idle: {
      // A restored actor may hold requests that arrived before a restart.
      always: { guard: 'hasPending', target: 'resolving' },
      on: {
        'conflict.resolve': { target: 'resolving', actions: 'enqueue' },
        'conflict.resolveAll': { target: 'resolving', actions: 'enqueue' },
      },
    },
    resolving: {
      tags: ['busy'],
      invoke: {
        id: 'resolveConflicts',
        src: 'resolveConflicts',
        input: ({ context }) => ({ request: context.pending[0]! }),
        onDone: { target: 'idle', actions: [{ type: 'recordReport', params: ({ event }) => ({ report: event.output }) }, 'dequeue'] },
        onError: { target: 'idle', actions: [{ type: 'recordError', params: ({ event }) => ({ error: event.error }) }, 'dequeue'] },
      },
      on: {
        'conflict.resolve': { actions: 'enqueue' },
        'conflict.resolveAll': { actions: 'enqueue' },
      },
    },
  },
});

export type ConflictsMachine = typeof conflictsMachine;
