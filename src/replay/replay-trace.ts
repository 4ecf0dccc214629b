import { createActor, type AnyActorRef, type AnyMachineSnapshot, type AnyStateMachine } from 'xstate';
import { stateString } from '../runtime/actor-host.ts';
import { sanitizeContext } from '../runtime/sanitize.ts';
import { traceClock, type TraceClock } from './clock.ts';
import { contextDifference } from './compare-context.ts';
import { scripted } from './scripted.ts';
import { stateValueOf } from './state-value.ts';
import type { Trace, TraceStep } from './trace-format.ts';

// A trace replayed against the charts (docs/traces.md). Each actor is a live actor of its chart,
// provided with the model tests' scripted implementations (src/replay/scripted.ts): invoked actors
// never settle, because the trace delivers their recorded results (`xstate.done.actor.*`,
// `xstate.error.actor.*`), and its clock reads the recorded time of each step and fires no timer,
// because the trace delivers each timer that fired in the field. Each actor starts from its
// recorded `start`; every step sends the recorded event and holds the chart to the recorded state
// and to the context fields that follow from events alone (compare-context.ts).

export interface SkippedStep {
  /** 1-based position in `steps`. */
  number: number;
  step: TraceStep;
  reason: string;
}

export interface Difference extends SkippedStep {
  expected: string;
  actual: string;
}

export interface ReplayReport {
  steps: number;
  /** Steps whose outcome was compared (starts and restarts included). */
  compared: number;
  /** Steps that could not be replayed: a payload too large to keep, no recorded context, an unknown chart. */
  skipped: SkippedStep[];
  /** The first step where the chart answers otherwise than the field recorded. */
  difference?: Difference;
}

/** One actor of the trace as replayed: its chart and, while it is known, the live actor. */
interface Lane {
  machine: string;
  logic?: AnyStateMachine;
  actor?: AnyActorRef;
}

/** The one-line verdict for a difference: `step N (actor, event): expected X, chart gives Y`. */
export function describeDifference(d: Difference): string {
  return `step ${d.number} (${d.step.actor}, ${d.step.event.type}): expected ${d.expected}, chart gives ${d.actual}`;
}

export function replayTrace(trace: Trace, charts: ReadonlyMap<string, AnyStateMachine>): ReplayReport {
  const clock = traceClock(Date.parse(trace.from));
  const lanes = new Map<string, Lane>();
  for (const [id, actor] of Object.entries(trace.actors)) {
    const chart = charts.get(actor.machine);
    const lane: Lane = { machine: actor.machine, ...(chart ? { logic: scripted(chart, clock) } : {}) };
    lanes.set(id, lane);
    const { state, context } = actor.start;
    // A start the chart cannot take leaves the actor unknown until a step records its context.
    if (state !== null && usable(context) && lane.logic) {
      try {
        place(lane, state, context, clock);
      } catch {
        delete lane.actor;
      }
    }
  }
  const report: ReplayReport = { steps: trace.steps.length, compared: 0, skipped: [] };
  try {
    for (const [i, step] of trace.steps.entries()) {
      const number = i + 1;
      clock.set(Date.parse(step.at));
      const lane = lanes.get(step.actor) ?? { machine: step.actor };
      lanes.set(step.actor, lane);
      const outcome = replayStep(lane, step, clock);
      if (outcome.kind === 'compared') report.compared += 1;
      if (outcome.kind === 'skipped') report.skipped.push({ number, step, reason: outcome.reason });
      if (outcome.kind === 'differs') {
        report.difference = { number, step, reason: outcome.reason, expected: outcome.expected, actual: outcome.actual };
        break;
      }
    }
  } finally {
    for (const lane of lanes.values()) lane.actor?.stop();
  }
  return report;
}

type Outcome =
  | { kind: 'compared' }
  | { kind: 'skipped'; reason: string }
  | { kind: 'differs'; reason: string; expected: string; actual: string };

function replayStep(lane: Lane, step: TraceStep, clock: TraceClock): Outcome {
  if (!lane.logic) return { kind: 'skipped', reason: `no chart '${lane.machine}' in machines/` };
  // An actor starting: afresh (no state before), or restored from its snapshot after a restart.
  if (step.event.type === 'xstate.init') {
    if (step.from !== null && lane.actor) {
      const current = stateOf(lane.actor);
      if (current !== step.to) return { kind: 'differs', reason: 'restored', expected: `to restore in ${step.to}`, actual: current };
    }
    return resync(lane, step, clock, 'compared');
  }
  // The actor was stopped (the agent shut down): it stops where it was; its restart is an xstate.init.
  if (step.event.type === 'xstate.stop') {
    const current = lane.actor ? stateOf(lane.actor) : undefined;
    if (current !== undefined && current !== step.to) return { kind: 'differs', reason: 'stopped', expected: `to stop in ${step.to}`, actual: current };
    return current === undefined ? { kind: 'skipped', reason: 'the actor state before it is unknown (no recorded context)' } : { kind: 'compared' };
  }
  if (step.event.truncated === true) return resync(lane, step, clock, 'the event was too large to journal');
  if (!lane.actor) return resync(lane, step, clock, 'the actor state before it is unknown (no recorded context)');
  const before = stateOf(lane.actor);
  if (step.from !== null && before !== step.from) {
    return { kind: 'differs', reason: 'from', expected: `to start from ${step.from}`, actual: before };
  }
  lane.actor.send(step.event as never);
  const snapshot = lane.actor.getSnapshot() as AnyMachineSnapshot;
  if (snapshot.status === 'error') return { kind: 'differs', reason: 'failed', expected: step.to, actual: `a failure: ${String(snapshot.error)}` };
  const after = stateString(snapshot.value);
  if (after !== step.to) return { kind: 'differs', reason: 'state', expected: step.to, actual: after };
  if (usable(step.context)) {
    const field = contextDifference(step.context, sanitizeContext(snapshot.context, []));
    if (field) return { kind: 'differs', reason: 'context', expected: `${field.path} ${field.expected}`, actual: field.actual };
  }
  return { kind: 'compared' };
}

/** Picks the actor up again from the step's recorded state and context, when there is one. */
function resync(lane: Lane, step: TraceStep, clock: TraceClock, why: 'compared' | string): Outcome {
  lane.actor?.stop();
  delete lane.actor;
  if (usable(step.context)) {
    try {
      place(lane, step.to, step.context, clock);
    } catch (error) {
      return { kind: 'differs', reason: 'state', expected: step.to, actual: `no such state (${(error as Error).message})` };
    }
  }
  return why === 'compared' ? { kind: 'compared' } : { kind: 'skipped', reason: why };
}

/** A live actor of the lane's chart in `state` with `context`, as the field recorded them. */
function place(lane: Lane, state: string, context: Record<string, unknown>, clock: TraceClock): void {
  const logic = lane.logic!;
  const snapshot = logic.resolveState({ value: stateValueOf(state), context });
  const actor = createActor(logic, { snapshot: snapshot as never, clock });
  actor.start();
  lane.actor = actor;
}

function stateOf(actor: AnyActorRef): string {
  return stateString((actor.getSnapshot() as AnyMachineSnapshot).value);
}

function usable(context: Record<string, unknown> | null): context is Record<string, unknown> {
  return context !== null && context.truncated !== true;
}
