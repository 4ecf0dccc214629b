import { describe, expect, it } from 'vitest';
import { loadMachines } from '../../../src/viz/registry.ts';
import { pathsOf } from './paths.ts';
import { replay } from './replay.ts';

// Every path xstate/graph finds through every chart in machines/ (a new chart included, without
// editing a list), replayed against a live actor; each test is named after its path.

const machines = await loadMachines();

for (const machine of machines) {
  const { paths } = pathsOf(machine);

  describe(`${machine.id} paths`, () => {
    it('has paths, each with a name of its own', () => {
      expect(paths.length).toBeGreaterThan(0);
      expect(new Set(paths.map((p) => p.name)).size).toBe(paths.length);
    });

    for (const path of paths) it(path.name, () => replay(path));
  });
}
