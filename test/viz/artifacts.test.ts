import { describe, expect, it } from 'vitest';
import { mkdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { chartsBlock, chartsOf, README as CHARTS_DOC, staleFiles, withChartsBlock, writeArtifacts } from '../../src/viz/artifacts.ts';
import { useTempDir } from '../support/temp-dir.ts';
import { demoMachine } from './fixture.ts';

const README = '# x\n\n<!-- charts:start -->\nold\n<!-- charts:end -->\n\nafter\n';

describe('generated artifacts', () => {
  const tempDir = useTempDir();
  const charts = chartsOf([demoMachine]);

  it('puts a heading and a mermaid block per chart between the markers, and nothing else moves', () => {
    const readme = withChartsBlock(README, chartsBlock(charts));
    expect(readme.startsWith('# x\n\n<!-- charts:start -->\n### demo\n\n```mermaid\n%% demo:')).toBe(true);
    expect(readme.endsWith('```\n<!-- charts:end -->\n\nafter\n')).toBe(true);
    expect(withChartsBlock(readme, chartsBlock(charts))).toBe(readme);
    expect(() => withChartsBlock('# no markers\n', '')).toThrow(/charts:start/);
  });

  it('--write makes --check pass; a changed, missing or orphan file is reported', () => {
    const root = tempDir();
    mkdirSync(join(root, 'docs'));
    writeFileSync(join(root, CHARTS_DOC), README);
    mkdirSync(join(root, 'visualizations'));
    writeFileSync(join(root, 'visualizations', 'gone.svg'), '<svg/>');
    expect(staleFiles(charts, root)).toEqual([
      CHARTS_DOC,
      'visualizations/demo.mmd',
      'visualizations/demo.svg',
      'visualizations/gone.svg (no machine draws it)',
    ]);

    writeArtifacts(charts, root);
    expect(staleFiles(charts, root)).toEqual([]);
    expect(existsSync(join(root, 'visualizations', 'gone.svg'))).toBe(false);
    expect(readFileSync(join(root, 'visualizations', 'demo.mmd'), 'utf8')).toBe(charts[0]!.mermaid);
    expect(writeArtifacts(charts, root)).toEqual([]);

    writeFileSync(join(root, 'visualizations', 'demo.mmd'), 'stateDiagram-v2\n');
    expect(staleFiles(charts, root)).toEqual(['visualizations/demo.mmd']);
  });
});
