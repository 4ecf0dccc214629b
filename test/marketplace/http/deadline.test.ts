import { describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { startDeadline } from '../../../src/marketplace/http/deadline.ts';

const ROOT = fileURLToPath(new URL('../../..', import.meta.url));

/** Runs test/support/deadline-gc-child.ts in a child with --expose-gc and returns its one JSON line. */
function runGcChild(timeoutMs: number): Promise<{ ended: string; kind?: string; message?: string; elapsedMs: number }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--expose-gc', 'bin/run-ts.js', 'test/support/deadline-gc-child.ts', String(timeoutMs)], {
      cwd: ROOT, env: { PATH: process.env.PATH ?? '' }, stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr.on('data', (c: Buffer) => (err += c.toString()));
    child.on('error', reject);
    child.on('exit', (code) => {
      try {
        resolve(JSON.parse(out.trim().split('\n').pop() ?? ''));
      } catch {
        reject(new Error(`child exited ${code}: ${out}${err}`));
      }
    });
  });
}

describe('the request deadline', () => {
  it('fires while the garbage collector runs and a server drips the body (AbortSignal.timeout in AbortSignal.any never did)', async () => {
    const result = await runGcChild(500);
    expect(result).toMatchObject({ ended: 'failed', kind: 'transient' });
    expect(result.message).toMatch(/TIMEOUT.*500 ms deadline/);
    // The child gives up at 8 s; the deadline is 500 ms (slack for a loaded 2-core machine).
    expect(result.elapsedMs).toBeLessThan(4000);
  }, 30_000);

  it('aborts with a TimeoutError, and clear() keeps it from ever firing', async () => {
    const fired = startDeadline(10);
    const kept = startDeadline(10);
    kept.clear();
    await new Promise((resolve) => fired.signal.addEventListener('abort', resolve));
    expect((fired.signal.reason as DOMException).name).toBe('TimeoutError');
    // Both timers were due at the same time: the cleared one had its chance.
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(kept.signal.aborted).toBe(false);
  });

  it('aborts with the parent signal\'s reason when the parent aborts first (the client closing)', () => {
    const parent = new AbortController();
    const deadline = startDeadline(60_000, parent.signal);
    const reason = new Error('closing');
    parent.abort(reason);
    expect(deadline.signal.reason).toBe(reason);
    deadline.clear();
    const late = startDeadline(60_000, parent.signal);
    expect(late.signal.reason).toBe(reason);
    late.clear();
  });
});
