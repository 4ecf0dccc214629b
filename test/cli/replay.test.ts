import { describe, expect, it } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runCli } from '../support/cli.ts';
import { useTempDir } from '../support/temp-dir.ts';
import type { Trace } from '../../src/replay/trace-format.ts';

const TRACE = fileURLToPath(new URL('../traces/restart-and-throttle.json', import.meta.url));

describe('atom-sync replay', () => {
  const tempDir = useTempDir('atom-replay-cli-');

  it('exits 0 when no step of the trace differs', () => {
    const result = runCli(['replay', TRACE]);
    expect(result.stderr).toBe('');
    expect(result.stdout).toMatch(/^\d+ steps, 5 actors: no step differs \(\d+ compared\)\n$/);
    expect(result.status).toBe(0);
  });

  it('exits 1 naming the first step that differs in an edited copy; --json says the same', () => {
    const trace = JSON.parse(readFileSync(TRACE, 'utf8')) as Trace;
    const index = trace.steps.findIndex((s) => s.actor === 'ratingSync' && s.event.type === 'ratings.flush');
    trace.steps[index]!.to = 'idle';
    const file = join(tempDir(), 'edited.json');
    writeFileSync(file, JSON.stringify(trace));
    const result = runCli(['replay', file]);
    expect(result.stdout.split('\n')[0]).toBe(`step ${index + 1} (ratingSync, ratings.flush): expected idle, chart gives uploading`);
    expect(result.status).toBe(1);
    const json = JSON.parse(runCli(['replay', file, '--json']).stdout);
    expect(json.difference).toMatchObject({ step: index + 1, actor: 'ratingSync', event: 'ratings.flush', expected: 'idle', actual: 'uploading' });
  });

  it('exits 2 on a file that is missing, not JSON, or not a trace, and without a file', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'broken.json'), '{"version": 1,');
    writeFileSync(join(dir, 'other.json'), JSON.stringify({ version: 1, steps: 'none' }));
    const missing = runCli(['replay', join(dir, 'missing.json')]);
    expect([missing.status, missing.stderr]).toEqual([2, expect.stringContaining('cannot read')]);
    const broken = runCli(['replay', join(dir, 'broken.json')]);
    expect([broken.status, broken.stderr]).toEqual([2, expect.stringContaining('is not a trace:\n  not JSON')]);
    const other = runCli(['replay', join(dir, 'other.json')]);
    expect([other.status, other.stderr]).toEqual([2, expect.stringContaining('is not a trace')]);
    const none = runCli(['replay']);
    expect([none.status, none.stderr]).toEqual([2, expect.stringContaining('which trace?')]);
  });
});
