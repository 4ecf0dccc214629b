import { transition } from 'xstate';
import { conflictRowMachine, type ConflictRowEvent, type ConflictRowState } from '../../machines/conflictRow.ts';

/**
 * The next lifecycle state of a conflict row, or undefined when the chart refuses the event in
 * that state (resolving an already resolved conflict, queueing one twice).
 */
export function nextConflictState(current: ConflictRowState, event: ConflictRowEvent['type']): ConflictRowState | undefined {
  const snapshot = conflictRowMachine.resolveState({ value: current, context: undefined as never });
  if (!snapshot.can({ type: event })) return undefined;
  const [next] = transition(conflictRowMachine, snapshot, { type: event });
  return next.value as ConflictRowState;
}
