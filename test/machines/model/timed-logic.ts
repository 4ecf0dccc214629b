import { initialTransition, transition, type ActorLogic, type AnyMachineSnapshot, type AnyStateMachine, type EventObject, type Snapshot } from 'xstate';
import { kindOf } from '../../../src/replay/chart-events.ts';
import { stateLabel } from './labels.ts';

// A chart as the traversal sees it: its snapshot plus the timers the interpreter would have armed.
// A delayed event can only happen while its timer is armed: `link.open`'s stableAfter fires once
// per entry, and a paused schedule's timer that fired and found its guard false is gone until the
// state is re-entered. Without this the graph would send `xstate.after.*` events no interpreter
// ever delivers. Timers are followed through the actions xstate's pure `transition()` returns:
// a delayed `xstate.raise` arms one, `xstate.cancel` (on exit) disarms it. Each timer keeps when it
// is due on a model clock that moves only when a timer fires: of two timers armed together (a
// fallback's end and its next probe) only the one due first can fire, as in the interpreter.

export type TimedSnapshot = Snapshot<undefined> & {
  machine: AnyMachineSnapshot;
  /** Armed timers: send id → the event type they deliver. */
  timers: Readonly<Record<string, string>>;
  /** Armed timers: send id → when they are due on the model clock. */
  dues: Readonly<Record<string, number>>;
  /** The model clock: the due time of the last timer that fired. */
  clock: number;
  /** The state values so far, as labels, this one last: simple paths stop where a value repeats. */
  trail: readonly string[];
};

interface ExecutableAction {
  type: string;
  params?: unknown;
}

interface Timers {
  timers: Record<string, string>;
  dues: Record<string, number>;
}

function follow(armed: Timers, actions: readonly ExecutableAction[], clock: number): Timers {
  const next = { timers: { ...armed.timers }, dues: { ...armed.dues } };
  for (const action of actions) {
    const params = action.params as { delay?: number; id?: string; event?: EventObject; sendId?: string } | undefined;
    if (action.type === 'xstate.raise' && params?.delay !== undefined && params.id && params.event) {
      next.timers[params.id] = params.event.type;
      next.dues[params.id] = clock + params.delay;
    }
    if (action.type === 'xstate.cancel' && params?.sendId) {
      delete next.timers[params.sendId];
      delete next.dues[params.sendId];
    }
  }
  return next;
}

function wrap(machine: AnyMachineSnapshot, armed: Timers, clock: number, before: readonly string[]): TimedSnapshot {
  // A machine that is done or stopped has no timers left.
  const active = machine.status === 'active';
  const trail = [...before, stateLabel(machine.value)];
  return { status: machine.status, output: undefined, error: machine.error, machine, timers: active ? armed.timers : {}, dues: active ? armed.dues : {}, clock, trail } as TimedSnapshot;
}

/** Armed timer event types, sorted (what the traversal and the replay compare). */
export function armedTypes(snapshot: TimedSnapshot): string[] {
  return Object.values(snapshot.timers).sort();
}

/** The armed timer event types due first: only these can fire next. */
export function dueFirst(snapshot: TimedSnapshot): Set<string> {
  const dues = Object.entries(snapshot.dues);
  const first = Math.min(...dues.map(([, due]) => due));
  return new Set(dues.filter(([, due]) => due === first).map(([id]) => snapshot.timers[id]!));
}

export function timedLogic(machine: AnyStateMachine): ActorLogic<TimedSnapshot, EventObject, any> {
  return {
    config: machine,
    getInitialSnapshot: (_scope, input) => {
      const [snapshot, actions] = initialTransition(machine, input as never);
      return wrap(snapshot, follow({ timers: {}, dues: {} }, actions as ExecutableAction[], 0), 0, []);
    },
    transition: (snapshot, event) => {
      if (snapshot.status !== 'active') return snapshot;
      const armed = { timers: { ...snapshot.timers }, dues: { ...snapshot.dues } };
      let clock = snapshot.clock;
      // A timer's event is delivered by that timer, which is then spent; the model clock moves to it.
      if (kindOf(event.type) === 'timer') {
        for (const [id, type] of Object.entries(armed.timers)) {
          if (type !== event.type) continue;
          clock = Math.max(clock, armed.dues[id] ?? clock);
          delete armed.timers[id];
          delete armed.dues[id];
        }
      }
      const [next, actions] = transition(machine, snapshot.machine, event as never);
      return wrap(next, follow(armed, actions as ExecutableAction[], clock), clock, snapshot.trail);
    },
    getPersistedSnapshot: (snapshot) => snapshot,
  };
}
