import { Type, type Static } from 'typebox';

// A trace: a slice of the transition journal, every actor's starting point and the steps after it,
// as `GET /api/admin/trace` exports it and `atom-sync replay` reads it (docs/traces.md). Version 1;
// later versions may add fields, never rename them.

export const TRACE_VERSION = 1;

const JsonObject = Type.Record(Type.String(), Type.Unknown());

/** Where an actor stood at the trace's `from`: its state and its context (null when not recorded). */
export const TraceStart = Type.Object({
  state: Type.Union([Type.String(), Type.Null()]),
  context: Type.Union([JsonObject, Type.Null()]),
});

export const TraceActor = Type.Object({
  /** The chart's id (machines/*.ts): what replay runs. */
  machine: Type.String(),
  start: TraceStart,
});

export const TraceStep = Type.Object({
  /** The journal row's id: steps are in this order. */
  id: Type.Integer(),
  at: Type.String({ description: 'ISO 8601' }),
  actor: Type.String(),
  /** `{type, ...payload}`, sanitised; `{type, truncated: true}` when it was too large to keep. */
  event: Type.Intersect([Type.Object({ type: Type.String() }), JsonObject]),
  from: Type.Union([Type.String(), Type.Null()]),
  to: Type.String(),
  /** The actor's context after the step, sanitised; null in rows journaled before schema 4. */
  context: Type.Union([JsonObject, Type.Null()]),
});

export const Trace = Type.Object({
  version: Type.Literal(TRACE_VERSION),
  exportedAt: Type.String(),
  from: Type.String(),
  to: Type.String(),
  /** The range held more steps than the export's bound: these are the first ones. */
  truncated: Type.Optional(Type.Boolean()),
  actors: Type.Record(Type.String(), TraceActor),
  steps: Type.Array(TraceStep),
});

export type Trace = Static<typeof Trace>;
export type TraceStep = Static<typeof TraceStep>;
export type TraceActor = Static<typeof TraceActor>;
