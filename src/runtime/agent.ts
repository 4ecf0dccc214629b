import { fromPromise, waitFor, type ActorRefFrom } from 'xstate';
import { agentMachine } from '../../machines/agent.ts';
import { hostActor, wasRestored } from './actor-host.ts';
import type { ConflictsActor } from './conflicts.ts';
import type { ConnectionActor } from './connection.ts';
import type { Hosting } from './hosting.ts';
import type { RatingSyncActor } from './rating-sync.ts';
import type { SyncCycleActor } from './sync-cycle.ts';

// Everything the agent chart (machines/agent.ts) runs: boot (start the restored actors and re-arm
// their timers), the initial sync, starting the WebSocket, and shutdown. The actors themselves are
// built by create-agent.ts, each by the runtime file of its own chart.

/** The actors the root agent starts and stops; absent ones do not exist in this mode (local-only). */
export interface AgentChildren {
  conflicts: ConflictsActor;
  syncCycle?: SyncCycleActor;
  ratingSync?: RatingSyncActor;
  connection?: ConnectionActor;
}

export interface AgentEffects {
  children: AgentChildren;
  /** ENABLE_SCHEDULER: whether restored periodic jobs run (a pause through the admin API lasts until restart). */
  schedulerEnabled: boolean;
  /** false: never open the WebSocket (`atom-sync sync --once` only syncs). */
  realtime: boolean;
  /** Whether the initial sync is a full one (an empty cache, or `atom-sync sync --once`). */
  initialSyncIsFull: () => boolean;
  /** Closes what the actors used (budget, platform client, health probe) once they stopped. */
  closePlatform: () => Promise<void>;
}

/** The agent chart with its boot, initial sync, realtime start and shutdown provided. */
export function provideAgent(effects: AgentEffects) {
  const { syncCycle, ratingSync, conflicts, connection } = effects.children;
  const started = [syncCycle, ratingSync, conflicts].filter((a) => a !== undefined);
  return agentMachine.provide({
    actions: {
      startRealtime: () => {
        // Not after a stop (a stopped actor cannot start again); start() on a running actor is a no-op.
        if (!connection || !effects.realtime || connection.getSnapshot().status !== 'active') return;
        connection.start();
        // Restored in link, it reconnects; in backingOff or fallback, it keeps its remaining time.
        if (wasRestored(connection)) connection.send({ type: 'timers.rearm' });
      },
    },
    actors: {
      boot: fromPromise(async () => {
        for (const child of started) {
          child.start();
          // XState does not re-arm a restored actor's timers: each waiting state re-enters and
          // recomputes its delay from the deadline in context.
          if (wasRestored(child)) child.send({ type: 'timers.rearm' } as never);
        }
        // A schedule paused through the admin API lasts until restart, like a deleted job: the
        // configuration decides again (ENABLE_SCHEDULER) for restored actors.
        for (const periodic of [syncCycle, ratingSync]) {
          if (periodic && wasRestored(periodic)) periodic.send({ type: effects.schedulerEnabled ? 'schedule.resume' : 'schedule.pause' });
        }
      }),
      initialSync: fromPromise(async () => {
        if (!syncCycle) return;
        // A restored actor may already be resuming an interrupted sync: let it finish instead.
        if (!syncCycle.getSnapshot().hasTag('busy')) syncCycle.send({ type: effects.initialSyncIsFull() ? 'sync.trigger' : 'sync.catchUp' });
        const settled = await waitFor(syncCycle, (s) => !s.hasTag('busy'));
        if (settled.value !== 'idle') throw new Error(settled.context.lastError?.message ?? `initial sync ended in ${String(settled.value)}`);
      }),
      shutdown: fromPromise(async () => {
        connection?.stop();
        for (const child of started) child.stop();
        await effects.closePlatform();
      }),
    },
  });
}

export type AgentActor = ActorRefFrom<ReturnType<typeof provideAgent>>;

/** The root agent actor: journaled, never persisted (it boots afresh each time). */
export function createAgentActor(hosting: Hosting, effects: AgentEffects & { saasEnabled: boolean }): AgentActor {
  return hostActor({ ...hosting, id: 'agent', machine: 'agent', persist: false, logic: provideAgent(effects), input: { saasEnabled: effects.saasEnabled } });
}

/** Starts the root actor; resolves once it runs (or is local-only), rejects if it stopped while booting. */
export async function runAgent(agent: AgentActor): Promise<void> {
  agent.start();
  const settled = await waitFor(agent, (s) => s.matches('running') || s.matches('localOnly') || s.status === 'done');
  if (settled.status === 'done') throw new Error(settled.context.lastError ? `agent failed to start: ${settled.context.lastError}` : 'agent stopped before it finished starting');
}

/** Takes the root actor through `stopping` (its shutdown stops the children), then stops it. */
export async function stopAgent(agent: AgentActor, wasStarted: boolean): Promise<void> {
  // A stop may interrupt a start still in its initial sync (the chart takes agent.stop there).
  if (wasStarted && agent.getSnapshot().status === 'active') {
    if (agent.getSnapshot().matches('booting')) await waitFor(agent, (s) => !s.matches('booting'));
    if (agent.getSnapshot().status === 'active') {
      agent.send({ type: 'agent.stop' });
      await waitFor(agent, (s) => s.status === 'done');
    }
  }
  agent.stop();
}
