import { describe, expect, it } from 'vitest';
import { createMachine } from 'xstate';
import { toMermaid } from '../../src/viz/mermaid.ts';
import { toSvg } from '../../src/viz/render.ts';
import { statePaths, withStateHooks } from '../../src/viz/state-hooks.ts';
import { demoMachine } from './fixture.ts';

const hooked = (svg: string) => [...svg.matchAll(/<g class="(node|subgraph)" data-id="([^"]*)" data-state="([^"]*)"/g)].map((m) => ({ kind: m[1], id: m[2], path: m[3] }));

describe('data-state hooks on a chart', () => {
  it('maps every drawn state to its path, nested and parallel states included', () => {
    expect(Object.fromEntries(statePaths(demoMachine))).toEqual({
      idle: 'idle',
      busy: 'busy',
      busy_fetch: 'busy.fetch',
      busy_fetch_loading: 'busy.fetch.loading',
      busy_fetch_loaded: 'busy.fetch.loaded',
      busy_timer: 'busy.timer',
      busy_timer_waiting: 'busy.timer.waiting',
      busy_timer_late: 'busy.timer.late',
      failed: 'failed',
      done: 'done',
    });
  });

  it('marks the box of every state once (leaves as nodes, compound and parallel states as subgraphs) and nothing else', () => {
    const svg = toSvg(toMermaid(demoMachine));
    const withHooks = withStateHooks(svg, statePaths(demoMachine));
    const found = hooked(withHooks);
    expect(found.map((h) => h.path).sort()).toEqual([...statePaths(demoMachine).values()].sort());
    expect(found.filter((h) => h.kind === 'subgraph').map((h) => h.path).sort()).toEqual(['busy', 'busy.fetch', 'busy.timer']);
    // Pseudo-states (start, end, "any state") get none; the rest of the SVG is untouched.
    expect(withHooks).toMatch(/<g class="node" data-id="root_any" data-label="any state"/);
    expect(withHooks.replace(/ data-state="[^"]*"/g, '')).toBe(svg);
  });

  it('tells apart states whose Mermaid ids were made unique (the reason the path is written out)', () => {
    // `a_b` and `a.b` both want the id a_b; the second becomes a_b_2.
    const machine = createMachine({ id: 'clash', initial: 'a_b', states: { a_b: { on: { go: 'a' } }, a: { initial: 'b', states: { b: {} } } } });
    expect(Object.fromEntries(statePaths(machine))).toEqual({ a_b: 'a_b', a: 'a', a_b_2: 'a.b' });
    const found = hooked(withStateHooks(toSvg(toMermaid(machine)), statePaths(machine)));
    expect(found.find((h) => h.path === 'a.b')?.id).toBe('a_b_2');
  });

  it('escapes a path that is not attribute-safe', () => {
    const svg = '<g class="node" data-id="x" data-label="x">';
    expect(withStateHooks(svg, new Map([['x', 'say "hi" & <go>']]))).toBe('<g class="node" data-id="x" data-state="say &quot;hi&quot; &amp; &lt;go&gt;" data-label="x">');
  });
});
