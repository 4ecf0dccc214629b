import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { pageModule, type CausesModule, type HistoryModule, type TimeFormatModule } from './assets.ts';

// The page's time-travel index and causal hints on a trace a real run produced (a platform restart
// and a throttled sync; test/traces/, exported by GET /api/admin/trace).

const history = await pageModule<HistoryModule>('history.js');
const causes = await pageModule<CausesModule>('causes.js');
const time = await pageModule<TimeFormatModule>('time-format.js');

interface TraceStep { id: number; actor: string; from: string | null; to: string; event: { type: string }; context: Record<string, unknown> | null }
const trace = JSON.parse(readFileSync(new URL('../../traces/restart-and-throttle.json', import.meta.url), 'utf8')) as {
  actors: Record<string, { start: { state: string; context: Record<string, unknown> } }>;
  steps: TraceStep[];
};
const ACTORS = Object.keys(trace.actors);

function load() {
  const h = history.createHistory();
  history.addRows(h, [...trace.steps].reverse()); // any arrival order
  history.setStarts(h, trace.actors);
  return h;
}

describe('the viewer on a field trace (restart and throttle)', () => {
  it('rebuilds, after every step, the stepping actor as the trace recorded it and every other actor as its own last step left it', () => {
    const h = load();
    expect(h.steps.map((s) => s.id)).toEqual(trace.steps.map((s) => s.id));
    const last = new Map(ACTORS.map((id) => [id, { state: trace.actors[id]!.start.state, context: trace.actors[id]!.start.context }]));
    trace.steps.forEach((step, index) => {
      last.set(step.actor, { state: step.to, context: step.context! });
      const moment = history.stateAt(h, index, ACTORS);
      for (const id of ACTORS) expect({ state: moment.get(id)!.state, context: moment.get(id)!.context }, `#${step.id} ${id}`).toEqual(last.get(id));
    });
  });

  it('links every socket open to the catch-up it asked for, and marks the one after a seq gap', () => {
    const h = load();
    const links = causes.causalLinks(h.steps);
    const byKey = new Map(h.steps.map((s) => [s.key, s]));
    // One link per catch-up the runtime asked for with a cause, in journal order.
    const asked = trace.steps.map((s) => (s.event as { cause?: string }).cause).filter((cause) => cause !== undefined);
    expect(asked).toContain('seq.gap');
    expect(asked.filter((cause) => cause === 'socket.opened').length).toBeGreaterThanOrEqual(2);
    expect(links.map((l) => l.kind)).toEqual(asked);
    for (const link of links.filter((l) => l.kind === 'socket.opened')) {
      const open = byKey.get(link.cause!)!;
      const catchUp = byKey.get(link.effect)!;
      expect(open).toMatchObject({ actor: 'connection', to: 'link.open', from: 'link.connecting' });
      expect(Math.abs(catchUp.at - open.at)).toBeLessThanOrEqual(50);
    }
  });

  it('shows the throttle\'s deadline as a time', () => {
    // (A throttle with no Retry-After to honour records resumeAt: null, and so no deadline.)
    const throttled = trace.steps.filter((s) => s.event.type === 'sync.throttled' && (s.event as { resumeAt?: unknown }).resumeAt !== null);
    expect(throttled.length).toBeGreaterThan(0);
    for (const step of throttled) {
      const until = step.context!.throttledUntil;
      expect(time.isTimeField('throttledUntil', until), String(until)).toBe(true);
      expect(time.formatDateTime(until as number)).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/);
    }
  });
});
