import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { createServer as createHttpServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { waitFor } from 'xstate';
import { createAgent, type Agent } from '../../src/runtime/create-agent.ts';
import { startServer, type RunningShell } from '../../src/http/server.ts';
import type { RunningPlatform } from '../../src/platform/server.ts';
import { adminCall, INSTANCE_TOKEN, PLATFORM_ADMIN, platformCatalog, startSeededPlatform } from '../support/platform.ts';
import { agentConfig } from '../support/config.ts';
import { runCliAsync } from '../support/cli.ts';

const ADMIN_TOKEN = 'cli-admin-token-0123456789abcdef';
const WRONG_TOKEN = 'not-the-admin-token-0123456789';
const SECRETS = [ADMIN_TOKEN, WRONG_TOKEN, INSTANCE_TOKEN, PLATFORM_ADMIN];
const CLI_TIMEOUT_MS = 20_000;

interface Running {
  dir: string;
  platform?: RunningPlatform;
  agent: Agent;
  shell: RunningShell;
}

/** The real agent (synced from the real reference platform, or local-only) and its shell on 127.0.0.1:0. */
async function startAgent(env: Record<string, string>, skills?: number): Promise<Running> {
  const dir = mkdtempSync(join(tmpdir(), 'atom-cli-admin-'));
  let platform: RunningPlatform | undefined;
  let saas: Record<string, string> = { ATOM_SAAS_ENABLED: 'false' };
  if (skills !== undefined) {
    platform = await startSeededPlatform(dir, skills);
    saas = { ATOM_SAAS_API_URL: platform.url, ATOM_SAAS_API_TOKEN: INSTANCE_TOKEN, ATOM_SAAS_WS_ENABLED: 'false' };
  }
  const config = agentConfig(dir, { ...saas, ATOM_HTTP_HOST: '127.0.0.1', ATOM_HTTP_PORT: '0', ...env });
  const agent = createAgent({ config });
  const shell = await startServer(agent, config);
  await agent.start();
  return { dir, agent, shell, ...(platform ? { platform } : {}) };
}

async function stopAgent(r: Running | undefined): Promise<void> {
  if (!r) return;
  await r.shell.close();
  await r.agent.stop();
  await r.platform?.close();
  rmSync(r.dir, { recursive: true, force: true });
}

/** A port nothing listens on (bound, then released). */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

function expectNoSecrets(result: { stdout: string; stderr: string }): void {
  for (const secret of SECRETS) {
    expect(result.stdout.includes(secret), 'stdout leaks a token').toBe(false);
    expect(result.stderr.includes(secret), 'stderr leaks a token').toBe(false);
  }
}

describe('atom-sync status|reconnect|resync|conflicts|actors against a running agent', () => {
  let r: Running | undefined;
  let env: Record<string, string>;
  const cli = async (args: string[], extra: Record<string, string> = {}) => {
    const result = await runCliAsync(args, { env: { ...env, ...extra }, timeoutMs: CLI_TIMEOUT_MS });
    expectNoSecrets(result);
    return result;
  };

  /** A conflict queued for real: a local edit, an upstream change on the platform, a catch-up sync (manual strategy). */
  async function queueConflict(index: number): Promise<{ id: number; skillId: string }> {
    const { agent, platform } = r!;
    const skillId = [...platformCatalog(platform!).keys()][index]!;
    agent.editSkill(skillId, { description: `edited here ${index}`, tags: ['local-tag'] });
    const put = await adminCall(platform!, 'PUT', `/api/v1/skills/${skillId}`, { description: `edited upstream ${index} ${'x'.repeat(80)}`, code: 'upstream code' });
    expect(put.status).toBe(200);
    const before = agent.store.syncState.get().successfulSyncs;
    agent.actors.syncCycle!.send({ type: 'sync.catchUp' });
    await waitFor(agent.actors.syncCycle!, (s) => s.matches('idle') && agent.store.syncState.get().successfulSyncs > before, { timeout: 5000 });
    const conflict = agent.store.conflicts.openForSkill(skillId);
    expect(conflict).toMatchObject({ state: 'awaitingOperator' });
    return { id: conflict!.id, skillId };
  }

  beforeAll(async () => {
    r = await startAgent({ ATOM_ADMIN_TOKEN: ADMIN_TOKEN, ATOM_SAAS_CONFLICT_STRATEGY: 'manual' }, 8);
    // Only what the client needs: no ATOM_SAAS_API_URL, which a full configuration would require.
    env = { ATOM_ADMIN_URL: r.shell.url, ATOM_ADMIN_TOKEN: ADMIN_TOKEN };
  });
  afterAll(async () => stopAgent(r));

  it('status: a human summary, and --json with the status and the health answers', async () => {
    const human = await cli(['status']);
    expect(human.stderr).toBe('');
    expect(human.status).toBe(0);
    expect(human.stdout).toMatch(/^mode: +polling$/m);
    expect(human.stdout).toMatch(/^sync: +idle \(1 ok \/ 0 failed of 1\)$/m);
    expect(human.stdout).toMatch(/^last success: +\d{4}-\d\d-\d\dT.*Z \(\d+ s ago\)$/m);
    expect(human.stdout).toMatch(/^websocket: +not connected, 0 reconnect attempts$/m);
    expect(human.stdout).toMatch(/^cache: +8 skills, \d+ categories$/m);
    expect(human.stdout).toMatch(/^conflicts: +0 unresolved$/m);
    expect(human.stdout).toMatch(/^health: +(healthy|degraded)/m);

    const json = await cli(['status', '--json']);
    expect(json.status).toBe(0);
    const body = JSON.parse(json.stdout);
    expect(body.status).toMatchObject({ success: true, mode: 'polling', sync: { status: 'idle' }, cache: { skills_count: 8 } });
    expect(body.health).toMatchObject({ mode: 'polling', status: expect.stringMatching(/healthy|degraded/) });
  });

  it('reaches the agent through ATOM_HTTP_HOST/ATOM_HTTP_PORT too, a wildcard host meaning 127.0.0.1', async () => {
    const port = new URL(r!.shell.url).port;
    const result = await cli(['actors'], { ATOM_ADMIN_URL: '', ATOM_HTTP_HOST: '0.0.0.0', ATOM_HTTP_PORT: port });
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(result.stdout.split('\n')[0]).toMatch(/^ID +MACHINE +STATE +STATUS +MODE$/);
    expect(result.stdout).toMatch(/^syncCycle +syncCycle +idle +active/m);
    expect(result.stdout).toMatch(/^conflicts +/m);
  });

  it('actors <id>: state, tags, accepted events and the last transitions; --json', async () => {
    const human = await cli(['actors', 'syncCycle']);
    expect(human.status).toBe(0);
    expect(human.stdout).toMatch(/^state: +idle$/m);
    expect(human.stdout).toMatch(/^accepts: +.*sync\.trigger/m);
    expect(human.stdout).toMatch(/^tags: /m);
    expect(human.stdout).toMatch(/transitions \(newest first\):/);
    expect(human.stdout).toMatch(/^ {2}AT +EVENT +FROM +TO$/m);

    const json = JSON.parse((await cli(['actors', 'syncCycle', '--json'])).stdout);
    expect(json.actor).toMatchObject({ id: 'syncCycle', state: 'idle' });
    expect(json.transitions.length).toBeGreaterThan(0);
    expect(json.transitions.length).toBeLessThanOrEqual(10);
    expect(Array.isArray(JSON.parse((await cli(['actors', '--json'])).stdout))).toBe(true);

    const unknown = await cli(['actors', 'nosuch']);
    expect(unknown.status).toBe(1);
    expect(unknown.stderr).toMatch(/failed \(404\): no actor nosuch/);
  });

  it('resync: a full sync, and --wait until it is done', async () => {
    const agent = r!.agent;
    const before = agent.store.syncState.get().totalSyncs;
    const waited = await cli(['resync', '--wait']);
    expect(waited.stderr).toBe('');
    expect(waited.status).toBe(0);
    expect(waited.stdout).toMatch(/^full sync requested/m);
    expect(waited.stdout).toMatch(/^sync done in \d+ s: 8 skills/m);
    expect(agent.store.syncState.get().totalSyncs).toBeGreaterThan(before);

    const json = await cli(['resync', '--json']);
    expect(json.status).toBe(0);
    expect(JSON.parse(json.stdout)).toMatchObject({ success: true, accepted: true, event: 'sync.trigger' });
    await waitFor(agent.actors.syncCycle!, (s) => s.matches('idle'), { timeout: 10_000 });
  });

  it('reconnect: connection.reconnect, human and --json', async () => {
    const human = await cli(['reconnect']);
    expect(human.status).toBe(0);
    expect(human.stdout).toMatch(/^reconnect requested \(connection now .+\)$/m);
    const json = await cli(['reconnect', '--json']);
    expect(json.status).toBe(0);
    expect(JSON.parse(json.stdout)).toMatchObject({ accepted: true, event: 'connection.reconnect' });
    // Back to how the test agent runs: no WebSocket.
    r!.agent.actors.connection?.send({ type: 'connection.disable' });
  });

  it('conflicts list/show/resolve: one conflict side by side, resolved through the agent, then refused', async () => {
    const { id, skillId } = await queueConflict(1);

    const listed = await cli(['conflicts', 'list', '--unresolved', '--type', 'version']);
    expect(listed.status).toBe(0);
    expect(listed.stdout).toMatch(/^ID +SKILL +TYPE +STATE +STRATEGY +DETECTED$/m);
    expect(listed.stdout).toMatch(new RegExp(`^${id} +${skillId} +version +awaitingOperator +- +\\d{4}-`, 'm'));
    expect(listed.stdout).toMatch(/^1 of 1 shown$/m);
    expect((await cli(['conflicts', 'list', '--resolved'])).stdout).toMatch(/^no conflicts$/m);
    expect(JSON.parse((await cli(['conflicts', 'list', '--json', '--limit', '5'])).stdout)).toMatchObject({ total: 1, limit: 5, items: [{ id, skill_id: skillId }] });

    const shown = await cli(['conflicts', 'show', String(id)]);
    expect(shown.status).toBe(0);
    expect(shown.stdout).toMatch(new RegExp(`^conflict ${id}: skill ${skillId}, version, awaitingOperator$`, 'm'));
    expect(shown.stdout).toMatch(/^FIELD +BASE +LOCAL +REMOTE$/m);
    // The long upstream description is cut with an ellipsis.
    expect(shown.stdout).toMatch(/^description +.+ +edited here 1 +edited upstream 1 x+…$/m);
    expect(shown.stdout).toMatch(/^code +.+upstream code$/m);
    expect(JSON.parse((await cli(['conflicts', 'show', String(id), '--json'])).stdout).diff.length).toBeGreaterThan(0);

    const resolved = await cli(['conflicts', 'resolve', String(id), '--strategy', 'remote_wins']);
    expect(resolved.stderr).toBe('');
    expect(resolved.status).toBe(0);
    expect(resolved.stdout).toMatch(new RegExp(`^conflict ${id} resolved \\(remote_wins\\)$`, 'm'));
    expect(r!.agent.store.conflicts.get(id)).toMatchObject({ resolved: true, strategy: 'remote_wins' });

    const again = await cli(['conflicts', 'resolve', String(id), '--strategy', 'merge']);
    expect(again.status).toBe(1);
    expect(again.stderr).toMatch(/refused \(409\): conflict \d+ is already resolved/);

    const missing = await cli(['conflicts', 'show', '999999']);
    expect(missing.status).toBe(1);
    expect(missing.stderr).toMatch(/failed \(404\): no conflict 999999/);
  });

  it('conflicts resolve --all: bulk-resolves every unresolved conflict of a type', async () => {
    await queueConflict(2);
    await queueConflict(3);
    expect(r!.agent.store.conflicts.unresolvedCount()).toBe(2);
    const result = await cli(['conflicts', 'resolve', '--all', '--strategy', 'local_wins', '--type', 'version']);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/^2 conflicts resolved \(local_wins\)$/m);
    expect(r!.agent.store.conflicts.unresolvedCount()).toBe(0);
    expect(JSON.parse((await cli(['conflicts', 'resolve', '--all', '--strategy', 'merge', '--json'])).stdout)).toEqual({ success: true, resolved: 0, refused: 0 });
  });

  it('refuses bad usage with exit 2 before calling the agent', async () => {
    for (const args of [['conflicts'], ['conflicts', 'resolve', '1'], ['conflicts', 'show', 'abc'], ['conflicts', 'list', '--limit', '0'], ['status', '--bogus'], ['actors', 'a', 'b']]) {
      const result = await cli(args);
      expect(result.status, args.join(' ')).toBe(2);
      expect(result.stderr, args.join(' ')).toMatch(/usage: atom-sync/);
    }
  });

  it('a wrong token: exit 1, "the admin token was refused", and the token is never printed', async () => {
    for (const args of [['status'], ['conflicts', 'list', '--json']]) {
      const result = await cli(args, { ATOM_ADMIN_TOKEN: WRONG_TOKEN });
      expect(result.status).toBe(1);
      expect(result.stdout).toBe('');
      expect(result.stderr).toMatch(/the admin token was refused/);
    }
    const none = await cli(['actors'], { ATOM_ADMIN_TOKEN: '' });
    expect(none.status).toBe(1);
    expect(none.stderr).toMatch(/the admin token was refused \(401\): set ATOM_ADMIN_TOKEN/);
  });

  it('invalid client variables are reported like check-config, exit 1', async () => {
    const result = await cli(['status'], { ATOM_ADMIN_URL: 'ftp://127.0.0.1:1', ATOM_ADMIN_TOKEN: 'short' });
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/invalid configuration, 2 problems/);
    expect(result.stderr).toMatch(/ATOM_ADMIN_URL \(got "ftp:\/\/127.0.0.1:1"\) has protocol ftp; expected a http or https URL/);
    expect(result.stderr).toMatch(/ATOM_ADMIN_TOKEN \(got "\*\*\*"\) is shorter than 16 characters/);
  });
});

