import { describe, expect, it } from 'vitest';
import { createProgressReporter, progressEta } from '../../src/cli/progress.ts';

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

describe('sync progress at the platform limits', () => {
  // 100 requests a minute, 85 for the sync lane; 15 left in this window, which ends in 20 s.
  const budget = { limit: 100, remaining: 15, resetAt: 20_000, windowMs: 60_000, syncPerWindow: 85 };
  const page = (pagesDone: number) => ({ kind: 'full' as const, pagesDone, skillsDone: pagesDone * 1000, total: 100_000, resumed: false });

  it('estimates the end from the budget: the pages left at the sync lane\'s share of each window', () => {
    // 15 pages left, none usable now: they go in the next window, which opens at 20 s.
    expect(progressEta(page(85), budget, 0)).toBe(20_000);
    // 100 pages left: 85 in the next window and 15 in the one after.
    expect(progressEta(page(0 + 1), { ...budget, remaining: 100, resetAt: 60_000 }, 0)).toBe(60_000);
    expect(progressEta(page(1), { ...budget, remaining: 15, resetAt: 20_000 }, 0)).toBe(80_000);
    expect(progressEta(page(1), undefined, 0)).toBeNull();
  });

  it('says when a sync waits for the budget, when it resumes and when it should be done', () => {
    const { writes, stream: s } = stream(false);
    let now = 0;
    const progress = createProgressReporter(s, () => now);
    progress.update(page(85), budget);
    progress.throttled(20_000, budget);
    progress.throttled(20_000, budget); // the same wait adds no line
    expect(writes.at(-1)).toBe("full sync: 85000/100000 skills, 85 pages, waiting for the platform's request budget (resumes in 20s), ETA 20s\n");
    now = 20_000;
    progress.throttled(null);
    expect(writes).toHaveLength(2);
  });
});
