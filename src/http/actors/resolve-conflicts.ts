import { waitFor } from 'xstate';
import type { ResolveReport } from '../../../machines/conflicts.ts';
import type { ConflictsActor } from '../../runtime/create-agent.ts';
import { tryOperatorEvent, type OperatorRefusal } from './operator-events.ts';

export const RESOLVE_TIMEOUT_MS = 10_000;

export type ResolveOutcome = { report: ResolveReport } | { failed: string } | { timedOut: true } | OperatorRefusal;

type ResolveEvent =
  | { type: 'conflict.resolve'; id: number; strategy: string }
  | { type: 'conflict.resolveAll'; strategy: string; conflictType?: string; skillId?: string };

/**
 * Sends a resolution request to the conflicts actor and waits, bounded, for the report of that
 * request. The actor queues requests in `context.pending`; ours is the one just appended, and it
 * is done when it leaves the queue: the same transition records its report (or its error).
 */
export async function resolveThroughActor(actor: ConflictsActor, event: ResolveEvent, timeoutMs = RESOLVE_TIMEOUT_MS): Promise<ResolveOutcome> {
  const sent = tryOperatorEvent(actor, event as ResolveEvent & Record<string, unknown>);
  if ('status' in sent) return sent;
  const request = actor.getSnapshot().context.pending.at(-1);
  try {
    const done = await waitFor(actor, (s) => request === undefined || !s.context.pending.includes(request), { timeout: timeoutMs });
    if (done.context.lastError !== null) return { failed: done.context.lastError };
    return { report: done.context.lastReport ?? { resolved: 0, refused: 0 } };
  } catch {
    return { timedOut: true };
  }
}
