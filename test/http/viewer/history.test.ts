import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { pageModule, type HistoryModule } from './assets.ts';

const history = await pageModule<HistoryModule>('history.js');

const T0 = Date.UTC(2026, 11, 7, 5, 0, 0);
const iso = (s: number) => new Date(T0 + s * 1000).toISOString();
const ACTORS = ['connection', 'syncCycle'];

/** A trace's steps: the connection opens, a catch-up runs, the socket drops and reopens. */
function traceSteps() {
  return [
    { id: 10, at: iso(1), actor: 'connection', event: { type: 'connection.start' }, from: 'init', to: 'link.connecting', context: { connectedAt: null } },
    { id: 11, at: iso(2), actor: 'connection', event: { type: 'socket.opened' }, from: 'link.connecting', to: 'link.open', context: { connectedAt: T0 + 2000 } },
    { id: 12, at: iso(2), actor: 'syncCycle', event: { type: 'sync.catchUp', cause: 'socket.opened' }, from: 'idle', to: 'syncing', context: { nextSyncAt: null } },
    { id: 13, at: iso(3), actor: 'syncCycle', event: { type: 'xstate.done.actor.runSync' }, from: 'syncing', to: 'idle', context: { nextSyncAt: T0 + 60_000 } },
    { id: 14, at: iso(9), actor: 'connection', event: { type: 'socket.closed' }, from: 'link.open', to: 'backingOff', context: { connectedAt: null } },
  ];
}

