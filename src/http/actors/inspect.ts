import type { AnyActorRef, AnyMachineSnapshot, AnyStateNode } from 'xstate';
import { redactDeep } from '../../logging/redact.ts';
import { stateString, type TransitionRecord } from '../../runtime/actor-host.ts';
import type { Agent } from '../../runtime/create-agent.ts';
import { machineOf } from '../../runtime/machine-of.ts';
import type { JournalEntry } from '../../store/index.ts';

// Read-only views of the agent's actors for the admin API: what they are, where they are, and
// which events they take now, all derived from the machine definitions rather than kept by hand.

/** The agent's actors by id, in a stable order; absent ones (local-only mode) are left out. */
export function hostedActors(agent: Agent): [string, AnyActorRef][] {
  return Object.entries(agent.actors).filter((entry): entry is [string, AnyActorRef] => entry[1] !== undefined);
}

export function findActor(agent: Agent, id: string): AnyActorRef | undefined {
  return Object.hasOwn(agent.actors, id) ? (agent.actors as unknown as Record<string, AnyActorRef | undefined>)[id] : undefined;
}

export { machineOf };

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

/**
 * Context as operators may see it: JSON-safe (no functions, no actor references), with secret-named
 * keys masked and known secrets scrubbed from every string.
 */
export function sanitizeContext(context: unknown, secrets: readonly (string | undefined)[]): Record<string, unknown> {
  const plain = toPlain(context, new WeakSet());
  return redactDeep(plain && typeof plain === 'object' && !Array.isArray(plain) ? (plain as Record<string, unknown>) : {}, secrets);
}

function toPlain(value: unknown, seen: WeakSet<object>): unknown {
  if (typeof value === 'function' || typeof value === 'symbol' || typeof value === 'bigint') return undefined;
  if (value === null || typeof value !== 'object') return value;
  if (isActorRef(value) || seen.has(value)) return undefined;
  seen.add(value);
  if (Array.isArray(value)) return value.map((v) => toPlain(v, seen) ?? null);
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) {
    const plain = toPlain(v, seen);
    if (plain !== undefined) out[key] = plain;
  }
  return out;
}

function isActorRef(value: object): boolean {
  return 'sessionId' in value && typeof (value as { send?: unknown }).send === 'function';
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

/** A transition as the journal route and the SSE stream send it. */
export function transitionDto(record: TransitionRecord | JournalEntry) {
  return {
    ...('id' in record ? { id: record.id } : {}),
    at: new Date(record.at).toISOString(),
    actor: record.actorId,
    event: record.eventType,
    from: 'from' in record ? record.from : record.fromState,
    to: 'to' in record ? record.to : record.toState,
  };
}
