import { describe, expect, it } from 'vitest';
import { loadMachines } from '../../../src/viz/registry.ts';
import { ALLOWED_UNCOVERED, coverageOf, emptyObserved, type CoverageReport } from './coverage.ts';
import { pathsOf } from './paths.ts';
import { replay } from './replay.ts';

// The gate: every state and every transition of every chart, read from its definition, must be
// exercised by some replayed path, or be allowed in ALLOWED_UNCOVERED with a reason. The paths
// are replayed here again (paths.test.ts names them one by one) so the gate does not depend on
// which tests ran before it.

const machines = await loadMachines();

describe('model coverage', () => {
  const started = performance.now();
  const reports: CoverageReport[] = machines.map((machine) => {
    const found = pathsOf(machine);
    const observed = emptyObserved();
    const failed: string[] = [];
    for (const path of found.paths) {
      try {
        replay(path, observed);
      } catch {
        // paths.test.ts reports the failure itself; a failed path covers only the steps before it.
        failed.push(path.name);
      }
    }
    const report = coverageOf(machine, observed);
    console.log(
      `${machine.id}: ${found.eventTypes} event types, ${found.shortest} shortest + ${found.simple} simple + ${found.edges} edge paths ` +
        `→ ${found.paths.length} replayed${failed.length ? ` (${failed.length} failed)` : ''}; ` +
        `states ${report.states.covered}/${report.states.total}, transitions ${report.transitions.covered}/${report.transitions.total}`,
    );
    return report;
  });
  console.log(`model coverage: generated and replayed in ${Math.round(performance.now() - started)} ms`);

  it('exercises every state and transition of every chart', () => {
    const uncovered = reports.flatMap((r) => r.uncovered);
    if (uncovered.length) {
      console.log(`Uncovered (reach them with a seed in test/machines/model/models.ts, or allow them with a reason in coverage.ts):\n  ${uncovered.join('\n  ')}`);
    }
    expect(uncovered).toEqual([]);
  });

  it('allows only what is still uncovered', () => {
    expect(reports.flatMap((r) => r.staleAllowances)).toEqual([]);
    const ids = new Set(machines.map((m) => m.id));
    expect(Object.keys(ALLOWED_UNCOVERED).filter((k) => !ids.has(k.split(':')[0]!))).toEqual([]);
  });
});
