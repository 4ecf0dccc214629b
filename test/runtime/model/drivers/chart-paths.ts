import type { AnyActorRef, AnyMachineSnapshot, AnyStateMachine, EventObject, InspectionEvent } from 'xstate';
import { getAdjacencyMap, getShortestPaths, getStateNodes } from 'xstate/graph';
import { failureOf } from '../../../../machines/failure.ts';
import { stateString } from '../../../../src/runtime/actor-host.ts';

// Paths through a chart, derived with xstate/graph, and their replay against the runtime actor
// driven from outside: each chart event is caused for real by a driver (drivers/*-drivers.ts).

/** Every event type the chart's state nodes take: after-delays and invoke results included. */
export function chartEventTypes(machine: AnyStateMachine): string[] {
  const nodes = [machine.root, ...getStateNodes(machine.root)];
  return [...new Set(nodes.flatMap((node) => [...node.transitions.keys()]))].sort();
}

/** The full event list for the traversal: a stub payload where the chart reads one, else `{ type }`. */
export function chartEvents(machine: AnyStateMachine, stubs: Record<string, EventObject[]>): EventObject[] {
  return chartEventTypes(machine).flatMap((type) => stubs[type] ?? [{ type }]);
}

/** An event as the tests name and compare it: the type, plus the failure kind of an actor error. */
export function eventSignature(event: EventObject): string {
  const type = event.type.startsWith('xstate.error.actor.') ? `${event.type}(${failureOf((event as { error?: unknown }).error).kind})` : event.type;
  return type;
}

/** A short label for test names: `after untilRetry`, `error runSync(transient)`, `done runSync`. */
export function shortLabel(event: EventObject): string {
  return eventSignature(event)
    .replace(/^xstate\.after\.(\w+)\..*$/, 'after $1')
    .replace(/^xstate\.done\.actor\./, 'done ')
    .replace(/^xstate\.error\.actor\./, 'error ');
}

export interface ChartStep {
  event: EventObject;
  /** The state before the event and after it, as the pure chart computes them. */
  from: AnyMachineSnapshot;
  state: AnyMachineSnapshot;
}

export interface ChartPath {
  name: string;
  initial: AnyMachineSnapshot;
  steps: ChartStep[];
}

/** An edge of the chart that no driver can cause from outside, and why. */
export interface UndrivableEdge {
  edge: string;
  reason: string;
}

export interface PathOptions {
  input: unknown;
  events: EventObject[];
  /** What must match between the chart and the runtime at every step: the state value and the counters that steer guards. */
  project: (snapshot: AnyMachineSnapshot) => Record<string, unknown>;
  /** Event types left out of the search for shortest paths (each still gets its own edge paths). */
  notOnTheWay?: string[];
  /** Why an event cannot be caused from outside in a state; undefined when it can. */
  undrivable: (from: AnyMachineSnapshot, event: EventObject) => string | undefined;
  limit?: number;
}

const valueOf = (snapshot: AnyMachineSnapshot): string => stateString(snapshot.value);
const edgeName = (from: AnyMachineSnapshot, event: EventObject, to: AnyMachineSnapshot) => `${valueOf(from)} —${shortLabel(event)}→ ${valueOf(to)}`;

/**
 * Shortest paths to every state (getShortestPaths over the projection), extended so that every
 * edge of the chart (source state, event, target state) is taken once: the shortest path to a
 * state where the edge starts, plus that edge. Paths that are a prefix of another are dropped:
 * the longer one replays the same steps.
 */