describe('atom-sync admin commands without a usable agent', () => {
  let r: Running | undefined;
  afterAll(async () => stopAgent(r));

  it('no agent listening: exit 1 naming the URL and how to start the agent', async () => {
    const port = await closedPort();
    const result = await runCliAsync(['status'], { env: { ATOM_HTTP_PORT: String(port), ATOM_ADMIN_TOKEN: ADMIN_TOKEN }, timeoutMs: CLI_TIMEOUT_MS });
    expect(result.status).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toContain(`cannot reach the agent at http://127.0.0.1:${port} (connection refused)`);
    expect(result.stderr).toContain('atom-sync agent');
    expectNoSecrets(result);
  });

  it('an agent without ATOM_ADMIN_TOKEN: exit 1 with its 503 message', async () => {
    r = await startAgent({});
    const result = await runCliAsync(['conflicts', 'list'], { env: { ATOM_ADMIN_URL: r.shell.url, ATOM_ADMIN_TOKEN: ADMIN_TOKEN }, timeoutMs: CLI_TIMEOUT_MS });
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/unavailable \(503\): .*ATOM_ADMIN_TOKEN/);
    expectNoSecrets(result);
  });

  it('a 409 refusal: exit 1 with the message and the events the actor accepts now', async () => {
    // A stand-in agent: the real connection actor takes connection.reconnect in every state.
    const server = createHttpServer((_req, res) => {
      res.writeHead(409, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: 'Conflict', message: `connection cannot take connection.reconnect now (${ADMIN_TOKEN})`, accepts: ['connection.enable', 'connection.disable'] }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = server.address() as { port: number };
      const result = await runCliAsync(['reconnect'], { env: { ATOM_ADMIN_URL: `http://127.0.0.1:${port}`, ATOM_ADMIN_TOKEN: ADMIN_TOKEN }, timeoutMs: CLI_TIMEOUT_MS });
      expect(result.status).toBe(1);
      expect(result.stderr).toMatch(/refused \(409\): connection cannot take connection.reconnect now \(\*\*\*\)/);
      expect(result.stderr).toMatch(/^ {2}accepted now: connection.enable, connection.disable$/m);
      expectNoSecrets(result);
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});
