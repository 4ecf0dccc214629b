import type { AnyStateMachine, AnyStateNode } from 'xstate';
import { getStateNodes } from 'xstate/graph';

// The events a chart listens for, read from the chart itself rather than kept by hand: every state
// node's transitions, so delayed (`xstate.after.*`), actor result (`xstate.done.actor.*`,
// `xstate.error.actor.*`) and state-done (`xstate.done.state.*`) events are found like any other.
// The model-based tests (test/machines/model/) and trace replay (src/replay/) both read charts so.

/** Who delivers an event type: a timer, an invoked actor, the interpreter itself, or someone outside. */
export type EventKind = 'timer' | 'actorDone' | 'actorError' | 'stateDone' | 'external';

export function kindOf(type: string): EventKind {
  if (type.startsWith('xstate.after.')) return 'timer';
  if (type.startsWith('xstate.done.actor.')) return 'actorDone';
  if (type.startsWith('xstate.error.actor.')) return 'actorError';
  if (type.startsWith('xstate.done.state.')) return 'stateDone';
  return 'external';
}

/** The invoke id a `xstate.done.actor.<id>` / `xstate.error.actor.<id>` event comes from. */
export function actorIdOf(type: string): string | undefined {
  const match = /^xstate\.(?:done|error)\.actor\.(.+)$/.exec(type);
  return match?.[1];
}

/** The root and every state node below it. */
export function allStateNodes(machine: AnyStateMachine): AnyStateNode[] {
  return [machine.root, ...getStateNodes(machine.root)];
}

const typesByMachine = new WeakMap<AnyStateMachine, string[]>();

/** Every event type some transition of the chart listens for, sorted. */
export function eventTypesOf(machine: AnyStateMachine): string[] {
  const known = typesByMachine.get(machine);
  if (known) return known;
  const types = new Set<string>();
  for (const node of allStateNodes(machine)) {
    for (const type of node.transitions.keys()) {
      // A wildcard cannot be sent as such: the model would need concrete types for it.
      if (type === '*' || type.endsWith('.*')) {
        throw new Error(`${machine.id}: '${node.id}' listens for the wildcard '${type}'; list the concrete event types it stands for in test/machines/model/payloads.ts and teach src/replay/chart-events.ts to expand it`);
      }
      types.add(type);
    }
  }
  const sorted = [...types].sort();
  typesByMachine.set(machine, sorted);
  return sorted;
}