export function chartPaths(machine: AnyStateMachine, options: PathOptions): { paths: ChartPath[]; undrivable: UndrivableEdge[] } {
  // States are told apart by the projection, which must keep the state space finite.
  const serializeState = (snapshot: AnyMachineSnapshot) => JSON.stringify(options.project(snapshot));
  const skip = new Set(options.notOnTheWay ?? []);
  const limit = options.limit ?? 5000;
  // The full list, narrowed in each state to the events its state nodes take (as xstate/graph's
  // default does when given no list).
  const events = (snapshot: AnyMachineSnapshot) => {
    const own = new Set((snapshot as unknown as { _nodes: AnyStateMachine['root'][] })._nodes.flatMap((node) => [...node.transitions.keys()]));
    return options.events.filter((event) => own.has(event.type));
  };
  const shortest = getShortestPaths(machine as never, {
    input: options.input,
    events,
    serializeState,
    limit,
    filterEvents: (snapshot: AnyMachineSnapshot, event: EventObject) => !skip.has(event.type) && options.undrivable(snapshot, event) === undefined,
  } as never) as unknown as { state: AnyMachineSnapshot; steps: { event: EventObject; state: AnyMachineSnapshot }[] }[];
  const adjacency = getAdjacencyMap(machine as never, { input: options.input, events, serializeState, limit } as never) as unknown as Record<
    string,
    { transitions: Record<string, { event: EventObject; state: AnyMachineSnapshot }> }
  >;

  const initial = shortest[0]!.steps[0]!.state;
  const byEdge = new Map<string, ChartStep[]>();
  const undrivable = new Map<string, string>();
  for (const path of shortest) {
    // steps[0] is xstate.init; every later step is one event.
    const steps: ChartStep[] = path.steps.slice(1).map((step, i) => ({ event: step.event, from: path.steps[i]!.state, state: step.state }));
    for (const { event, state: next } of Object.values(adjacency[serializeState(path.state)]?.transitions ?? {})) {
      const edge = edgeName(path.state, event, next);
      const reason = options.undrivable(path.state, event);
      if (reason !== undefined) {
        undrivable.set(edge, reason);
        continue;
      }
      const candidate = [...steps, { event, from: path.state, state: next }];
      const known = byEdge.get(edge);
      if (!known || candidate.length < known.length) byEdge.set(edge, candidate);
    }
  }

  const signature = (steps: ChartStep[]) => steps.map((s) => `${eventSignature(s.event)}>${serializeState(s.state)}`);
  const all = [...byEdge.values()].sort((a, b) => b.length - a.length);
  const kept: ChartStep[][] = [];
  for (const steps of all) {
    const sig = signature(steps);
    const isPrefix = kept.some((longer) => {
      const other = signature(longer);
      return sig.every((s, i) => other[i] === s);
    });
    if (!isPrefix) kept.push(steps);
  }
  const paths = kept
    .map((steps) => ({ name: pathName(initial, steps), initial, steps }))
    .sort((a, b) => a.steps.length - b.steps.length || a.name.localeCompare(b.name));
  // An edge is undrivable only if no state it starts from lets a driver cause it.
  for (const edge of byEdge.keys()) undrivable.delete(edge);
  return { paths, undrivable: [...undrivable].map(([edge, reason]) => ({ edge, reason })).sort((a, b) => a.edge.localeCompare(b.edge)) };
}

function pathName(initial: AnyMachineSnapshot, steps: ChartStep[]): string {
  return [valueOf(initial), ...steps.map((s) => `—${shortLabel(s.event)}→ ${valueOf(s.state)}`)].join(' ');
}

/** One processed event of a runtime actor, with the state it led to. */
export interface Processed {
  event: EventObject;
  value: string;
  at: number;
}

/**
 * Every event the runtime actor processed, as the inspection API reports it. Follows the actor
 * across agent restarts (`attach` the new one).
 */
export class EventRecorder {
  readonly processed: Processed[] = [];
  private readonly listeners = new Set<(p: Processed, actor: AnyActorRef) => void>();

  private readonly now: () => number;

  constructor(now: () => number) {
    this.now = now;
  }

  attach(actor: AnyActorRef): void {
    actor.system.inspect((event: InspectionEvent) => {
      if (event.type !== '@xstate.snapshot' || event.actorRef !== actor) return;
      const processed = { event: event.event, value: stateString((event.snapshot as AnyMachineSnapshot).value), at: this.now() };
      this.processed.push(processed);
      for (const listener of this.listeners) listener(processed, actor);
    });
  }

