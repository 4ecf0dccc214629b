import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { loadMachines } from '../../src/viz/registry.ts';
import { readTrace } from '../../src/replay/read-trace.ts';
import { describeDifference, replayTrace } from '../../src/replay/replay-trace.ts';

// Every trace in test/traces/ is a regression test: exported from a run (GET /api/admin/trace), it
// must replay against the charts of this commit with no step differing. A chart change that makes
// one differ is either a bug or a change of behaviour: then record the trace again (docs/traces.md).

const DIR = fileURLToPath(new URL('../traces/', import.meta.url));
const files = readdirSync(DIR).filter((f) => f.endsWith('.json')).sort();

describe('test/traces/*.json replay with no difference', () => {
  it('holds at least the trace of a real run', () => {
    expect(files).toContain('restart-and-throttle.json');
  });

  it.each(files)('%s', async (file) => {
    const read = readTrace(readFileSync(join(DIR, file), 'utf8'));
    if ('problems' in read) throw new Error(`${file} is not a trace: ${read.problems.join('; ')}`);
    const charts = new Map((await loadMachines()).map((m) => [m.id, m] as const));
    const report = replayTrace(read.trace, charts);
    expect(report.difference && describeDifference(report.difference)).toBeUndefined();
    // A trace that replays nothing proves nothing.
    expect(report.compared).toBeGreaterThan(0);
  });
});
