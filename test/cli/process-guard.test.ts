import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Writable } from 'node:stream';
import { createLogger } from '../../src/logging/logger.ts';
import { stopWithin } from '../../src/cli/process-guard.ts';
import { useTempDir } from '../support/temp-dir.ts';

const RUN_TS = fileURLToPath(new URL('../../bin/run-ts.js', import.meta.url));
const GUARD = new URL('../../src/cli/process-guard.ts', import.meta.url).href;
const LOGGER = new URL('../../src/logging/logger.ts', import.meta.url).href;
const SECRET = 'crash-secret-token-0123456789abcdef';

/** A process that installs the handlers, then fails the way `how` says, outside any try/catch. */
function crash(dir: string, how: 'throw' | 'reject'): { status: number | null; stdout: string; stderr: string } {
  const script = join(dir, `crash-${how}.mts`);
  writeFileSync(script, [
    `import { installCrashHandlers } from '${GUARD}';`,
    `import { createLogger } from '${LOGGER}';`,
    `installCrashHandlers(createLogger({ secrets: ['${SECRET}'] }));`,
    how === 'throw'
      ? `setTimeout(() => { throw new Error('boom with ${SECRET} and Bearer ${SECRET}'); }, 1);`
      : `void Promise.reject(new Error('rejected with ${SECRET}'));`,
    'setTimeout(() => console.log("still alive"), 2000);',
  ].join('\n'));
  const result = spawnSync(process.execPath, [RUN_TS, script], { encoding: 'utf8', timeout: 30_000, env: { PATH: process.env.PATH ?? '' } });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('process-level crash handlers', () => {
  const tempDir = useTempDir('atom-guard-');

  it.each(['throw', 'reject'] as const)('an uncaught %s is one redacted fatal JSON line, then exit 1', (how) => {
    const run = crash(tempDir(), how);
    expect(run.status).toBe(1);
    expect(run.stderr).toBe('');
    const lines = run.stdout.trim().split('\n');
    expect(lines).toHaveLength(1);
    const line = JSON.parse(lines[0]!) as { level: number; kind: string; msg: string; err: { message: string } };
    expect(line.level).toBe(60);
    expect(line.kind).toBe(how === 'throw' ? 'uncaughtException' : 'unhandledRejection');
    expect(line.err.message).toMatch(how === 'throw' ? /^boom with / : /^rejected with /);
    expect(run.stdout).not.toContain(SECRET);
  });
});

describe('stopWithin', () => {
  const silent = () => createLogger({ destination: new Writable({ write: (_c, _e, done) => done() }) as never });

  it('is true when the stop finishes in time, false when it hangs past the deadline or fails', async () => {
    expect(await stopWithin('quick', async () => undefined, silent(), 1_000)).toBe(true);
    expect(await stopWithin('hung', () => new Promise<void>(() => undefined), silent(), 5)).toBe(false);
    expect(await stopWithin('broken', async () => { throw new Error('no'); }, silent(), 1_000)).toBe(false);
  });
});
