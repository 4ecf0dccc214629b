import type { AnyActorRef } from 'xstate';
import { redactText } from '../../logging/redact.ts';
import type { Agent } from '../../runtime/create-agent.ts';
import { iso } from '../schemas/common.ts';
import { hostedActors, snapshotOf } from '../actors/inspect.ts';

/** An actor's lastError in one shape: the sync charts keep a Failure, the conflicts chart a string. */
function lastErrorOf(actor: AnyActorRef, secrets: readonly string[]) {
  const error = (snapshotOf(actor).context as { lastError?: unknown } | undefined)?.lastError;
  if (error === null || error === undefined) return null;
  if (typeof error === 'string') return { kind: null, message: redactText(error, secrets), status: null };
  const failure = error as { kind?: unknown; message?: unknown; status?: unknown };
  return {
    kind: typeof failure.kind === 'string' ? failure.kind : null,
    message: redactText(String(failure.message ?? 'unknown error'), secrets),
    status: typeof failure.status === 'number' ? failure.status : null,
  };
}

/**
 * Recent failed effects, newest first: journal entries whose event is `xstate.error.actor.*`. The
 * journal keeps no payloads, so only each actor's newest failure carries `error`, from the actor's
 * `lastError` context, and only while the actor still holds it (a later success clears it).
 */
export function syncErrorsView(agent: Agent, limit: number, secrets: readonly string[]) {
  const actors = new Map(hostedActors(agent));
  const detailed = new Set<string>();
  const errors = agent.store.journal.recentFailures(limit).map((row) => {
    const actor = actors.get(row.actorId);
    const error = actor && !detailed.has(row.actorId) ? lastErrorOf(actor, secrets) : null;
    detailed.add(row.actorId);
    return { id: row.id, at: iso(row.at)!, actor: row.actorId, event: row.eventType, from: row.fromState, to: row.toState, error };
  });
  const lastError = agent.store.syncState.get().lastError;
  return { success: true as const, errors, last_sync_error: lastError === null ? null : redactText(lastError, secrets) };
}
