// The rough edges a new user met (issue 15), each through the real bin/atom-sync.js as a child process.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { request } from 'undici';
import { VARIABLES } from '../../src/config/index.ts';
import { createAgent, type Agent } from '../../src/runtime/create-agent.ts';
import { startServer, type RunningShell } from '../../src/http/server.ts';
import type { RunningPlatform } from '../../src/platform/server.ts';
import { agentConfig } from '../support/config.ts';
import { runCli, runCliAsync, spawnCli } from '../support/cli.ts';
import { startSeededPlatform } from '../support/platform.ts';
import { useTempDir } from '../support/temp-dir.ts';

const ADMIN_TOKEN = 'rough-edges-admin-token-0123456789';
/** Several child processes a test: on a loaded 2-core machine each may take seconds to start (tsx on Node 20). */
const SPAWNS_TIMEOUT_MS = 120_000;

describe('atom-sync rough edges', () => {
  const tempDir = useTempDir('atom-cli-edges-');
  const cli = (args: string[], env: Record<string, string> = {}) => runCli(args, { cwd: tempDir(), env, timeoutMs: 30_000 });

  it('check-config shows every variable that has a default, ATOM_SYNC_WORKER included', () => {
    const run = cli(['check-config'], { ATOM_SAAS_ENABLED: 'false' });
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/^ATOM_SYNC_WORKER +false +\(default\)$/m);
    const withWorker = cli(['check-config'], { ATOM_SAAS_API_URL: 'http://127.0.0.1:9', ATOM_SAAS_API_TOKEN: 'token-0123456789abcdef', ATOM_SYNC_WORKER: 'true' });
    expect(withWorker.status, withWorker.stderr).toBe(0);
    expect(withWorker.stdout).toMatch(/^ATOM_SYNC_WORKER +true +\(env\)$/m);
    // A variable added to the table but not to check-config's value map would show blank here.
    for (const spec of VARIABLES.filter((v) => 'default' in v && v.default !== undefined)) {
      expect(run.stdout, spec.name).toMatch(new RegExp(`^${spec.name} +\\S+ +\\(`, 'm'));
    }
  }, SPAWNS_TIMEOUT_MS);

  it('check-config --json prints JSON on failure too, and exits 1', () => {
    const run = cli(['check-config', '--json'], { ATOM_SAAS_API_URL: 'ftp://x.test', ATOM_SAAS_API_TOKEN: 'secret-token-0123456789', ATOM_LOG_LEVEL: 'chatty' });
    expect(run.status).toBe(1);
    const parsed = JSON.parse(run.stdout) as { ok: boolean; problems: { variable: string; problem: string }[] };
    expect(parsed.ok).toBe(false);
    expect(parsed.problems.map((p) => p.variable).sort()).toEqual(['ATOM_LOG_LEVEL', 'ATOM_SAAS_API_URL']);
    expect(run.stdout + run.stderr).not.toContain('secret-token-0123456789');
  }, SPAWNS_TIMEOUT_MS);

  it('a first `atom-sync agent` with no configuration points to .env.example, ATOM_SAAS_ENABLED=false and the demo', () => {
    const run = cli(['agent']);
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('ATOM_SAAS_API_URL');
    expect(run.stderr).toContain('.env.example');
    expect(run.stderr).toContain('ATOM_SAAS_ENABLED=false atom-sync agent');
    expect(run.stderr).toContain('atom-sync demo');
  }, SPAWNS_TIMEOUT_MS);

  it('viz --ascii warns on stderr when the chart is wider than the terminal, and not when it fits', () => {
    const narrow = cli(['viz', 'connection', '--ascii'], { COLUMNS: '60' });
    expect(narrow.status).toBe(0);
    expect(narrow.stdout.length).toBeGreaterThan(0);
    expect(narrow.stderr).toMatch(/warning: the chart is \d+ columns wide, the terminal 60/);
    const wide = cli(['viz', 'connection', '--ascii'], { COLUMNS: '1000' });
    expect(wide.status).toBe(0);
    expect(wide.stderr).toBe('');
    expect(wide.stdout).toBe(narrow.stdout);
  }, SPAWNS_TIMEOUT_MS);

  it('the agent serves stock Node process metrics (no atom_agent_ prefix) and stops with exit 0 on SIGTERM', async () => {
    const dir = tempDir();
    const { child, exited } = spawnCli(['agent'], {
      cwd: dir,
      env: { ATOM_SAAS_ENABLED: 'false', ATOM_HTTP_PORT: '0', ATOM_DB_PATH: join(dir, 'agent.db'), ATOM_ADMIN_TOKEN: ADMIN_TOKEN },
    });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    const url = await new Promise<string>((resolve, reject) => {
      const onData = () => {
        const running = out.split('\n').find((line) => line.includes('"agent running"'));
        const listening = /"url":"(http:\/\/[^"]+)"/.exec(out);
        if (running && listening) {
          child.stdout.off('data', onData);
          resolve(listening[1]!);
        }
      };
      child.stdout.on('data', onData);
      void exited.then((r) => reject(new Error(`agent exited ${r.status}: ${r.stderr}`)));
    });
    const metrics = await (await request(`${url}/metrics`)).body.text();
    expect(metrics).toMatch(/^process_cpu_seconds_total /m);
    expect(metrics).toMatch(/^nodejs_eventloop_lag_seconds /m);
    expect(metrics).not.toContain('atom_agent_process_');
    child.kill('SIGTERM');
    const result = await exited;
    expect(result.status).toBe(0);
    expect(result.stdout + out).not.toContain(ADMIN_TOKEN);
  }, SPAWNS_TIMEOUT_MS);
});

describe('atom-sync status against an unhealthy agent', () => {
  const tempDir = useTempDir('atom-cli-status-');
  let platform: RunningPlatform;
  let agent: Agent;
  let shell: RunningShell;

  beforeAll(async () => {
    const dir = tempDir();
    platform = await startSeededPlatform(dir, 5);
    // A token the platform does not know: the sync is refused, /health/sync answers unhealthy (503).
    const config = agentConfig(dir, {
      ATOM_SAAS_API_URL: platform.url, ATOM_SAAS_API_TOKEN: 'unknown-token-0123456789abcdef', ATOM_SAAS_WS_ENABLED: 'false',
      ATOM_HTTP_HOST: '127.0.0.1', ATOM_HTTP_PORT: '0', ATOM_ADMIN_TOKEN: ADMIN_TOKEN,
    });
    agent = createAgent({ config });
    shell = await startServer(agent, config);
    await agent.start();
  }, SPAWNS_TIMEOUT_MS);

  afterAll(async () => {
    await shell?.close();
    await agent?.stop();
    await platform?.close();
  }, SPAWNS_TIMEOUT_MS);

  it('exits 3, printing the summary with the reasons; --json exits 3 too', async () => {
    const env = { ATOM_ADMIN_URL: shell.url, ATOM_ADMIN_TOKEN: ADMIN_TOKEN };
    const health = await request(`${shell.url}/health/sync`);
    expect(health.statusCode).toBe(503);
    await health.body.dump();
    const run = await runCliAsync(['status'], { env, cwd: tempDir(), timeoutMs: 30_000 });
    expect(run.status, run.stderr).toBe(3);
    expect(run.stdout).toMatch(/^health: +unhealthy \(.*API token/m);
    const json = await runCliAsync(['status', '--json'], { env, cwd: tempDir(), timeoutMs: 30_000 });
    expect(json.status).toBe(3);
    expect((JSON.parse(json.stdout) as { health: { status: string } }).health.status).toBe('unhealthy');
  }, SPAWNS_TIMEOUT_MS);
});