describe('history.js (the state-at-time index)', () => {
  it('reads rows of the trace, the journal route (event as a string, no context) and the stream alike', () => {
    const [traceStep] = traceSteps();
    expect(history.toStep(traceStep)).toMatchObject({ key: '#10', id: 10, at: T0 + 1000, actor: 'connection', type: 'connection.start', from: 'init', to: 'link.connecting', context: { connectedAt: null }, cause: null });
    expect(history.toStep({ id: 3, at: iso(0), actor: 'agent', event: 'agent.start', from: null, to: 'running' })).toMatchObject({ key: '#3', type: 'agent.start', event: { type: 'agent.start' }, from: null, context: null });
    // The journal route and the stream: the type as `event`, the event itself as `payload`.
    expect(history.toStep({ id: 4, at: iso(0), actor: 'syncCycle', event: 'sync.catchUp', payload: { type: 'sync.catchUp', cause: 'seq.gap' }, from: 'idle', to: 'syncing', context: { nextSyncAt: null } }))
      .toMatchObject({ type: 'sync.catchUp', event: { type: 'sync.catchUp', cause: 'seq.gap' }, cause: 'seq.gap', context: { nextSyncAt: null } });
    expect(history.toStep({ id: 5, at: iso(0), actor: 'agent', event: 'agent.start', payload: null, from: null, to: 'running', context: null })).toMatchObject({ type: 'agent.start', event: { type: 'agent.start' }, context: null });
    const streamed = history.toStep({ at: iso(5), actor: 'agent', event: 'agent.start', from: null, to: 'running' });
    expect(streamed).toMatchObject({ id: null, key: `${T0 + 5000}|agent|agent.start|null|running` });
    for (const bad of [null, 'x', {}, { actor: 'a', to: 's', at: 'not a date', event: 'e' }, { actor: 'a', to: 's', at: iso(0), event: { kind: 1 } }]) expect(history.toStep(bad)).toBeNull();
  });

  it('keeps steps in journal order, whatever order they arrive in, and each once', () => {
    const h = history.createHistory();
    const rows = traceSteps();
    expect(history.addRows(h, [rows[3], rows[1]]).map((s) => s.id)).toEqual([13, 11]);
    expect(history.addRows(h, rows).map((s) => s.id)).toEqual([10, 12, 14]);
    expect(h.steps.map((s) => s.id)).toEqual([10, 11, 12, 13, 14]);
    // A streamed row without an id goes last, as it came; seen again, it is skipped.
    const live = { at: iso(20), actor: 'syncCycle', event: 'sync.trigger', from: 'idle', to: 'syncing' };
    history.addRows(h, [live, live]);
    expect(h.steps.map((s) => s.id)).toEqual([10, 11, 12, 13, 14, null]);
  });

  it('puts steps with ids in id order for any arrival order (property)', () => {
    fc.assert(fc.property(fc.shuffledSubarray(traceSteps(), { minLength: 1 }), fc.shuffledSubarray(traceSteps()), (first, second) => {
      const h = history.createHistory();
      history.addRows(h, first);
      history.addRows(h, second);
      const ids = h.steps.map((s) => s.id!);
      return ids.every((id, i) => i === 0 || ids[i - 1]! < id) && new Set(ids).size === new Set([...first, ...second].map((r) => r.id)).size;
    }));
  });

  it('gives every actor as it was right after a chosen step: state and context', () => {
    const h = history.createHistory();
    history.addRows(h, traceSteps());
    history.setStarts(h, { connection: { machine: 'connection', start: { state: 'init', context: { connectedAt: null } } }, syncCycle: { machine: 'syncCycle', start: { state: 'idle', context: { nextSyncAt: null } } } });
    const at = (key: string) => history.stateAt(h, history.indexOfKey(h, key), ACTORS);
    // After the socket opened, before the catch-up: the sync cycle is still at its start.
    expect(at('#11').get('connection')).toMatchObject({ state: 'link.open', context: { connectedAt: T0 + 2000 } });
    expect(at('#11').get('syncCycle')).toEqual({ state: 'idle', context: { nextSyncAt: null }, step: null });
    expect(at('#12').get('syncCycle')).toMatchObject({ state: 'syncing', step: { id: 12 } });
    expect(at('#14').get('connection')).toMatchObject({ state: 'backingOff', context: { connectedAt: null } });
    expect(at('#14').get('syncCycle')).toMatchObject({ state: 'idle', context: { nextSyncAt: T0 + 60_000 } });
    expect(history.stepsBefore(h, history.indexOfKey(h, '#13'), 'connection', 5).map((s) => s.id)).toEqual([11, 10]);
    expect(history.stepsBefore(h, 4, 'connection', 1).map((s) => s.id)).toEqual([14]);
  });

  it('without recorded starts, takes an actor\'s state from its next step, or from now when it has none', () => {
    const h = history.createHistory();
    history.addRows(h, traceSteps().map(({ context: _, ...row }) => ({ ...row, event: row.event.type })));
    const live = new Map([['agent', { state: 'running', context: { startedAt: T0 } }]]);
    const moment = history.stateAt(h, 0, [...ACTORS, 'agent'], live);
    expect(moment.get('connection')).toMatchObject({ state: 'link.connecting', context: null });
    expect(moment.get('syncCycle')).toEqual({ state: 'idle', context: null, step: null });
    expect(moment.get('agent')).toEqual({ state: 'running', context: { startedAt: T0 }, step: null });
  });

  it('names the active paths of a state string, ancestors first, each region of a parallel state', () => {
    expect(history.pathsOf('idle')).toEqual(['idle']);
    expect(history.pathsOf('link.open')).toEqual(['link', 'link.open']);
    expect(history.pathsOf('a.x.y,b.z')).toEqual(['a', 'a.x', 'a.x.y', 'b', 'b.z']);
    expect(history.pathsOf(null)).toEqual([]);
  });
});

describe('history.js: the stream and the journal describe one transition once', () => {
  it('lets a journal row take the place of the same streamed row without an id, and keeps distinct journal rows', () => {
    const h = history.createHistory();
    const streamed = { at: new Date(T0).toISOString(), actor: 'syncCycle', event: 'sync.catchUp', from: 'syncing', to: 'syncing' };
    history.addRows(h, [streamed]);
    history.addRows(h, [{ ...streamed, id: 40 }, { ...streamed, id: 41 }, streamed]);
    expect(h.steps.map((s) => s.id)).toEqual([40, 41]);
  });
});

describe('history.js: a page left open keeps a bounded history', () => {
  it('keeps the newest steps, and forgets the dropped ones so they could come back', () => {
    const h = history.createHistory();
    const rows = Array.from({ length: 10 }, (_, i) => ({ id: i + 1, at: new Date(T0 + i).toISOString(), actor: 'agent', event: 'agent.tick', from: 'a', to: 'a' }));
    history.addRows(h, rows);
    history.keepLast(h, 3);
    expect(h.steps.map((s) => s.id)).toEqual([8, 9, 10]);
    expect(h.keys.size).toBe(3);
    expect(history.addRows(h, [rows[0]]).map((s) => s.id)).toEqual([1]);
    expect(h.steps.map((s) => s.id)).toEqual([1, 8, 9, 10]);
  });
});
