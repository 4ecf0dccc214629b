import type { FastifyReply } from 'fastify';
import type { AnyActorRef } from 'xstate';
import { Type, type TSchema } from 'typebox';
import { Compile } from 'typebox/compile';
import { stateString } from '../../runtime/actor-host.ts';
import { sendError } from '../../contract/error-envelope.ts';
import { machineOf } from '../../runtime/machine-of.ts';
import { acceptedEvents, snapshotOf } from './inspect.ts';

// What an operator may send to each machine over the admin API, with each event's payload schema.
// An explicit allow-list: the charts take more events than that (socket reports, timers), and
// those belong to the runtime. The agent's root actor takes none (stopping goes through SIGTERM).

const Strategy = Type.Union([Type.Literal('remote_wins'), Type.Literal('local_wins'), Type.Literal('merge')]);
const bare = (type: string) => Type.Object({ type: Type.Literal(type) }, { additionalProperties: false });

export const OPERATOR_EVENTS: Readonly<Record<string, Readonly<Record<string, TSchema>>>> = {
  syncCycle: {
    'sync.trigger': bare('sync.trigger'),
    'sync.catchUp': bare('sync.catchUp'),
    'schedule.pause': bare('schedule.pause'),
    'schedule.resume': bare('schedule.resume'),
  },
  ratingSync: {
    'ratings.flush': bare('ratings.flush'),
    'ratings.retry': bare('ratings.retry'),
    'schedule.pause': bare('schedule.pause'),
    'schedule.resume': bare('schedule.resume'),
  },
  connection: {
    'connection.reconnect': bare('connection.reconnect'),
    'connection.disable': bare('connection.disable'),
    'connection.enable': bare('connection.enable'),
  },
  conflicts: {
    'conflict.resolve': Type.Object(
      { type: Type.Literal('conflict.resolve'), id: Type.Integer({ minimum: 1 }), strategy: Strategy },
      { additionalProperties: false },
    ),
    'conflict.resolveAll': Type.Object(
      {
        type: Type.Literal('conflict.resolveAll'),
        strategy: Strategy,
        conflictType: Type.Optional(Type.Union([Type.Literal('content'), Type.Literal('version'), Type.Literal('delete')])),
        skillId: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
      },
      { additionalProperties: false },
    ),
  },
  agent: {},
};

const validators = new Map(
  Object.values(OPERATOR_EVENTS).flatMap((events) => Object.entries(events)).map(([type, schema]) => [type, Compile(schema)]),
);

/** One payload field of an operator event, as a form shows it (derived from the event's schema). */
export interface EventField {
  name: string;
  kind: 'integer' | 'string' | 'choice';
  /** `choice` only: the allowed values. */
  choices?: string[];
  required: boolean;
}

/** The payload fields of an operator event (none for a bare one); [] for an event that is not one. */
export function operatorEventFields(machine: string, type: string): EventField[] {
  const schema = OPERATOR_EVENTS[machine]?.[type] as { properties?: Record<string, Record<string, unknown>>; required?: string[] } | undefined;
  if (!schema?.properties) return [];
  return Object.entries(schema.properties)
    .filter(([name]) => name !== 'type')
    .map(([name, property]) => ({ name, required: schema.required?.includes(name) ?? false, ...fieldKind(type, name, property) }));
}

function fieldKind(type: string, name: string, property: Record<string, unknown>): Pick<EventField, 'kind' | 'choices'> {
  const options = property.anyOf as { const?: unknown }[] | undefined;
  if (options?.every((o) => typeof o.const === 'string')) return { kind: 'choice', choices: options.map((o) => o.const as string) };
  if (property.type === 'integer') return { kind: 'integer' };
  if (property.type === 'string') return { kind: 'string' };
  // A new kind of payload field needs a form control: fail where the schema is written, not in a browser.
  throw new Error(`operator event ${type}: field ${name} has a schema the viewer cannot offer a control for`);
}

export function operatorEventsOf(machine: string): string[] {
  return Object.keys(OPERATOR_EVENTS[machine] ?? {});
}

/** Why an operator event was not sent: 400 (not an operator event, bad payload), 404 (names no record) or 409 (refused now). */
export interface OperatorRefusal {
  status: 400 | 404 | 409;
  message: string;
  extra: Record<string, unknown>;
}

/**
 * Validates an operator event against its machine's allow-list and payload schema (400), refuses it
 * with the events the actor takes now when its state has no transition for it (409), else sends it.
 */
export type OperatorEvent = { type: string } & Record<string, unknown>;

/**
 * `precheck` runs once the payload is valid, before the actor is asked: a refusal the actor cannot
 * give itself (the record the event names does not exist, actors/event-targets.ts).
 */
export function tryOperatorEvent(actor: AnyActorRef, body: OperatorEvent, precheck?: (event: OperatorEvent) => OperatorRefusal | undefined): OperatorRefusal | { state: string } {
  const machine = machineOf(actor).id;
  const allowed = operatorEventsOf(machine);
  if (!allowed.includes(body.type)) {
    const list = allowed.length > 0 ? `; operator events: ${allowed.join(', ')}` : '; it takes no operator events';
    // Echo the type only when it looks like an event name: the body is the caller's, not ours to print.
    const named = /^[A-Za-z][A-Za-z.]{0,63}$/.test(body.type) ? body.type : 'that type';
    return { status: 400, message: `${named} is not an operator event of ${machine}${list}`, extra: {} };
  }
  const validator = validators.get(body.type)!;
  const candidate: unknown = body;
  if (!validator.Check(candidate)) {
    const [first] = validator.Errors(candidate);
    const where = first?.instancePath ? first.instancePath.replace(/^\//, '').replace(/\//g, '.') : 'body';
    return { status: 400, message: `${body.type}: ${where} ${first?.message ?? 'is invalid'}`, extra: {} };
  }
  const refused = precheck?.(body);
  if (refused) return refused;
  const snapshot = snapshotOf(actor);
  if (snapshot.status !== 'active' || !snapshot.can(body as never)) {
    const state = stateString(snapshot.value);
    return { status: 409, message: `${machine} cannot take ${body.type} in state ${state}`, extra: { accepts: acceptedEvents(actor) } };
  }
  actor.send(body);
  return { state: stateString(snapshotOf(actor).value) };
}

/** tryOperatorEvent answered over HTTP: 400 / 409 with `accepts`, or 202 with the state it led to. */
export function sendOperatorEvent(actor: AnyActorRef, body: OperatorEvent, reply: FastifyReply, precheck?: (event: OperatorEvent) => OperatorRefusal | undefined): FastifyReply {
  const outcome = tryOperatorEvent(actor, body, precheck);
  if ('status' in outcome) return sendError(reply, outcome.status, outcome.message, outcome.extra);
  return reply.code(202).send({ accepted: true, state: outcome.state });
}
