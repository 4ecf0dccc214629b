import type { AnyActorRef, AnyMachineSnapshot, AnyStateNode } from 'xstate';
import { stateString, type TransitionRecord } from '../../runtime/actor-host.ts';
import type { Agent } from '../../runtime/create-agent.ts';
import { machineOf } from '../../runtime/machine-of.ts';
import { sanitizeContext } from '../../runtime/sanitize.ts';
import type { JournalEntry } from '../../store/index.ts';
import { parseJournalJson } from '../../store/journal.ts';

// Read-only views of the agent's actors for the admin API: what they are, where they are, and
// which events they take now, all derived from the machine definitions rather than kept by hand.

/** The agent's actors by id, in a stable order; absent ones (local-only mode) are left out. */
export function hostedActors(agent: Agent): [string, AnyActorRef][] {
  return Object.entries(agent.actors).filter((entry): entry is [string, AnyActorRef] => entry[1] !== undefined);
}

export function findActor(agent: Agent, id: string): AnyActorRef | undefined {
  return Object.hasOwn(agent.actors, id) ? (agent.actors as unknown as Record<string, AnyActorRef | undefined>)[id] : undefined;
}

export function snapshotOf(actor: AnyActorRef): AnyMachineSnapshot {
  return actor.getSnapshot() as AnyMachineSnapshot;
}

/**
 * Events only the runtime sends: the machine's own (`xstate.*`), the socket's reports, the
 * watchdog, timer re-arming after a restore, and `agent.stop` (stopping goes through SIGTERM so
 * the HTTP shell closes first).
 */
export function isInternalEvent(type: string): boolean {
  return /^(xstate\.|socket\.|link\.|timers\.)/.test(type) || type === 'agent.stop';
}

/**
 * The events this actor takes in its current state: the `on` keys of its active state nodes
 * (ancestors included), kept where `snapshot.can` says a transition would be taken now.
 */
export function acceptedEvents(actor: AnyActorRef): string[] {
  const snapshot = snapshotOf(actor);
  if (snapshot.status !== 'active') return [];
  const nodes = (snapshot as unknown as { _nodes: AnyStateNode[] })._nodes;
  const types = new Set(nodes.flatMap((node) => node.ownEvents));
  return [...types].filter((type) => !isInternalEvent(type) && snapshot.can({ type } as never)).sort();
}

/** One actor in the list. */
export function actorSummary(agent: Agent, id: string, actor: AnyActorRef) {
  const snapshot = snapshotOf(actor);
  return { id, machine: machineOf(actor).id, state: stateString(snapshot.value), status: snapshot.status, mode: agent.mode() };
}

/** One actor in detail. */
export function actorDetail(id: string, actor: AnyActorRef, secrets: readonly (string | undefined)[]) {
  const snapshot = snapshotOf(actor);
  return {
    id,
    machine: machineOf(actor).id,
    state: stateString(snapshot.value),
    value: snapshot.value as unknown,
    status: snapshot.status,
    tags: [...snapshot.tags].sort(),
    context: sanitizeContext(snapshot.context, secrets),
    accepts: acceptedEvents(actor),
  };
}

/**
 * A transition as the journal route and the SSE stream send it. `event` stays the event's type (what
 * clients read since the first version); `payload` is the event with its sanitised payload and
 * `context` the actor's sanitised context after it. Both are null for rows older than schema 4.
 */
export function transitionDto(record: TransitionRecord | JournalEntry) {
  const journaled = !('from' in record);
  return {
    ...('id' in record ? { id: record.id } : {}),
    at: new Date(record.at).toISOString(),
    actor: record.actorId,
    event: record.eventType,
    from: journaled ? record.fromState : record.from,
    to: journaled ? record.toState : record.to,
    payload: journaled ? parseJournalJson(record.event) : record.event,
    context: journaled ? parseJournalJson(record.context) : record.context,
  };
}
