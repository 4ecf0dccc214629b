import { getNextTransitions, SimulatedClock, type AnyStateMachine, type EventObject } from 'xstate';
import { getAdjacencyMap, getShortestPaths, getSimplePaths, type AdjacencyMap, type StatePath } from 'xstate/graph';
import { actorIdOf, eventTypesOf, kindOf } from '../../../src/replay/chart-events.ts';
import { eventsOf } from './events.ts';
import { eventLabel, stateLabel } from './labels.ts';
import { modelOf, type Seed } from './models.ts';
import { scripted } from '../../../src/replay/scripted.ts';
import { armedTypes, dueFirst, timedLogic, type TimedSnapshot } from './timed-logic.ts';

// Paths through each chart from xstate/graph, over the chart's full event list (events.ts):
// - shortest paths: one to every reachable model state (reachability). A model state is the state
//   value, the context that matters (models.ts) and the armed timers; time stands still while the
//   graph is walked, so deadlines come from one instant.
// - simple paths: the ways between states, bounded: a path stops at the first state value it has
//   already visited (the trail is part of the model state, so every path is simple and short);
// - edge paths: every edge of the graph neither of those takes, after the shortest path to it.
// A path whose events are a prefix of another's adds nothing a replay would not see, and is dropped.

/** Where the traversal's clock stands, and where each replay's starts. */
export const START = Date.parse('2026-03-01T00:00:00Z');

export interface PathStep {
  event: EventObject;
  /** The event as path names show it. */
  label: string;
  /** The model state after the event (the initial state for the first step, `xstate.init`). */
  snapshot: TimedSnapshot;
}

export interface ModelPath {
  machine: AnyStateMachine;
  seed: Seed;
  name: string;
  /** Which generator found it first. */
  origin: 'shortest' | 'simple' | 'edge';
  steps: PathStep[];
}

export interface MachinePaths {
  machine: AnyStateMachine;
  /** Event types the chart listens for. */
  eventTypes: number;
  /** As found by getShortestPaths / getSimplePaths over every seed, before prefixes are dropped. */
  shortest: number;
  simple: number;
  /** Edges of the graph on none of those, each added as one more step after a shortest path. */
  edges: number;
  /** What is replayed. */
  paths: ModelPath[];
}

type Path = StatePath<TimedSnapshot, EventObject>;

/** The events the chart can take in a model state: those an active node listens for, and whose sender exists. */
function enabledEvents(machine: AnyStateMachine, snapshot: TimedSnapshot, labels: Map<string, string>): EventObject[] {
  if (snapshot.status !== 'active') return [];
  const declared = new Set(getNextTransitions(snapshot.machine).map((t) => t.eventType));
  const armed = dueFirst(snapshot);
  return eventsOf(machine, snapshot.machine.context)
    .filter(({ event }) => {
      if (!declared.has(event.type)) return false;
      const kind = kindOf(event.type);
      // Only an armed timer fires, the one due first; only a running actor reports a result.
      if (kind === 'timer') return armed.has(event.type);
      if (kind === 'actorDone' || kind === 'actorError') return actorIdOf(event.type)! in snapshot.machine.children;
      return true;
    })
    .map(({ event, label }) => {
      labels.set(JSON.stringify(event), eventLabel(event.type, label));
      return event;
    });
}

/** Every path of one chart, over all its seeds. */
export function pathsOf(machine: AnyStateMachine): MachinePaths {
  const model = modelOf(machine.id);
  const result: MachinePaths = { machine, eventTypes: eventTypesOf(machine).length, shortest: 0, simple: 0, edges: 0, paths: [] };
  const labels = new Map<string, string>();
  for (const seed of model.seeds) {
    const clock = new SimulatedClock();
    clock.set(START);
    const logic = timedLogic(scripted(machine, clock));
    const serializeState = (s: TimedSnapshot) => JSON.stringify([s.status, s.machine.value, model.relevant(s.machine), armedTypes(s)]);
    const bounded = (s: TimedSnapshot) => model.bound?.(s.machine.context) ?? false;
    const options = {
      input: seed.input,
      events: (s: TimedSnapshot) => enabledEvents(machine, s, labels),
      serializeState,
      stopWhen: bounded,
      // A safety net, not a bound: the traversal throws past it.
      limit: 20_000,
    };
    const shortest = getShortestPaths(logic, options);
    const simple = getSimplePaths(logic, {
      ...options,
      serializeState: (s) => `${serializeState(s)} after ${JSON.stringify(s.trail)}`,
      stopWhen: (s) => bounded(s) || s.trail.indexOf(s.trail.at(-1)!) < s.trail.length - 1,
    });
    const edges = edgePaths(getAdjacencyMap(logic, options), shortest, simple, serializeState, (s) => model.edgeContext?.(s.machine) ?? null);
    result.shortest += shortest.length;
    result.simple += simple.length;
    result.edges += edges.length;
    const prefix = `${machine.id}${model.seeds.length > 1 ? `[${seed.label}]` : ''}: `;
    result.paths.push(...withoutPrefixes(shortest, simple, edges).map(({ path, origin }) => toModelPath(machine, seed, prefix, labels, path, origin)));
  }
  result.paths.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return result;
}

