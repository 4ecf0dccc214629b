import { expect } from 'vitest';
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import { createAgent, type Agent } from '../../src/runtime/create-agent.ts';
import type { Clock } from '../../src/policy/clock.ts';
import type { AgentConfig } from '../../src/config/index.ts';
import type { RunningPlatform } from '../../src/platform/server.ts';
import { buildApp, type ShellOptions } from '../../src/http/app.ts';
import { INSTANCE_TOKEN, PLATFORM_ADMIN, startSeededPlatform } from '../support/platform.ts';
import { agentConfig } from '../support/config.ts';
import { useTempDir } from '../support/temp-dir.ts';
import { useCleanups } from '../support/cleanups.ts';

export const ADMIN_TOKEN = 'shell-admin-token-0123456789abcdef';
export const ADMIN = { authorization: `Bearer ${ADMIN_TOKEN}` };

/** Every token a test configures: none of them may ever appear in anything the shell sends. */
export const SECRETS = [ADMIN_TOKEN, INSTANCE_TOKEN, PLATFORM_ADMIN];

export function expectNoSecrets(text: string, what = 'response'): void {
  for (const secret of SECRETS) expect(text.includes(secret), `${what} leaks a configured token`).toBe(false);
}

export type Request = (options: InjectOptions) => Promise<LightMyRequestResponse>;

/** `app.inject`, with every body and header the test sees checked for configured tokens. */
export function leakChecked(app: FastifyInstance): Request {
  return async (options) => {
    const response = await app.inject(options);
    expectNoSecrets(response.body, `${options.method ?? 'GET'} ${String(options.url)} body`);
    expectNoSecrets(JSON.stringify(response.headers), `${options.method ?? 'GET'} ${String(options.url)} headers`);
    return response;
  };
}

export interface Shell {
  dir: string;
  config: AgentConfig;
  agent: Agent;
  app: FastifyInstance;
  request: Request;
  platform?: RunningPlatform;
}

export interface ShellSetup {
  /** Seed a reference platform with this many skills and sync against it; omitted = local-only. */
  skills?: number;
  env?: Record<string, string>;
  clock?: Clock;
  /** Start the agent (default true). */
  start?: boolean;
  shell?: ShellOptions;
}

/**
 * Builds agents with their shell against the real reference platform (or local-only), closed after
 * each test: the app first (it stops the agent), then the platform.
 */
export function useShells(): (setup?: ShellSetup) => Promise<Shell> {
  const tempDir = useTempDir('atom-shell-');
  const cleanups = useCleanups();
  return async (setup = {}) => {
    const dir = tempDir();
    let platform: RunningPlatform | undefined;
    let env: Record<string, string> = { ATOM_SAAS_ENABLED: 'false', ATOM_ADMIN_TOKEN: ADMIN_TOKEN, ATOM_HTTP_PORT: '0' };
    if (setup.skills !== undefined) {
      const p = await startSeededPlatform(dir, setup.skills);
      platform = p;
      cleanups.push(() => p.close());
      env = { ATOM_ADMIN_TOKEN: ADMIN_TOKEN, ATOM_HTTP_PORT: '0', ATOM_SAAS_API_URL: p.url, ATOM_SAAS_API_TOKEN: INSTANCE_TOKEN, ATOM_SAAS_WS_ENABLED: 'false' };
    }
    const config = agentConfig(dir, { ...env, ...setup.env });
    const agent = createAgent({ config, ...(setup.clock ? { clock: setup.clock } : {}) });
    const app = buildApp(agent, config, setup.shell);
    cleanups.push(() => app.close());
    if (setup.start !== false) await agent.start();
    return { dir, config, agent, app, request: leakChecked(app), ...(platform ? { platform } : {}) };
  };
}
