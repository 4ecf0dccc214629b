import { describe, expect, it } from 'vitest';
import { createMachine } from 'xstate';
import { toMermaid } from '../../src/viz/mermaid.ts';
import { demoMachine } from './fixture.ts';

describe('toMermaid', () => {
  it('draws nesting, parallel regions, guards, delays, always, finals and done events', () => {
    expect(toMermaid(demoMachine)).toBe(
      [
        '%% demo: generated from its XState definition by `npm run viz`; do not edit',
        'stateDiagram-v2',
        '  state "any state" as root_any',
        '  state "idle" as idle',
        '  state "busy" as busy {',
        '    state "fetch" as busy_fetch {',
        '      state "loading" as busy_fetch_loading',
        '      state "loaded" as busy_fetch_loaded',
        '      [*] --> busy_fetch_loading',
        '      busy_fetch_loaded --> [*]',
        '      busy_fetch_loading --> busy_fetch_loaded : done∶ work',
        '    }',
        '    --',
        '    state "timer" as busy_timer {',
        '      state "waiting" as busy_timer_waiting',
        '      state "late" as busy_timer_late',
        '      [*] --> busy_timer_waiting',
        '      busy_timer_late --> [*]',
        '      busy_timer_waiting --> busy_timer_late : after 500ms<br/>after patience [not isLate]',
        '    }',
        '  }',
        '  state "failed" as failed',
        '  state "done" as done',
        '  [*] --> idle',
        '  done --> [*]',
        // The root's own transition, valid in every state, leaves one pseudo-state.
        '  root_any --> idle : demo.reset',
        // Two transitions between the same states share an arrow; `always` comes last.
        '  idle --> busy : start<br/>always [isReady]',
        '  busy --> done : done∶ busy',
        // Crossing composites: written where both ends are visible. Targetless `noop` is not drawn.
        '  busy_fetch_loading --> failed : error∶ work',
        // Mermaid ends a label at `:` or `;`.
        '  failed --> idle : odd∶event,name',
        '  failed --> failed : retry',
        '',
      ].join('\n'),
    );
  });

  it('is deterministic: the same text from two separately built machines', () => {
    const build = () =>
      createMachine({ id: 'm', initial: 'a', states: { a: { on: { y: 'b', x: 'b' } }, b: { on: { z: 'a' } } } });
    expect(toMermaid(build())).toBe(toMermaid(build()));
    expect(toMermaid(build())).toContain('a --> b : x<br/>y');
  });

  it('gives Mermaid-safe, unique ids: paths joined by _, keywords and clashes suffixed', () => {
    const machine = createMachine({
      id: 'ids',
      initial: 'default',
      states: {
        default: { on: { go: 'a-b' } },
        'a-b': { on: { go: 'a' } },
        a: { initial: 'b', states: { b: {} } },
      },
    });
    const text = toMermaid(machine);
    expect(text).toContain('state "default" as default_');
    expect(text).toContain('state "a-b" as a_b');
    expect(text).toContain('state "b" as a_b_2');
    expect(text).toContain('default_ --> a_b : go');
  });

  it('draws a transition a composite declares for its own children from an "any" state inside it', () => {
    const machine = createMachine({
      id: 'c',
      initial: 'outer',
      states: { outer: { initial: 'x', on: { jump: '.y' }, states: { x: {}, y: {} } } },
    });
    const text = toMermaid(machine);
    expect(text).toContain('  state "outer" as outer {\n    state "any outer state" as outer_any\n');
    expect(text).toContain('    outer_any --> outer_y : jump\n');
  });
});

describe('toMermaid with a parallel root', () => {
  it('wraps the regions in a composite, since Mermaid reads `--` only inside one', () => {
    const machine = createMachine({
      id: 'p',
      type: 'parallel',
      on: { reset: { target: '.a.one' } },
      states: { a: { initial: 'one', states: { one: { on: { go: 'two' } }, two: {} } }, b: { initial: 'x', states: { x: {} } } },
    });
    const text = toMermaid(machine);
    expect(text).toContain('  state "any state" as root_any\n  state "p" as p {\n    state "a" as a {');
    expect(text).toContain('\n    --\n    state "b" as b {');
    expect(text).toContain('  [*] --> p\n  root_any --> a_one : reset\n');
  });
});
