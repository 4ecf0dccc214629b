import { describe, expect, it } from 'vitest';
import { pageModule, type CausesModule, type FilterModule, type HistoryModule } from './assets.ts';

const causes = await pageModule<CausesModule>('causes.js');
const filter = await pageModule<FilterModule>('timeline-filter.js');
const history = await pageModule<HistoryModule>('history.js');

const T0 = Date.UTC(2026, 11, 7, 5, 0, 0);
const row = (id: number, s: number, actor: string, event: string | object, from: string | null, to: string) =>
  ({ id, at: new Date(T0 + s * 1000).toISOString(), actor, event, from, to });

function steps() {
  const h = history.createHistory();
  history.addRows(h, [
    row(1, 0, 'connection', 'connection.start', 'init', 'link.connecting'),
    row(2, 1, 'connection', 'socket.opened', 'link.connecting', 'link.open'),
    row(3, 1, 'syncCycle', { type: 'sync.catchUp', cause: 'socket.opened' }, 'idle', 'syncing'),
    row(4, 2, 'syncCycle', 'xstate.done.actor.runSync', 'syncing', 'idle'),
    row(5, 3, 'connection', 'connection.reconnect', 'link.open', 'link.connecting'),
    row(6, 4, 'connection', 'socket.opened', 'link.connecting', 'link.open'),
    row(7, 5, 'syncCycle', { type: 'sync.catchUp', cause: 'socket.opened' }, 'idle', 'syncing'),
    row(8, 6, 'syncCycle', { type: 'sync.catchUp', cause: 'seq.gap' }, 'syncing', 'syncing'),
    row(9, 7, 'syncCycle', 'sync.catchUp', 'syncing', 'syncing'),
    // As the agent journals a reopen: the catch-up it asks for first, then the open, same instant.
    row(10, 8, 'connection', 'socket.closed', 'link.open', 'backingOff'),
    row(11, 9, 'syncCycle', { type: 'sync.catchUp', cause: 'socket.opened' }, 'idle', 'syncing'),
    row(12, 9, 'connection', 'socket.opened', 'link.connecting', 'link.open'),
  ]);
  return h.steps;
}

describe('causes.js (causal hints)', () => {
  it('points a catch-up after a (re)open at the step that opened the socket, and marks one after a seq gap', () => {
    expect(causes.causalLinks(steps())).toEqual([
      { kind: 'socket.opened', cause: '#2', effect: '#3' },
      { kind: 'socket.opened', cause: '#6', effect: '#7' },
      { kind: 'seq.gap', cause: null, effect: '#8' },
      { kind: 'socket.opened', cause: '#12', effect: '#11' },
    ]);
  });

  it('says so when the opening step lies before the loaded range', () => {
    const [link] = causes.causalLinks(steps().slice(2));
    expect(link).toEqual({ kind: 'socket.opened', cause: null, effect: '#3' });
    expect(causes.describeLink(link!)).toMatch(/before this range/);
  });
});

describe('timeline-filter.js', () => {
  const all = { hidden: new Set<string>(), type: '', from: null, to: null };

  it('filters by actor, event type and time range (inclusive), and counts what matched', () => {
    const s = steps();
    expect(filter.visibleSteps(s, all).matched).toBe(12);
    expect(filter.visibleSteps(s, { ...all, hidden: new Set(['connection']) }).rows.map((x) => x.id)).toEqual([3, 4, 7, 8, 9, 11]);
    expect(filter.visibleSteps(s, { ...all, type: 'sync.catchUp' }).rows.map((x) => x.id)).toEqual([3, 7, 8, 9, 11]);
    expect(filter.visibleSteps(s, { ...all, from: T0 + 3000, to: T0 + 5000 }).rows.map((x) => x.id)).toEqual([5, 6, 7]);
  });

  it('can leave out the machines\' own xstate.* events', () => {
    expect(filter.visibleSteps(steps(), { ...all, type: filter.NOT_INTERNAL }).rows.map((x) => x.id)).toEqual([1, 2, 3, 5, 6, 7, 8, 9, 10, 11, 12]);
  });

  it('keeps the newest rows when more match than it draws', () => {
    expect(filter.visibleSteps(steps(), all, 2)).toMatchObject({ rows: [{ id: 11 }, { id: 12 }], matched: 12 });
  });

  it('offers every event type seen, sorted', () => {
    expect(filter.eventTypes(steps())).toEqual(['connection.reconnect', 'connection.start', 'socket.closed', 'socket.opened', 'sync.catchUp', 'xstate.done.actor.runSync']);
  });
});
