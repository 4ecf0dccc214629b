import type { SyncProgress } from '../runtime/sync-run.ts';

/**
 * Sync progress for people: a redrawn bar on a terminal, and on anything else (CI logs, files)
 * one plain line per 10 % so a 1,000-page sync does not print 1,000 lines.
 */
export function createProgressReporter(stream: NodeJS.WriteStream = process.stderr) {
  const tty = Boolean(stream.isTTY);
  let lastDecile = -1;
  return {
    update(p: SyncProgress): void {
      const total = p.total && p.total > 0 ? p.total : null;
      const share = total ? Math.min(1, p.skillsDone / total) : null;
      const what = `${p.kind} sync${p.resumed ? ' (resumed)' : ''}: ${p.skillsDone}${total ? `/${total}` : ''} skills, ${p.pagesDone} pages`;
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
    done(): void {
      if (tty) stream.write('\n');
    },
  };
}
