import { describe, expect, it } from 'vitest';
import { useShells } from '../helpers.ts';

describe('GET /metrics and /metrics/sync', () => {
  const shell = useShells();

  it('serve the same registry in the Prometheus text format, without a token', async () => {
    const { request } = await shell({ skills: 10 });
    const a = await request({ method: 'GET', url: '/metrics' });
    const b = await request({ method: 'GET', url: '/metrics/sync' });
    expect(a.statusCode).toBe(200);
    expect(a.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(b.body).toBe(a.body);
    for (const name of ['atom_saas_sync_duration_seconds', 'atom_saas_sync_success_total', 'atom_saas_sync_errors_total', 'atom_saas_cache_size',
      'atom_saas_websocket_connected', 'atom_saas_conflicts_detected_total', 'atom_saas_conflicts_resolved_total', 'atom_actor_state', 'atom_actor_transitions_total']) {
      expect(a.body, name).toContain(`# TYPE ${name} `);
    }
    expect(a.body).toContain('atom_saas_cache_size{type="skills"} 10');
  });

  it('keep answering after the agent stopped (last values)', async () => {
    const { request, agent } = await shell({ skills: 3 });
    await agent.stop();
    const res = await request({ method: 'GET', url: '/metrics' });
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('atom_actor_state');
  });
});
