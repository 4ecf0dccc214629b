import { describe, expect, it } from 'vitest';
import { chartsOf, staleFiles } from '../../src/viz/artifacts.ts';
import { loadMachines } from '../../src/viz/registry.ts';

// visualizations/ and the README charts are generated, never drawn by hand: a change to a machine
// must come with the regenerated files.
describe('committed visualizations', () => {
  it('equal what the machines generate', async () => {
    const stale = staleFiles(chartsOf(await loadMachines()));
    expect(stale, `stale visualizations: run \`npm run viz\` and commit the result:\n  ${stale.join('\n  ')}`).toEqual([]);
  });
});
