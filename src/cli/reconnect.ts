import type { Command } from './command.ts';
import { runAdmin } from './admin-client.ts';

const USAGE = [
  'usage: atom-sync reconnect [--json]',
  '',
  'Asks the running agent to reconnect its WebSocket now (connection.reconnect,',
  'POST /api/admin/sync/websocket/reconnect). Exit 1 if refused, listing the events it accepts now.',
  '  --json   print the agent\'s answer',
].join('\n');

/** `atom-sync reconnect`: connection.reconnect through the admin API. */
export const reconnectCommand: Command = {
  summary: 'make the running agent reconnect its WebSocket now (admin API)',
  usage: USAGE,
  options: { json: { type: 'boolean' } },
  examples: ['atom-sync reconnect', 'atom-sync reconnect --json'],
  async run(parsed) {
    return runAdmin('reconnect', async ({ client, out, json }) => {
      const { body } = await client.post('/api/admin/sync/websocket/reconnect');
      if (parsed.values.json) json(body);
      else out(`reconnect requested (connection now ${body?.state ?? 'unknown'})`);
      return 0;
    });
  },
};
