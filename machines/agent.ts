import { assign, fromPromise, setup } from 'xstate';
import { notProvided } from './not-provided.ts';

// The root of the agent (DESIGN.md "agent"): boot (the database is migrated and the other actors
// restored by then), an initial sync, then running, where syncCycle, ratingSync, conflicts and the
// connection run side by side as actors of their own. The connection starts with the initial sync,
// not after it: a long initial sync (minutes at the platform's request limit, longer after a crash)
// would otherwise leave the agent deaf to pushes for all that time, and a pushed change cannot spoil
// the sync: both write through the same never-backwards upserts, and a row heard of during a full
// sync is checked before its reconciliation removes anything (docs/connection.md).
// With ATOM_SAAS_ENABLED=false the agent is local-only: no network.

export interface AgentContext {
  saasEnabled: boolean;
  /** The initial sync failed: the agent serves the cache it has and keeps polling. */
  degraded: boolean;
  lastError: string | null;
}

export type AgentEvent = { type: 'agent.stop' };

export const agentMachine = setup({
  types: {
    context: {} as AgentContext,
    events: {} as AgentEvent,
    input: {} as { saasEnabled: boolean },
  },
  actors: {
    /** Starts the child actors (restored from their snapshots) and re-arms their timers. */
    boot: fromPromise<void>(() => notProvided('boot')),
    /** A full sync on an empty cache, else an incremental catch-up; resolves when it ends. */
    initialSync: fromPromise<void>(() => notProvided('initialSync')),
    /** Stops the child actors and closes connections. */
    shutdown: fromPromise<void>(() => notProvided('shutdown')),
  },
  actions: {
    /** Once boot restored the actors: start the WebSocket connection, alongside the initial sync. */
    startRealtime: () => notProvided('startRealtime'),
    recordError: assign((_, params: { error: unknown }) => ({ lastError: String((params.error as Error)?.message ?? params.error) })),
    markDegraded: assign({ degraded: true }),
    clearDegraded: assign({ degraded: false }),
  },
  guards: {
    saasDisabled: ({ context }) => !context.saasEnabled,
  },
}).createMachine({
  id: 'agent',
  context: ({ input }) => ({ saasEnabled: input.saasEnabled, degraded: false, lastError: null }),
  initial: 'booting',
  states: {
    booting: {
      invoke: {
        id: 'boot',
        src: 'boot',
        onDone: [{ guard: 'saasDisabled', target: 'localOnly' }, { target: 'initialSync', actions: 'startRealtime' }],
        onError: { target: 'stopped', actions: { type: 'recordError', params: ({ event }) => ({ error: event.error }) } },
      },
    },
    initialSync: {
      invoke: {
        id: 'initialSync',
        src: 'initialSync',
        onDone: { target: 'running', actions: 'clearDegraded' },
        // The platform may be down at start: serve the cache we have; the sync cycle keeps retrying.
        onError: { target: 'running', actions: ['markDegraded', { type: 'recordError', params: ({ event }) => ({ error: event.error }) }] },
      },
      on: { 'agent.stop': 'stopping' },
    },
    running: {
      on: { 'agent.stop': 'stopping' },
    },
    localOnly: {
      on: { 'agent.stop': 'stopping' },
    },
    stopping: {
      invoke: { id: 'shutdown', src: 'shutdown', onDone: 'stopped', onError: 'stopped' },
    },
    stopped: { type: 'final' },
  },
});

export type AgentMachine = typeof agentMachine;
