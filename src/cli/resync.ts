import type { Command } from './command.ts';
import { AdminCliError, runAdmin } from './admin-client.ts';

const USAGE = [
  'usage: atom-sync resync [--wait] [--json]',
  '',
  'Asks the running agent for a full sync now (sync.trigger, POST /api/admin/sync/trigger).',
  'Exit 1 if refused (listing the events it accepts now) or in local-only mode.',
  '  --wait   then poll /api/admin/sync/status until the sync cycle is idle again (at most 10 minutes),',
  '           printing progress; exit 1 if the sync failed or the platform refused the API token',
  '  --json   print the agent\'s answer (with --wait: {trigger, status} at the end)',
].join('\n');

export const WAIT_LIMIT_MS = 10 * 60_000;
const POLL_MS = 500;
const PROGRESS_EVERY_MS = 10_000;

/** `atom-sync resync`: sync.trigger through the admin API, optionally waiting for the run to finish. */
export const resyncCommand: Command = {
  summary: 'make the running agent run a full sync now, optionally waiting for it (admin API)',
  usage: USAGE,
  options: { json: { type: 'boolean' }, wait: { type: 'boolean' } },
  examples: ['atom-sync resync', 'atom-sync resync --wait', 'atom-sync resync --wait --json'],
  async run(parsed) {
    const asJson = parsed.values.json === true;
    return runAdmin('resync', async ({ client, out, json }) => {
      const before = parsed.values.wait ? (await client.get('/api/admin/sync/status')).body : undefined;
      const { body: trigger } = await client.post('/api/admin/sync/trigger');
      if (!before) {
        if (asJson) json(trigger);
        else out(`full sync requested (sync cycle now ${trigger?.state ?? 'unknown'})`);
        return 0;
      }
      if (!asJson) out(`full sync requested (sync cycle now ${trigger?.state ?? 'unknown'}); waiting for it to finish`);
      const started = Date.now();
      let lastState = String(trigger?.state ?? '');
      let lastPrinted = started;
      for (;;) {
        const status = (await client.get('/api/admin/sync/status')).body;
        const s = status.sync ?? {};
        const finished = (s.total_syncs ?? 0) > (before.sync?.total_syncs ?? 0);
        const elapsed = Math.round((Date.now() - started) / 1000);
        if (s.status === 'unauthorized' || (s.status === 'failed' && finished)) {
          if (asJson) json({ trigger, status });
          else out(`sync ${s.status} after ${elapsed} s`);
          return 1;
        }
        if (s.status === 'idle' && finished) {
          const ok = (s.successful_syncs ?? 0) > (before.sync?.successful_syncs ?? 0);
          if (asJson) json({ trigger, status });
          else out(ok ? `sync done in ${elapsed} s: ${status.cache?.skills_count ?? 0} skills, ${status.cache?.categories_count ?? 0} categories` : `sync finished without success after ${elapsed} s`);
          return ok ? 0 : 1;
        }
        if (!asJson && (s.status !== lastState || Date.now() - lastPrinted >= PROGRESS_EVERY_MS)) {
          out(`  ${elapsed} s: ${s.status}`);
          lastState = s.status;
          lastPrinted = Date.now();
        }
        if (Date.now() - started > WAIT_LIMIT_MS) throw new AdminCliError(`the sync did not finish within ${WAIT_LIMIT_MS / 60_000} minutes (still ${s.status})`);
        await new Promise((resolve) => setTimeout(resolve, POLL_MS));
      }
    });
  },
};
