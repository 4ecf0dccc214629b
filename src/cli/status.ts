import type { Command } from './command.ts';
import { age, runAdmin } from './admin-client.ts';

const USAGE = [
  'usage: atom-sync status [--json]',
  '',
  'Asks the running agent (admin API) how sync is doing: GET /api/admin/sync/status and /health/sync,',
  'plus the number of unresolved conflicts.',
  '  --json   print {status, health} as the agent answered them',
  '',
  'Exit 0 when /health/sync says healthy, 3 when it says unhealthy (the summary is printed either way),',
  '1 when the agent cannot be asked.',
  '',
  'Address: ATOM_ADMIN_URL, else http://ATOM_HTTP_HOST:ATOM_HTTP_PORT; token: ATOM_ADMIN_TOKEN.',
].join('\n');

/** The exit code of `status` when the agent answers but /health/sync says unhealthy (1 is "cannot ask"). */
export const UNHEALTHY_EXIT = 3;

/** `atom-sync status`: a compact summary of the agent's sync state. */
export const statusCommand: Command = {
  summary: 'show the running agent\'s sync status and health (admin API)',
  usage: USAGE,
  options: { json: { type: 'boolean' } },
  examples: [
    'atom-sync status',
    'atom-sync status --json',
    'ATOM_ADMIN_URL=http://10.0.0.5:8000 ATOM_ADMIN_TOKEN=... atom-sync status',
  ],
  async run(parsed) {
    return runAdmin('status', async ({ client, out, json }) => {
      const status = (await client.get('/api/admin/sync/status')).body;
      // /health/sync answers 503 when unhealthy: that is an answer, not a failure.
      const health = (await client.get('/health/sync', [503])).body;
      const exitCode = health?.status === 'unhealthy' ? UNHEALTHY_EXIT : 0;
      if (parsed.values.json) {
        json({ status, health });
        return exitCode;
      }
      let queue: number | undefined;
      try {
        queue = (await client.get('/api/admin/sync/conflicts?resolved=false&limit=1')).body.total;
      } catch {
        queue = undefined;
      }
      const s = status.sync ?? {};
      const ws = status.websocket ?? {};
      const reasons: string[] = Array.isArray(health?.reasons) ? health.reasons : [];
      out([
        `mode:          ${status.mode}`,
        `health:        ${health?.status ?? 'unknown'}${reasons.length > 0 ? ` (${reasons.join('; ')})` : ''}`,
        `sync:          ${s.status} (${s.successful_syncs ?? 0} ok / ${s.failed_syncs ?? 0} failed of ${s.total_syncs ?? 0})`,
        `last sync:     ${age(s.last_sync_at)}`,
        `last success:  ${age(s.last_successful_sync_at)}`,
        `websocket:     ${ws.connected ? 'connected' : 'not connected'}${ws.fallback_to_polling ? ', polling fallback' : ''}, ${ws.reconnect_attempts ?? 0} reconnect attempts`
          + (ws.last_message_at ? `, last message ${age(ws.last_message_at)}` : ''),
        `cache:         ${status.cache?.skills_count ?? 0} skills, ${status.cache?.categories_count ?? 0} categories`,
        ...(queue !== undefined ? [`conflicts:     ${queue} unresolved`] : []),
      ].join('\n'));
      return exitCode;
    });
  },
};
