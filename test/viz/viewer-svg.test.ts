import { describe, expect, it } from 'vitest';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { toMermaid } from '../../src/viz/mermaid.ts';
import { toSvg } from '../../src/viz/render.ts';
import { committedSvg, viewerSvg } from '../../src/viz/viewer-svg.ts';
import { connectionMachine } from '../../machines/connection.ts';
import { useTempDir } from '../support/temp-dir.ts';
import { demoMachine } from './fixture.ts';

const withoutHooks = (svg: string) => svg.replace(/ data-state="[^"]*"/g, '');

describe('the chart the viewer shows', () => {
  const tempDir = useTempDir('atom-viewer-svg-');

  it('is the committed chart plus hooks while the committed Mermaid text matches the machine', async () => {
    const svg = await viewerSvg(connectionMachine);
    expect(svg).toContain('data-state="link.open"');
    expect(withoutHooks(svg)).toBe(committedSvg('connection', toMermaid(connectionMachine)));
  });

  it('is drawn from the running machine when no committed chart matches it', async () => {
    const mermaid = toMermaid(demoMachine);
    expect(committedSvg('demo', mermaid)).toBeNull(); // no visualizations/demo.*
    const svg = await viewerSvg(demoMachine);
    expect(withoutHooks(svg)).toBe(toSvg(mermaid));
    expect(svg).toContain('data-state="busy.timer.waiting"');
  });

  it('ignores a committed chart drawn from other Mermaid text, and odd ids', () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'v'));
    writeFileSync(join(dir, 'v', 'demo.mmd'), 'stateDiagram-v2\n  old --> chart\n');
    writeFileSync(join(dir, 'v', 'demo.svg'), '<svg>old</svg>\n');
    const url = pathToFileURL(join(dir, 'v') + '/');
    expect(committedSvg('demo', toMermaid(demoMachine), url)).toBeNull();
    expect(committedSvg('demo', 'stateDiagram-v2\n  old --> chart\n', url)).toBe('<svg>old</svg>\n');
    expect(committedSvg('../v/demo', 'stateDiagram-v2\n  old --> chart\n', url)).toBeNull();
  });
});
