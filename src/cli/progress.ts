import type { SyncProgress } from '../runtime/sync-run.ts';
import type { BudgetStatus } from '../marketplace/http/request-budget.ts';
import { syncEta } from '../policy/request-budget.ts';

/** What the reporter needs of the platform budget for an ETA. */
export type EtaBudget = Pick<BudgetStatus, 'limit' | 'remaining' | 'resetAt' | 'windowMs' | 'syncPerWindow'>;

const seconds = (ms: number): string => {
  const s = Math.max(0, Math.round(ms / 1000));
  return s >= 60 ? `${Math.floor(s / 60)}m ${String(s % 60).padStart(2, '0')}s` : `${s}s`;
};

/**
 * When the sync will be done, from the platform's request budget: the pages left at the pace the
 * sync lane may go (its share of each window). Null until the budget and the total are known.
 */
export function progressEta(p: SyncProgress, budget: EtaBudget | undefined, now: number): number | null {
  if (!budget || budget.limit === null || budget.syncPerWindow === null || budget.windowMs === null || !p.total || p.pagesDone === 0) return null;
  const perPage = Math.max(1, p.skillsDone / p.pagesDone);
  const requestsLeft = Math.ceil(Math.max(0, p.total - p.skillsDone) / perPage);
  const reserve = budget.limit - budget.syncPerWindow;
  const usableNow = (budget.remaining ?? budget.limit) - reserve;
  return syncEta({ now, requestsLeft, usableNow, resetAt: budget.resetAt, perWindow: budget.syncPerWindow, windowMs: budget.windowMs });
}

/**
 * Sync progress for people: a redrawn bar on a terminal, and on anything else (CI logs, files)
 * one plain line per 10 % so a 1,000-page sync does not print 1,000 lines. A sync waiting for the
 * platform's request budget says so, with when it resumes and when it should be done.
 */
export function createProgressReporter(stream: NodeJS.WriteStream = process.stderr, now: () => number = Date.now) {
  const tty = Boolean(stream.isTTY);
  let lastDecile = -1;
  let last: SyncProgress | undefined;
  let lastBudget: EtaBudget | undefined;
  let resumeAt: number | null = null;

  const describe = (p: SyncProgress): string => {
    const total = p.total && p.total > 0 ? p.total : null;
    const eta = progressEta(p, lastBudget, now());
    const waiting = resumeAt === null ? '' : `, waiting for the platform's request budget (resumes in ${seconds(resumeAt - now())})`;
    return `${p.kind} sync${p.resumed ? ' (resumed)' : ''}: ${p.skillsDone}${total ? `/${total}` : ''} skills, ${p.pagesDone} pages${waiting}${eta !== null && eta > now() ? `, ETA ${seconds(eta - now())}` : ''}`;
  };

  return {
    update(p: SyncProgress, budget?: EtaBudget): void {
      last = p;
      if (budget) lastBudget = budget;
      const total = p.total && p.total > 0 ? p.total : null;
      const share = total ? Math.min(1, p.skillsDone / total) : null;
      const what = describe(p);
      if (tty) {
        const width = 30;
        const filled = share === null ? 0 : Math.round(share * width);
        const bar = share === null ? '' : `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${String(Math.round(share * 100)).padStart(3)}% `;
        stream.write(`\r${bar}${what}\u001b[K`);
        return;
      }
      const decile = share === null ? p.pagesDone : Math.floor(share * 10);
      if (decile !== lastDecile) {
        lastDecile = decile;
        stream.write(`${what}${share === null ? '' : ` (${Math.round(share * 100)}%)`}\n`);
      }
    },
    /** The sync waits for the request budget until `at`, or (null) goes on. */
    throttled(at: number | null, budget?: EtaBudget): void {
      if (budget) lastBudget = budget;
      const starts = resumeAt === null && at !== null;
      resumeAt = at;
      if (!last) return;
      if (tty) this.update(last);
      // Elsewhere one line when a wait begins: a log shows every pause and its reason.
      else if (starts) stream.write(`${describe(last)}\n`);
    },
    done(): void {
      if (tty) stream.write('\n');
    },
  };
}
