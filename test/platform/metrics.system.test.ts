import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { startSeededPlatform, INSTANCE_TOKEN } from '../support/platform.ts';
import { useTempDir } from '../support/temp-dir.ts';
import { useCleanups } from '../support/cleanups.ts';

// Needs Debian's prometheus package (promtool); `npm run test:system` runs it, CI installs it.
describe('the platform\'s /metrics', () => {
  const tempDir = useTempDir();
  const cleanups = useCleanups();

  it('passes promtool check metrics after real traffic', async () => {
    const platform = await startSeededPlatform(tempDir(), 50, { push: true });
    cleanups.push(() => platform.close());
    const auth = { authorization: `Bearer ${INSTANCE_TOKEN}` };
    await (await fetch(`${platform.url}/api/v1/skills?page_size=5`, { headers: auth })).text();
    await (await fetch(`${platform.url}/api/v1/skills/not-a-uuid`, { headers: auth })).text();
    await (await fetch(`${platform.url}/api/v1/categories`)).text();
    const text = await (await fetch(`${platform.url}/metrics`)).text();
    expect(text).toContain('atom_saas_api_requests_total{');
    expect(text).toContain('atom_saas_websocket_connections ');
    expect(text).toContain('atom_saas_websocket_connections_total ');

    const check = spawnSync('promtool', ['check', 'metrics'], { input: text, encoding: 'utf8', timeout: 30_000 });
    expect(check.error, 'promtool must be installed: apt-get install -y prometheus').toBeUndefined();
    expect(check.stdout + check.stderr).toBe('');
    expect(check.status).toBe(0);
  });
});
