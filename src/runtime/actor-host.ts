import { createActor, type AnyActorLogic, type AnyActorRef, type InspectionEvent, type ActorRefFrom, type InputFrom } from 'xstate';
import type { Logger } from '../logging/logger.ts';
import type { Store } from '../store/index.ts';
import type { Clock } from './clock.ts';
import { journalPayload } from './sanitize.ts';

/** One transition as the journal, the SSE stream and the metrics see it. */
export interface TransitionRecord {
  at: number;
  actorId: string;
  eventType: string;
  from: string | null;
  to: string;
  /** The event with its payload, sanitised and bounded (src/runtime/sanitize.ts). */
  event: Record<string, unknown>;
  /** The actor's context after the transition, sanitised and bounded the same way. */
  context: Record<string, unknown>;
}

export interface HostOptions<TLogic extends AnyActorLogic> {
  id: string;
  machine: string;
  logic: TLogic;
  input: InputFrom<TLogic>;
  store: Store;
  clock: Clock;
  logger?: Logger;
  /** Persist snapshots and restore from them (the root agent actor boots afresh each time). */
  persist: boolean;
  onTransition: (record: TransitionRecord) => void;
  /** Frequent events (liveness) journaled only when they change the state. */
  quietEvents?: ReadonlySet<string>;
  /** Known secrets (API and admin tokens), scrubbed from every journaled event and context. */
  secrets?: readonly (string | undefined)[];
}

const restoredActors = new WeakSet<object>();

/** Whether this actor was created from a persisted snapshot (and so needs `timers.rearm`). */
export function wasRestored(actor: object): boolean {
  return restoredActors.has(actor);
}

/** A state value as one readable string: `syncing`, `running.open`, `{a: x, b: y}` → `a.x,b.y`. */
export function stateString(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value && typeof value === 'object') {
    return Object.entries(value as Record<string, unknown>).map(([k, v]) => (typeof v === 'string' ? `${k}.${v}` : `${k}.${stateString(v)}`)).join(',');
  }
  return String(value);
}

/**
 * Creates an actor on the injected clock, restored from its persisted snapshot when there is one,
 * with every processed event journaled and every new snapshot persisted. The journal row carries
 * what a replay needs (docs/traces.md): the event with its payload (actor results and failures,
 * timers included) and the context after it, both sanitised. Only quiet events (liveness) that
 * leave the state as it was stay out: replay does not need them (they move timestamps and re-arm a
 * watchdog whose firing is journaled itself). A snapshot the current chart cannot read (the chart changed shape) is
 * discarded with a warning: the actor then starts from its initial state, and the store still holds
 * the durable facts (checkpoints, outbox, conflicts).
 */
export function hostActor<TLogic extends AnyActorLogic>(options: HostOptions<TLogic>): ActorRefFrom<TLogic> {
  const { id, store, clock } = options;
  const secrets = options.secrets ?? [];
  let previous: string | null = null;
  let self: AnyActorRef | undefined;

  const inspect = (event: InspectionEvent): void => {
    if (event.type !== '@xstate.snapshot' || event.actorRef !== self) return;
    const value = stateString((event.snapshot as { value?: unknown }).value);
    const eventType = event.event.type;
    const changed = value !== previous;
    if (changed || !options.quietEvents?.has(eventType)) {
      const payload = journalPayload(event.event, secrets);
      const context = journalPayload((event.snapshot as { context?: unknown }).context, secrets);
      const record: TransitionRecord = { at: clock.now(), actorId: id, eventType, from: previous, to: value, event: payload.value, context: context.value };
      store.journal.append({ at: record.at, actorId: id, eventType, fromState: previous, toState: value, event: payload.json, context: context.json });
      options.onTransition(record);
    }
    previous = value;
  };

  const persisted = options.persist ? store.snapshots.load(id) : undefined;
  let actor: AnyActorRef;
  try {
    actor = createActor(options.logic, { clock, inspect, input: options.input, ...(persisted ? { snapshot: persisted.snapshot as never } : {}) });
  } catch (error) {
    options.logger?.warn({ actor: id, err: error }, 'persisted snapshot does not fit the chart; starting afresh');
    store.snapshots.remove(id);
    actor = createActor(options.logic, { clock, inspect, input: options.input });
  }
  self = actor;
  if (persisted && store.snapshots.load(id)) {
    restoredActors.add(actor);
    previous = stateString((actor.getSnapshot() as { value?: unknown }).value);
  }
  if (options.persist) {
    actor.subscribe({
      next: () => store.snapshots.save(id, options.machine, actor.getPersistedSnapshot(), clock.now()),
      error: (err) => options.logger?.error({ actor: id, err }, 'actor failed'),
    });
  }
  return actor as ActorRefFrom<TLogic>;
}
