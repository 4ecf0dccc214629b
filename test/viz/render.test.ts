import { describe, expect, it } from 'vitest';
import { toMermaid } from '../../src/viz/mermaid.ts';
import { toAscii, toSvg } from '../../src/viz/render.ts';
import { demoMachine } from './fixture.ts';

const STATES = ['idle', 'busy', 'fetch', 'loading', 'loaded', 'timer', 'waiting', 'late', 'failed', 'done'];

describe('rendering', () => {
  const mermaid = toMermaid(demoMachine);

  it('writes a self-contained, well-formed SVG naming every state', () => {
    const svg = toSvg(mermaid);
    expect(svg.startsWith('<svg')).toBe(true);
    expect(svg.trimEnd().endsWith('</svg>')).toBe(true);
    expect(svg).not.toMatch(/@import|https?:\/\/(?!www\.w3\.org)/);
    // XML-ish: every opened element is closed, in order.
    const stack: string[] = [];
    for (const [, closing, name, selfClosing] of svg.matchAll(/<(\/?)([A-Za-z][\w:-]*)[^>]*?(\/?)>/g)) {
      if (selfClosing) continue;
      if (closing) expect(stack.pop(), `</${name}>`).toBe(name);
      else stack.push(name!);
    }
    expect(stack).toEqual([]);
    for (const state of STATES) expect(svg, state).toMatch(new RegExp(`>${state}<`));
  });

  it('renders the same SVG twice', () => {
    expect(toSvg(mermaid)).toBe(toSvg(mermaid));
  });

  it('draws terminal art naming every state', () => {
    const art = toAscii(mermaid);
    for (const state of ['idle', 'loading', 'loaded', 'waiting', 'late', 'failed', 'done']) expect(art, state).toContain(state);
    expect(art).not.toMatch(/\x1b\[/); // no colour codes
  });
});
