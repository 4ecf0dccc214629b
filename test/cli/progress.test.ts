import { describe, expect, it } from 'vitest';
import { createProgressReporter } from '../../src/cli/progress.ts';

/** A stream that records writes; `isTTY` decides which form the reporter uses. */
function stream(isTTY: boolean) {
  const writes: string[] = [];
  return { writes, stream: { isTTY, write: (s: string) => writes.push(s) } as unknown as NodeJS.WriteStream };
}

const step = (pagesDone: number) => ({ kind: 'full' as const, pagesDone, skillsDone: pagesDone * 100, total: 1000, resumed: false });

describe('sync progress', () => {
  it('redraws one bar in place on a terminal', () => {
    const { writes, stream: s } = stream(true);
    const progress = createProgressReporter(s);
    progress.update(step(5));
    progress.done();
    expect(writes[0]).toBe('\r[###############...............]  50% full sync: 500/1000 skills, 5 pages\u001b[K');
    expect(writes.at(-1)).toBe('\n');
  });

  it('prints one plain line per 10 % elsewhere', () => {
    const { writes, stream: s } = stream(false);
    const progress = createProgressReporter(s);
    for (let page = 1; page <= 10; page += 1) {
      progress.update(step(page));
      progress.update(step(page)); // a repeated report adds no line
    }
    expect(writes).toHaveLength(10);
    expect(writes[9]).toBe('full sync: 1000/1000 skills, 10 pages (100%)\n');
    expect(writes.every((w) => !w.includes('\r'))).toBe(true);
  });
});
