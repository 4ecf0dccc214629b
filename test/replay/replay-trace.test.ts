import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import type { AnyStateMachine } from 'xstate';
import { loadMachines } from '../../src/viz/registry.ts';
import { describeDifference, replayTrace } from '../../src/replay/replay-trace.ts';
import type { Trace } from '../../src/replay/trace-format.ts';

// Edge cases of replay, on copies of the real run's trace edited the way the field can differ.

const base = JSON.parse(readFileSync(new URL('../traces/restart-and-throttle.json', import.meta.url), 'utf8')) as Trace;
const charts = async () => new Map<string, AnyStateMachine>((await loadMachines()).map((m) => [m.id, m] as const));
const indexOf = (trace: Trace, actor: string, type: string) => trace.steps.findIndex((s) => s.actor === actor && s.event.type === type);

describe('replayTrace', () => {
  it('takes a step whose payload was too large to journal as not replayable, picks the actor up from its context and goes on', async () => {
    const trace = structuredClone(base);
    const i = indexOf(trace, 'ratingSync', 'xstate.done.actor.uploadRatings');
    trace.steps[i]!.event = { type: 'xstate.done.actor.uploadRatings', truncated: true };
    const report = replayTrace(trace, await charts());
    expect(report.difference).toBeUndefined();
    expect(report.skipped).toEqual([{ number: i + 1, step: trace.steps[i], reason: 'the event was too large to journal' }]);
    expect(report.compared).toBe(trace.steps.length - 1);
  });

  it('does not hold the chart to times: deadlines computed a few milliseconds apart, or with jitter, agree', async () => {
    const trace = structuredClone(base);
    for (const step of trace.steps) {
      if (step.actor === 'connection' && step.context && typeof step.context.nextAttemptAt === 'number') step.context.nextAttemptAt += 137;
    }
    expect(replayTrace(trace, await charts()).difference).toBeUndefined();
  });

  it('starts an actor whose start has no context at its first step with one, and reports the steps before as not replayable', async () => {
    const trace = structuredClone(base);
    const first = indexOf(trace, 'conflicts', 'xstate.init');
    trace.steps.splice(first, 1);
    trace.actors.conflicts!.start = { state: 'idle', context: null };
    trace.steps.push({ ...structuredClone(base.steps[first]!), id: 10_000, event: { type: 'conflict.resolveAll', strategy: 'remote' }, from: 'idle', to: 'resolving' });
    const report = replayTrace(trace, await charts());
    expect(report.difference).toBeUndefined();
    expect(report.skipped.map((s) => s.reason)).toEqual(['the actor state before it is unknown (no recorded context)']);
  });

  it('reports a step taken from another state than the chart is in, and an actor restored elsewhere than the chart left it', async () => {
    const from = structuredClone(base);
    const flush = indexOf(from, 'ratingSync', 'ratings.flush');
    from.steps[flush]!.from = 'uploading';
    expect(describeDifference(replayTrace(from, await charts()).difference!)).toBe(`step ${flush + 1} (ratingSync, ratings.flush): expected to start from uploading, chart gives idle`);

    const restored = structuredClone(base);
    const last = restored.steps.at(-1)!;
    restored.steps.push({ ...structuredClone(last), id: last.id + 1, event: { type: 'xstate.init' }, from: 'syncing', to: 'syncing' });
    expect(describeDifference(replayTrace(restored, await charts()).difference!)).toBe(`step ${restored.steps.length} (syncCycle, xstate.init): expected to restore in syncing, chart gives idle`);
  });

  it('skips the steps of an actor whose chart this atom-sync does not have', async () => {
    const trace = structuredClone(base);
    trace.actors.conflicts!.machine = 'retired';
    const report = replayTrace(trace, await charts());
    expect(report.difference).toBeUndefined();
    expect(report.skipped.map((s) => s.reason)).toEqual(trace.steps.filter((s) => s.actor === 'conflicts').map(() => "no chart 'retired' in machines/"));
  });
});