  /** Called synchronously inside each transition (to set a proxy before the next I/O starts). */
  onProcessed(listener: (p: Processed, actor: AnyActorRef) => void): void {
    this.listeners.add(listener);
  }

  mark(): number {
    return this.processed.length;
  }

  /** Waits until an event with this signature was processed after `mark`. */
  async waitFor(signature: string, mark: number, timeoutMs: number): Promise<Processed> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const hit = this.processed.slice(mark).find((p) => eventSignature(p.event) === signature);
      if (hit) return hit;
      if (Date.now() > deadline) {
        const seen = this.processed.slice(mark).map((p) => `${eventSignature(p.event)} → ${p.value}`);
        throw new Error(`the runtime actor did not process ${signature} within ${timeoutMs} ms; it processed: [${seen.join(', ')}]`);
      }
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  }
}

/** How one chart event is caused for real. */
export interface Driver<W> {
  /** What happens in the real world (README and report). */
  how: string;
  /** Why the event cannot be caused from outside in this state (undefined: it can). */
  impossible?: (from: AnyMachineSnapshot) => string | undefined;
  drive(world: W, step: { event: EventObject; from: AnyMachineSnapshot; to: AnyMachineSnapshot }): Promise<void>;
}

export type DriverTable<W> = Record<string, Driver<W>>;

/** The `undrivable` option of chartPaths for a drivers table. */
export function undrivableBy<W>(table: DriverTable<W>) {
  return (from: AnyMachineSnapshot, event: EventObject): string | undefined => table[event.type]?.impossible?.(from);
}

/** The driver of an event type, or an error naming the event: a new transition is never skipped silently. */
export function driverFor<W>(table: DriverTable<W>, type: string, tableName: string): Driver<W> {
  const driver = table[type];
  if (!driver) throw new Error(`no real-world driver for chart event "${type}": add one to ${tableName}`);
  return driver;
}

export interface ReplayOptions<W> {
  world: W;
  table: DriverTable<W>;
  tableName: string;
  /** The runtime actor now (it changes when a driver restarts the agent). */
  actor: () => AnyActorRef;
  recorder: EventRecorder;
  project: (snapshot: AnyMachineSnapshot) => Record<string, unknown>;
  /** Runs before each step's driver: puts the world in the resting mode the step's target needs. */
  before?: (step: ChartStep) => Promise<void>;
  timeoutMs?: number;
}

/**
 * Replays a path: for each step the driver causes the event for real, the runtime actor must
 * process an event with the same signature, and its snapshot must reach the step's state and
 * counters (a bounded poll).
 */
export async function replay<W>(path: ChartPath, options: ReplayOptions<W>): Promise<void> {
  const timeoutMs = options.timeoutMs ?? 5000;
  await reach(options, path.initial, 'the initial state', timeoutMs);
  for (const [i, step] of path.steps.entries()) {
    const where = `step ${i + 1} (${edgeName(step.from, step.event, step.state)})`;
    const driver = driverFor(options.table, step.event.type, options.tableName);
    await options.before?.(step);
    const mark = options.recorder.mark();
    await driver.drive(options.world, { event: step.event, from: step.from, to: step.state });
    try {
      await options.recorder.waitFor(eventSignature(step.event), mark, timeoutMs);
    } catch (error) {
      throw new Error(`${where}: ${(error as Error).message}`);
    }
    await reach(options, step.state, where, timeoutMs);
  }
}

async function reach<W>(options: ReplayOptions<W>, expected: AnyMachineSnapshot, where: string, timeoutMs: number): Promise<void> {
  const want = JSON.stringify(options.project(expected));
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const got = JSON.stringify(options.project(options.actor().getSnapshot() as AnyMachineSnapshot));
    if (got === want) return;
    if (Date.now() > deadline) throw new Error(`${where}: expected the runtime actor at ${want}, observed ${got}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