/**
 * The graph's edges no path takes yet, each as the shortest path to its source plus the edge. An
 * edge is a state value, an event and the value it leads to (plus the context a chart's model says
 * tells guarded branches apart, `edgeContext`): a shortest path reaches each state
 * once, by one way in, so `retrying --sync.trigger--> syncing` (syncing is reached sooner from idle)
 * or the drained queue's `always` (conflicts) would otherwise never be replayed.
 */
function edgePaths(adjacency: AdjacencyMap<TimedSnapshot, EventObject>, shortest: Path[], simple: Path[], serialize: (s: TimedSnapshot) => string, relevant: (s: TimedSnapshot) => unknown): Path[] {
  const edgeKey = (from: TimedSnapshot, event: EventObject, to: TimedSnapshot) => JSON.stringify([from.machine.value, event, to.machine.value, relevant(to)]);
  const taken = new Set<string>();
  for (const path of [...shortest, ...simple]) {
    for (let i = 1; i < path.steps.length; i += 1) taken.add(edgeKey(path.steps[i - 1]!.state, path.steps[i]!.event, path.steps[i]!.state));
  }
  const shortestTo = new Map(shortest.map((p) => [serialize(p.state), p]));
  const added: Path[] = [];
  for (const [key, { state, transitions }] of Object.entries(adjacency)) {
    // Keys are branded strings, which Object.values does not see through.
    for (const { event, state: next } of Object.values(transitions) as { event: EventObject; state: TimedSnapshot }[]) {
      const edge = edgeKey(state, event, next);
      const head = shortestTo.get(key);
      if (taken.has(edge) || !head) continue;
      taken.add(edge);
      added.push({ state: next, steps: [...head.steps, { state: next, event }], weight: head.weight + 1 });
    }
  }
  return added;
}

function withoutPrefixes(shortest: Path[], simple: Path[], edges: Path[]): { path: Path; origin: ModelPath['origin'] }[] {
  const byKey = new Map<string, { path: Path; events: string[]; origin: ModelPath['origin'] }>();
  for (const [origin, paths] of [['shortest', shortest], ['simple', simple], ['edge', edges]] as const) {
    for (const path of paths) {
      const events = path.steps.slice(1).map((s) => JSON.stringify(s.event));
      if (!byKey.has(events.join('\n'))) byKey.set(events.join('\n'), { path, events, origin });
    }
  }
  // Longest first: a path is kept unless a kept one starts with all of its events.
  const prefixes = new Set<string>();
  const kept: { path: Path; origin: ModelPath['origin'] }[] = [];
  for (const entry of [...byKey.values()].sort((a, b) => b.events.length - a.events.length)) {
    if (prefixes.has(entry.events.join('\n'))) continue;
    kept.push(entry);
    for (let i = 0; i <= entry.events.length; i += 1) prefixes.add(entry.events.slice(0, i).join('\n'));
  }
  return kept;
}

function toModelPath(machine: AnyStateMachine, seed: Seed, prefix: string, labels: Map<string, string>, path: Path, origin: ModelPath['origin']): ModelPath {
  const steps = path.steps.map((s, i) => ({
    event: s.event,
    label: i === 0 ? 'xstate.init' : (labels.get(JSON.stringify(s.event)) ?? s.event.type),
    snapshot: s.state,
  }));
  const name = prefix + steps.map((s, i) => `${i === 0 ? '' : ` --${s.label}--> `}${stateLabel(s.snapshot.machine.value)}`).join('');
  return { machine, seed, name, origin, steps };
}
