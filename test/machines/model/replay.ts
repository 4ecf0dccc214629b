import { createActor, SimulatedClock, type AnyMachineSnapshot, type EventObject, type InspectionEvent } from 'xstate';
import { transitionKey, type Observed } from './coverage.ts';
import { kindOf } from '../../../src/replay/chart-events.ts';
import { violations } from './invariants.ts';
import { stateLabel } from './labels.ts';
import { START, type ModelPath } from './paths.ts';
import { scripted, type Recorded } from '../../../src/replay/scripted.ts';
import { armedTypes } from './timed-logic.ts';

// A path replayed against a live actor of the chart, provided with the scripted implementations
// (src/replay/scripted.ts) and a simulated clock. Events are sent as they are, actor results included (the
// stubs never settle); a `xstate.after.*` step is reached by moving the clock to the moment its
// timer is due, so the interpreter fires the timer it armed itself. After every step: the state
// value is the path's, the armed timers are the model's, and the chart's invariants hold. What the
// interpreter did, microstep by microstep, feeds the coverage gate.

interface Timer {
  type: string;
  due: number;
}

/** Replays `path`; throws at the first step that differs from it or breaks an invariant. */
export function replay(path: ModelPath, observed?: Observed): void {
  const clock = new SimulatedClock();
  clock.set(START);
  const recorded: Recorded[] = [];
  // Delayed events the interpreter armed, by send id (their due time is only known when armed).
  const timers = new Map<string, Timer>();
  const inspect = (ev: InspectionEvent) => {
    // The chart's own actor only (its initial microsteps run while createActor builds it).
    if (ev.actorRef.sessionId !== ev.rootId) return;
    if (ev.type === '@xstate.microstep') {
      for (const node of (ev.snapshot as AnyMachineSnapshot)._nodes) observed?.states.add(node.id);
      for (const t of ev._transitions) {
        observed?.transitions.add(transitionKey(t));
        // A transient source (init, failing) is in no snapshot: its transition says it was active.
        observed?.states.add(t.source.id);
      }
    }
    if (ev.type === '@xstate.action') {
      const params = ev.action.params as { delay?: number; id?: string; event?: EventObject; sendId?: string } | undefined;
      if (ev.action.type === 'xstate.raise' && params?.delay !== undefined && params.id && params.event) {
        timers.set(params.id, { type: params.event.type, due: clock.now() + params.delay });
      }
    }
  };
  const actor = createActor(scripted(path.machine, clock, (r) => recorded.push(r)), { input: path.seed.input as never, clock, inspect });
  /** Armed now: fired and canceled timers are gone from the system's schedule. */
  const armed = (): [string, Timer][] => {
    const scheduled = Object.values(actor.system.getSnapshot()._scheduledEvents).filter((e) => e.source === actor);
    return scheduled.map((e) => [e.id, timers.get(e.id) ?? { type: e.event.type, due: Number.NaN }]);
  };

  let previous: AnyMachineSnapshot | undefined;
  path.steps.forEach((step, i) => {
    const fail = (message: string): never => {
      throw new Error(`step ${i} (${step.label}): ${message}\n  path: ${path.name}`);
    };
    recorded.length = 0;
    if (i === 0) {
      actor.start();
      for (const node of actor.getSnapshot()._nodes) observed?.states.add(node.id);
    } else if (kindOf(step.event.type) === 'timer') {
      const now = armed();
      const target = now.find(([, t]) => t.type === step.event.type);
      if (!target) fail(`no timer for it is armed (armed: ${now.map(([, t]) => t.type).join(', ') || 'none'})`);
      const [id, { due }] = target!;
      const sooner = now.filter(([other, t]) => other !== id && t.due <= due);
      if (sooner.length) fail(`${sooner.map(([, t]) => t.type).join(', ')} would fire first: give the delays distinct numbers in src/replay/scripted.ts`);
      clock.set(due);
    } else {
      actor.send(step.event);
    }
    const snapshot = actor.getSnapshot() as AnyMachineSnapshot;
    if (snapshot.status === 'error') fail(`the actor failed: ${String(snapshot.error)}`);
    const expected = step.snapshot.machine;
    if (JSON.stringify(snapshot.value) !== JSON.stringify(expected.value) || snapshot.status !== expected.status) {
      fail(`expected ${stateLabel(expected.value)} (${expected.status}), the actor is in ${stateLabel(snapshot.value)} (${snapshot.status})`);
    }
    const interpreterTimers = armed().map(([, t]) => t.type).sort();
    if (snapshot.status === 'active' && JSON.stringify(interpreterTimers) !== JSON.stringify(armedTypes(step.snapshot))) {
      fail(`armed timers ${JSON.stringify(interpreterTimers)}, the model expects ${JSON.stringify(armedTypes(step.snapshot))}`);
    }
    const broken = violations(path.machine.id, { snapshot, previous, event: step.event, now: clock.now(), recorded: [...recorded] });
    if (broken.length) fail(`invariant broken: ${broken.join('; ')}`);
    previous = snapshot;
  });
  actor.stop();
}
