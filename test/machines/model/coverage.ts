import type { AnyStateMachine, AnyTransitionDefinition } from 'xstate';
import { getStateNodes } from 'xstate/graph';
import { allStateNodes } from '../../../src/replay/chart-events.ts';

// The coverage gate's bookkeeping. What a chart has is read from its definition: every state node
// by id, and every transition (source, event, guard, targets): each guarded alternative, each
// `always`, `after` and invoke result, and targetless ones (actions only). What the replays
// exercised is what the interpreter reports, microstep by microstep (replay.ts): the transitions it
// took and the states it was in, transient ones included. Keys are strings, so a transition of the
// definition and the same transition of the machine provided for a replay (a copy) meet.

/**
 * Uncovered on purpose, each with its reason, keyed as the gate prints them
 * (`syncCycle: state syncCycle.paused`, `syncCycle: transition <key>`). Empty today. A transition
 * that needs a particular context does not belong here: give its chart a seed (models.ts) that
 * reaches it.
 */
export const ALLOWED_UNCOVERED: Record<string, string> = {};

function guardLabel(guard: AnyTransitionDefinition['guard']): string {
  if (guard === undefined) return '';
  // A guard written inline is a function named after the `guard` key it was written under.
  const inline = (fn: { name: string }) => (fn.name && fn.name !== 'guard' ? fn.name : 'inline');
  const name = typeof guard === 'string' ? guard : typeof guard === 'function' ? ((guard as { type?: string }).type ?? inline(guard)) : guard.type;
  return ` [${name}]`;
}

/** `connection.failing --always [attemptsExhausted]--> connection.suspended`; `#n` only between look-alikes. */
export function transitionKey(t: AnyTransitionDefinition): string {
  const label = (d: AnyTransitionDefinition) =>
    `${d.source.id} --${d.eventType === '' ? 'always' : d.eventType}${guardLabel(d.guard)}--> ${d.target?.map((n) => n.id).join(', ') || '(targetless)'}`;
  const siblings: AnyTransitionDefinition[] = t.eventType === '' ? (t.source.always ?? []) : (t.source.transitions.get(t.eventType) ?? []);
  const own = label(t);
  const alike = siblings.filter((s) => label(s) === own);
  return alike.length > 1 ? `${own} #${siblings.indexOf(t)}` : own;
}

export interface ChartItems {
  states: string[];
  transitions: string[];
}

/** Every state node (the root excepted: it is always active) and every transition of a chart. */
export function chartItems(machine: AnyStateMachine): ChartItems {
  const states = getStateNodes(machine.root).map((n) => n.id);
  const transitions = allStateNodes(machine).flatMap((node) => [
    ...[...node.transitions.values()].flat(),
    ...(node.always ?? []),
  ]);
  return { states, transitions: [...new Set(transitions.map(transitionKey))] };
}

/** What the replays of one chart exercised. */
export interface Observed {
  states: Set<string>;
  transitions: Set<string>;
}

export function emptyObserved(): Observed {
  return { states: new Set(), transitions: new Set() };
}

export interface CoverageReport {
  machine: string;
  states: { total: number; covered: number };
  transitions: { total: number; covered: number };
  /** Not exercised and not allowed. */
  uncovered: string[];
  /** Allowed but exercised after all, or naming nothing the chart has: the list should shrink. */
  staleAllowances: string[];
}

export function coverageOf(machine: AnyStateMachine, observed: Observed): CoverageReport {
  const items = chartItems(machine);
  const missing = [
    ...items.states.filter((s) => !observed.states.has(s)).map((s) => `state ${s}`),
    ...items.transitions.filter((t) => !observed.transitions.has(t)).map((t) => `transition ${t}`),
  ];
  const prefix = `${machine.id}: `;
  const allowed = Object.keys(ALLOWED_UNCOVERED).filter((k) => k.startsWith(prefix)).map((k) => k.slice(prefix.length));
  return {
    machine: machine.id,
    states: { total: items.states.length, covered: items.states.filter((s) => observed.states.has(s)).length },
    transitions: { total: items.transitions.length, covered: items.transitions.filter((t) => observed.transitions.has(t)).length },
    uncovered: missing.filter((m) => !allowed.includes(m)).map((m) => prefix + m),
    staleAllowances: allowed.filter((a) => !missing.includes(a)).map((a) => prefix + a),
  };
}
