import type { AnyActorRef } from 'xstate';
import type { Store } from '../../store/index.ts';
import { machineOf } from '../../runtime/machine-of.ts';
import { acceptedEvents } from './inspect.ts';
import type { OperatorEvent, OperatorRefusal } from './operator-events.ts';

/**
 * Operator events that name a record: the record must exist (404) and still be open (409) before the
 * event is sent. The actor would take `conflict.resolve` for any id, answer 202 and then find nothing
 * to do; the operator learnt nothing. Events naming nothing pass (undefined).
 */
export function refuseMissingTarget(store: Store, actor: AnyActorRef, body: OperatorEvent): OperatorRefusal | undefined {
  if (machineOf(actor).id !== 'conflicts' || body.type !== 'conflict.resolve') return undefined;
  const id = body.id;
  if (typeof id !== 'number') return undefined; // the payload validator has already made it a positive integer
  const conflict = store.conflicts.get(id);
  if (!conflict) return { status: 404, message: `no conflict ${id}`, extra: {} };
  if (conflict.resolved) return { status: 409, message: `conflict ${id} is already resolved`, extra: { accepts: acceptedEvents(actor) } };
  return undefined;
}
