import { initialTransition, transition, type ActorLogic, type AnyMachineSnapshot, type AnyStateMachine, type EventObject, type Snapshot } from 'xstate';
import { kindOf } from './events.ts';
import { stateLabel } from './labels.ts';

// A chart as the traversal sees it: its snapshot plus the timers the interpreter would have armed.
// A delayed event can only happen while its timer is armed: `link.open`'s stableAfter fires once
// per entry, and a paused schedule's timer that fired and found its guard false is gone until the
// state is re-entered. Without this the graph would send `xstate.after.*` events no interpreter
// ever delivers. Timers are followed through the actions xstate's pure `transition()` returns:
// a delayed `xstate.raise` arms one, `xstate.cancel` (on exit) disarms it.

export type TimedSnapshot = Snapshot<undefined> & {
  machine: AnyMachineSnapshot;
  /** Armed timers: send id → the event type they deliver. */
  timers: Readonly<Record<string, string>>;
  /** The state values so far, as labels, this one last: simple paths stop where a value repeats. */
  trail: readonly string[];
};

interface ExecutableAction {
  type: string;
  params?: unknown;
}

function follow(timers: Record<string, string>, actions: readonly ExecutableAction[]): Record<string, string> {
  const next = { ...timers };
  for (const action of actions) {
    const params = action.params as { delay?: number; id?: string; event?: EventObject; sendId?: string } | undefined;
    if (action.type === 'xstate.raise' && params?.delay !== undefined && params.id && params.event) next[params.id] = params.event.type;
    if (action.type === 'xstate.cancel' && params?.sendId) delete next[params.sendId];
  }
  return next;
}

function wrap(machine: AnyMachineSnapshot, timers: Record<string, string>, before: readonly string[]): TimedSnapshot {
  // A machine that is done or stopped has no timers left.
  const active = machine.status === 'active';
  const trail = [...before, stateLabel(machine.value)];
  return { status: machine.status, output: undefined, error: machine.error, machine, timers: active ? timers : {}, trail } as TimedSnapshot;
}

/** Armed timer event types, sorted (what the traversal and the replay compare). */
export function armedTypes(snapshot: TimedSnapshot): string[] {
  return Object.values(snapshot.timers).sort();
}

export function timedLogic(machine: AnyStateMachine): ActorLogic<TimedSnapshot, EventObject, any> {
  return {
    config: machine,
    getInitialSnapshot: (_scope, input) => {
      const [snapshot, actions] = initialTransition(machine, input as never);
      return wrap(snapshot, follow({}, actions as ExecutableAction[]), []);
    },
    transition: (snapshot, event) => {
      if (snapshot.status !== 'active') return snapshot;
      const timers = { ...snapshot.timers };
      // A timer's event is delivered by that timer, which is then spent.
      if (kindOf(event.type) === 'timer') {
        for (const [id, type] of Object.entries(timers)) if (type === event.type) delete timers[id];
      }
      const [next, actions] = transition(machine, snapshot.machine, event as never);
      return wrap(next, follow(timers, actions as ExecutableAction[]), snapshot.trail);
    },
    getPersistedSnapshot: (snapshot) => snapshot,
  };
}
