import type { AnyStateMachine, AnyStateNode, EventObject } from 'xstate';
import { getStateNodes } from 'xstate/graph';
import { PAYLOADS, type Fields } from './payloads.ts';

// The events a chart listens for, read from the chart itself rather than kept by hand: every state
// node's transitions, so delayed (`xstate.after.*`), actor result (`xstate.done.actor.*`,
// `xstate.error.actor.*`) and state-done (`xstate.done.state.*`) events are found like any other.
// Only their payloads come from a table (payloads.ts), and a type without an entry fails loudly.

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
        throw new Error(`${machine.id}: '${node.id}' listens for the wildcard '${type}'; list the concrete event types it stands for in test/machines/model/payloads.ts and teach events.ts to expand it`);
      }
      types.add(type);
    }
  }
  const sorted = [...types].sort();
  typesByMachine.set(machine, sorted);
  return sorted;
}

/** One event the model may send, with the label that tells its payload variants apart in path names. */
export interface ModelEvent {
  event: EventObject;
  /** Empty when the type has a single payload. */
  label: string;
}

/**
 * The full event list of a chart for a given context: each type the chart listens for, with every
 * payload variant of payloads.ts. `xstate.done.state.*` is left out: the interpreter raises it itself
 * when a child state reaches its final state, so sending it from outside would invent a path.
 */
export function eventsOf(machine: AnyStateMachine, context: unknown): ModelEvent[] {
  const table = PAYLOADS[machine.id];
  const events: ModelEvent[] = [];
  for (const type of eventTypesOf(machine)) {
    const kind = kindOf(type);
    if (kind === 'stateDone') continue;
    // A timer event carries nothing: its type says which delay fired.
    if (kind === 'timer') {
      events.push({ event: { type }, label: '' });
      continue;
    }
    const variants = table?.[type];
    if (!variants) {
      throw new Error(
        `${machine.id}: the chart listens for '${type}' but test/machines/model/payloads.ts has no payload for it; ` +
          `add PAYLOADS.${machine.id}['${type}'] = NONE (no fields) or { <label>: { ...fields } } per variant` +
          (kind === 'actorDone' ? ' (an actor result: { output })' : kind === 'actorError' ? ' (an actor failure: { error })' : ''),
      );
    }
    const labels = Object.keys(variants);
    for (const label of labels) {
      const fields = variants[label] as Fields | ((context: any) => Fields);
      const resolved = typeof fields === 'function' ? fields(context) : fields;
      events.push({ event: { ...resolved, type }, label: labels.length > 1 ? label : '' });
    }
  }
  return events;
}
