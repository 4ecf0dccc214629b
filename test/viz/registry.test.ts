import { describe, expect, it } from 'vitest';
import { loadMachines } from '../../src/viz/registry.ts';

describe('machineRegistry', () => {
  it('finds every machine exported by machines/, and nothing from the helper modules', async () => {
    const ids = (await loadMachines()).map((m) => m.id);
    expect(ids).toEqual(['agent', 'conflictRow', 'conflicts', 'connection', 'ratingSync', 'syncCycle']);
  });
});
