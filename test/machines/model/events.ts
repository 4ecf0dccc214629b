import type { AnyStateMachine, EventObject } from 'xstate';
import { eventTypesOf, kindOf } from '../../../src/replay/chart-events.ts';
import { PAYLOADS, type Fields } from './payloads.ts';

// The events the model sends: each type the chart listens for (src/replay/chart-events.ts reads them
// from the chart itself), with its payloads from a table (payloads.ts); a type without an entry fails loudly.

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
