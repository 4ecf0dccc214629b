import type { Command } from './command.ts';
import { cell, runAdmin, table } from './admin-client.ts';

const USAGE = [
  'usage: atom-sync actors [<id>] [--json]',
  '',
  'Lists the running agent\'s actors (GET /api/admin/actors): id, machine, state, status, mode.',
  'With an id: its state, tags, the operator events it accepts now and its last 10 transitions.',
  '  --json   print the agent\'s answer ({actor, transitions} with an id)',
].join('\n');

/** `atom-sync actors [id]`: the agent's statechart actors through the admin API. */
export const actorsCommand: Command = {
  summary: 'list the running agent\'s actors, or show one with its last transitions (admin API)',
  usage: USAGE,
  options: { json: { type: 'boolean' } },
  maxPositionals: 1,
  examples: ['atom-sync actors', 'atom-sync actors connection', 'atom-sync actors agent --json'],
  async run(parsed) {
    const id = parsed.positionals[0];
    return runAdmin('actors', async ({ client, out, json }) => {
      if (id === undefined) {
        const { body } = await client.get<{ id: string; machine: string; state: string; status: string; mode: string }[]>('/api/admin/actors');
        if (parsed.values.json) json(body);
        else out(table(['ID', 'MACHINE', 'STATE', 'STATUS', 'MODE'], body.map((a) => [a.id, a.machine, a.state, a.status, a.mode])));
        return 0;
      }
      const path = `/api/admin/actors/${encodeURIComponent(id)}`;
      const actor = (await client.get(path)).body;
      const transitions = (await client.get<{ at: string; event: string; from: string | null; to: string }[]>(`${path}/transitions?limit=10`)).body;
      if (parsed.values.json) {
        json({ actor, transitions });
        return 0;
      }
      const tags: string[] = actor.tags ?? [];
      const accepts: string[] = actor.accepts ?? [];
      out([
        `actor:    ${actor.id} (machine ${actor.machine}, ${actor.status})`,
        `state:    ${actor.state}`,
        `tags:     ${tags.length > 0 ? tags.join(', ') : '(none)'}`,
        `accepts:  ${accepts.length > 0 ? accepts.join(', ') : '(no operator events now)'}`,
        '',
        transitions.length > 0 ? `last ${transitions.length} transitions (newest first):` : 'no transitions journaled',
        ...(transitions.length > 0
          ? [table(['AT', 'EVENT', 'FROM', 'TO'], transitions.map((t) => [t.at, cell(t.event, 60), t.from ?? '-', t.to])).replace(/^/gm, '  ')]
          : []),
      ].join('\n'));
      return 0;
    });
  },
};
