import { assign, fromPromise, setup } from 'xstate';
import { notProvided } from './not-provided.ts';

// The root of the agent (DESIGN.md "agent"): boot (the database is migrated and the other actors
// restored by then), an initial sync so the cache is current before real-time updates start
// (spec 003), then running, where syncCycle, ratingSync, conflicts and the connection run side by
// side as actors of their own; the connection starts once the cache is current. With ATOM_SAAS_ENABLED=false the agent is local-only: no network.

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
    /** Once the cache is current: start the WebSocket connection (spec 003). */
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
        onDone: [{ guard: 'saasDisabled', target: 'localOnly' }, { target: 'initialSync' }],
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
      entry: 'startRealtime',
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
