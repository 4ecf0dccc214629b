import { Type } from 'typebox';
import type { TypedApp } from '../types.ts';
import { adminErrors, ErrorResponse, NullableString, RefusedResponse } from '../schemas/common.ts';
import { sendError } from '../../contract/error-envelope.ts';
import { actorDetail, actorSummary, findActor, hostedActors, transitionDto } from '../actors/inspect.ts';
import { operatorEventFields, sendOperatorEvent } from '../actors/operator-events.ts';
import { refuseMissingTarget } from '../actors/event-targets.ts';
import { configSecrets } from '../../config/index.ts';

const ActorParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 64 }) });

const ActorSummary = Type.Object({ id: Type.String(), machine: Type.String(), state: Type.String(), status: Type.String(), mode: Type.String() });

const EventFieldSchema = Type.Object({
  name: Type.String(),
  kind: Type.Union([Type.Literal('integer'), Type.Literal('string'), Type.Literal('choice')]),
  choices: Type.Optional(Type.Array(Type.String())),
  required: Type.Boolean(),
});

const ActorDetail = Type.Object({
  id: Type.String(),
  machine: Type.String(),
  state: Type.String(),
  value: Type.Unknown(),
  status: Type.String(),
  tags: Type.Array(Type.String()),
  // Sanitised (redacted, no functions or actor refs) before it gets here; see actors/inspect.ts.
  context: Type.Record(Type.String(), Type.Unknown()),
  accepts: Type.Array(Type.String()),
  // The payload each accepted operator event needs (bare events have none), for forms like the viewer's.
  fields: Type.Record(Type.String(), Type.Array(EventFieldSchema)),
});

/** Sanitised and bounded (src/runtime/sanitize.ts); null in rows journaled before schema 4. */
const JournaledObject = Type.Union([Type.Record(Type.String(), Type.Unknown()), Type.Null()]);

export const Transition = Type.Object({
  id: Type.Optional(Type.Integer()),
  at: Type.String(),
  actor: Type.String(),
  /** The event's type. */
  event: Type.String(),
  from: NullableString,
  to: Type.String(),
  /** The event with its payload: `{type, ...}`; past 4 KiB only `{type, truncated: true}`. */
  payload: JournaledObject,
  /** The actor's context after the transition; past 4 KiB only `{truncated: true}`. */
  context: JournaledObject,
});

export const DEFAULT_TRANSITIONS = 50;
// The shared validator converts but does not fill defaults: the handler applies DEFAULT_TRANSITIONS.
const TransitionsQuery = Type.Object({ limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000 })) });

// Extra fields are the payload; the operator allow-list validates them per event type.
const EventBody = Type.Object({ type: Type.String({ minLength: 1, maxLength: 200 }) }, { additionalProperties: true });

const Accepted = Type.Object({ accepted: Type.Literal(true), state: Type.String() });

/** GET /actors, /actors/{id}, /actors/{id}/transitions; POST /actors/{id}/events (under /api/admin). */
export function registerActorRoutes(app: TypedApp): void {
  const secrets = configSecrets(app.agent.config);
  // The id is echoed only when it looks like an actor id: a path is the caller's text, not ours to print.
  const unknown = (id: string) => `no actor ${/^[A-Za-z][A-Za-z0-9]{0,31}$/.test(id) ? id : "with that id"} in this agent`;

  app.get('/actors', { schema: { response: { 200: Type.Array(ActorSummary), ...adminErrors() } } }, async () =>
    hostedActors(app.agent).map(([id, actor]) => actorSummary(app.agent, id, actor)));

  app.get('/actors/:id', {
    schema: { params: ActorParams, response: { 200: ActorDetail, 404: ErrorResponse, ...adminErrors() } },
  }, async (request, reply) => {
    const actor = findActor(app.agent, request.params.id);
    if (!actor) return sendError(reply, 404, unknown(request.params.id));
    const detail = actorDetail(request.params.id, actor, secrets);
    const fields = Object.fromEntries(
      detail.accepts.map((type) => [type, operatorEventFields(detail.machine, type)] as const).filter(([, f]) => f.length > 0),
    );
    return { ...detail, fields };
  });

  app.get('/actors/:id/transitions', {
    schema: { params: ActorParams, querystring: TransitionsQuery, response: { 200: Type.Array(Transition), 404: ErrorResponse, ...adminErrors() } },
  }, async (request, reply) => {
    if (!findActor(app.agent, request.params.id)) return sendError(reply, 404, unknown(request.params.id));
    return app.agent.store.journal.recent(request.query.limit ?? DEFAULT_TRANSITIONS, request.params.id).map(transitionDto);
  });

  app.post('/actors/:id/events', {
    schema: { params: ActorParams, body: EventBody, response: { 202: Accepted, 404: ErrorResponse, 409: RefusedResponse, ...adminErrors() } },
  }, async (request, reply) => {
    const actor = findActor(app.agent, request.params.id);
    if (!actor) return sendError(reply, 404, unknown(request.params.id));
    return sendOperatorEvent(actor, request.body, reply, (event) => refuseMissingTarget(app.agent.store, actor, event));
  });
}
