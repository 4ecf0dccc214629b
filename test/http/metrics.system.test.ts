import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { waitFor } from 'xstate';
import { useShells } from './helpers.ts';

// Needs Debian's prometheus package (promtool); `npm run test:system` runs it, CI installs it.
describe('the agent\'s /metrics/sync', () => {
  const shells = useShells();

  it('passes promtool check metrics after a sync, a rating upload and an operator event', async () => {
    const { agent, request } = await shells({ skills: 40 });
    const skillId = (agent.store.db.prepare('SELECT skill_id FROM skill_cache LIMIT 1').pluck().get() as string);
    agent.rateSkill({ skillId, userId: 'promtool@example.com', rating: 4 });
    agent.actors.ratingSync!.send({ type: 'ratings.flush' });
    await waitFor(agent.actors.ratingSync!, (s) => s.matches('idle') && s.context.lastReport !== null, { timeout: 10_000 });
    agent.actors.syncCycle!.send({ type: 'sync.catchUp' });
    await waitFor(agent.actors.syncCycle!, (s) => s.matches('idle') && s.context.lastResult?.kind === 'incremental', { timeout: 10_000 });

    const response = await request({ method: 'GET', url: '/metrics/sync' });
    expect(response.statusCode).toBe(200);
    const text = response.body;
    for (const name of ['atom_saas_sync_success_total', 'atom_saas_cache_size', 'atom_saas_websocket_connected', 'atom_actor_state', 'atom_actor_transitions_total']) {
      expect(text, name).toContain(`# TYPE ${name} `);
    }

    const check = spawnSync('promtool', ['check', 'metrics'], { input: text, encoding: 'utf8', timeout: 30_000 });
    expect(check.error, 'promtool must be installed: apt-get install -y prometheus').toBeUndefined();
    expect(check.stdout + check.stderr).toBe('');
    expect(check.status).toBe(0);
  });
});
