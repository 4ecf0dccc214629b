import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SimulatedClock } from 'xstate';
import type { AgentConfig } from '../../../../src/config/index.ts';
import { createAgent, type Agent } from '../../../../src/runtime/create-agent.ts';
import type { RunningPlatform } from '../../../../src/platform/server.ts';
import { adminCall, INSTANCE_TOKEN, startSeededPlatform } from '../../../support/platform.ts';
import { agentConfig } from '../../../support/config.ts';
import { startFaultProxy, type Fault, type FaultProxy } from '../../../support/fault-proxy.ts';
import { startTcpFaultProxy, type TcpFaultProxy } from '../../../support/tcp-fault-proxy.ts';

// The real system the model-based runtime tests drive: the reference platform on 127.0.0.1, the
// agent built by createAgent on a simulated clock, and fault proxies between them.

/**
 * The platform's pings run on its real clock while the agent's watchdog runs on the simulated one:
 * pings an hour apart leave staleness to the simulated clock. Reconnect storms are the point of
 * these tests, so the per-token connect limit (10 a minute) is lifted.
 */
const QUIET_PUSH = { pingIntervalMs: 3_600_000, pongTimeoutMs: 3_600_000, maxConnectAttemptsPerMinute: 1_000_000 };

export interface SharedPlatform {
  platform: RunningPlatform;
  close(): Promise<void>;
}

/**
 * One seeded platform for a whole test file (beforeAll): starting one costs more than a path.
 * `now` puts the platform on the agent's simulated timeline (default: the real clock).
 */
export async function startSharedPlatform(skills: number, options: { now?: () => number } = {}): Promise<SharedPlatform> {
  const dir = mkdtempSync(join(tmpdir(), 'atom-model-platform-'));
  const push = QUIET_PUSH;
  const platform = await startSeededPlatform(dir, skills, { push, ...(options.now ? { now: options.now } : {}) });
  return {
    platform,
    close: async () => {
      // A request cut mid-body by the TCP proxy leaves the HTTP fault proxy's forwarded request
      // waiting for the rest of its body: close such connections rather than wait for them.
      platform.app.server.closeAllConnections();
      await platform.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export interface WorldOptions {
  platform: RunningPlatform;
  /** ATOM_* variables on top of the URLs and the token. */
  env?: Record<string, string>;
  /** `proxied`: agent → TCP fault proxy → HTTP fault proxy (status answers) → platform. */
  http: 'direct' | 'proxied';
  /** `proxied`: the WebSocket goes through its own TCP fault proxy. */
  ws: 'direct' | 'proxied';
  /** Where the simulated clock starts (default: now); never before the real now. */
  clockStart?: number;
}

export interface AgentWorld {
  readonly platform: RunningPlatform;
  readonly clock: SimulatedClock;
  readonly config: AgentConfig;
  /** The running agent; a new one after `restart`. */
  readonly agent: Agent;
  readonly wsProxy: TcpFaultProxy | undefined;
  readonly httpProxy: TcpFaultProxy | undefined;
  readonly faultProxy: FaultProxy | undefined;
  /** What the HTTP fault proxy answers from now on (proxied HTTP only). */
  httpFault: Fault;
  /** Called with every agent created (the first and each restart), before it starts. */
  onAgent(listener: (agent: Agent) => void): void;
  /** Starts the first agent and resolves once it runs. */
  start(): Promise<void>;
  /** Stops the agent and creates a new one on the same database (restored snapshots); `wait` for it to run. */
  restart(options?: { wait?: boolean }): Promise<void>;
  /** Revokes the agent's token through the platform's admin API (401 from then on). */
  revokeToken(): Promise<void>;
  /** The operator rotated the token: it is valid again. */
  restoreToken(): void;
  /** Publishes a skill through the admin API (a broadcast on the WebSocket); returns its id. */
  publishSkill(name: string): Promise<string>;
  close(): Promise<void>;
}

export async function startWorld(options: WorldOptions): Promise<AgentWorld> {
  const { platform } = options;
  const dir = mkdtempSync(join(tmpdir(), 'atom-model-agent-'));
  const target = { host: '127.0.0.1', port: Number(new URL(platform.url).port) };
  const closers: (() => Promise<unknown> | unknown)[] = [() => rmSync(dir, { recursive: true, force: true })];

  let faultProxy: FaultProxy | undefined;
  let httpProxy: TcpFaultProxy | undefined;
  let apiUrl = platform.url;
  const state = { httpFault: { kind: 'pass' } as Fault };
  if (options.http === 'proxied') {
    faultProxy = await startFaultProxy(platform.url, () => state.httpFault);
    closers.push(() => faultProxy!.close());
    const faultPort = Number(new URL(faultProxy.url).port);
    httpProxy = await startTcpFaultProxy({ host: '127.0.0.1', port: faultPort });
    closers.push(() => httpProxy!.close());
    apiUrl = httpProxy.url('http');
  }
  let wsProxy: TcpFaultProxy | undefined;
  let wsUrl = platform.wsUrl;
  if (options.ws === 'proxied') {
    wsProxy = await startTcpFaultProxy(target);
    closers.push(() => wsProxy!.close());
    wsUrl = `${wsProxy.url('ws')}/ws`;
  }

  const config = agentConfig(dir, { ATOM_SAAS_API_URL: apiUrl, ATOM_SAAS_WS_URL: wsUrl, ATOM_SAAS_API_TOKEN: INSTANCE_TOKEN, ATOM_SAAS_API_TIMEOUT_SECONDS: '10', ...options.env });
  const clock = new SimulatedClock();
  clock.set(Math.max(Date.now(), options.clockStart ?? 0));
  const listeners: ((agent: Agent) => void)[] = [];
  let agent: Agent | undefined;
  const create = () => {
    agent = createAgent({ config, clock });
    for (const listener of listeners) listener(agent);
    return agent;
  };

  return {
    platform,
    clock,
    config,
    get agent() {
      if (!agent) throw new Error('the world has not started');
      return agent;
    },
    wsProxy,
    httpProxy,
    faultProxy,
    get httpFault() {
      return state.httpFault;
    },
    set httpFault(fault: Fault) {
      state.httpFault = fault;
    },
    onAgent: (listener) => void listeners.push(listener),
    start: () => create().start(),
    async restart({ wait = true } = {}) {
      await agent?.stop();
      const starting = create().start();
      starting.catch(() => {});
      if (wait) await starting;
    },
    async revokeToken() {
      const res = await adminCall(platform, 'DELETE', `/api/v1/tokens/${INSTANCE_TOKEN}`);
      if (res.status !== 200) throw new Error(`revoking the token answered ${res.status}`);
    },
    restoreToken: () => platform.app.platform.store.tokens.register(INSTANCE_TOKEN, 'agent-under-test', 'test'),
    async publishSkill(name) {
      const res = await adminCall(platform, 'POST', '/api/v1/skills', {
        name, description: 'published by a model-based test', version: '1.0.0', code: 'x', command: 'python', category: 'automation',
        python_packages: [], npm_packages: [], tags: [], metadata: {},
      });
      if (res.status !== 201 && res.status !== 200) throw new Error(`publishing answered ${res.status}`);
      return res.json.skill_id as string;
    },
    async close() {
      // A request held by a proxy would keep the agent's stop waiting (undici closes gracefully,
      // up to the request deadline): let everything through first.
      state.httpFault = { kind: 'pass' };
      await httpProxy?.setMode({ kind: 'pass' });
      await wsProxy?.setMode({ kind: 'pass' });
      await agent?.stop();
      platform.app.platform.store.tokens.register(INSTANCE_TOKEN, 'agent-under-test', 'test');
      for (const close of closers.reverse()) await close();
    },
  };
}

/** Lets the simulated clock run to `deadline` (never backwards). */
export function advanceTo(clock: SimulatedClock, deadline: number | null | undefined): void {
  if (deadline === null || deadline === undefined) throw new Error('no deadline in context to advance the clock to');
  clock.increment(Math.max(0, deadline - clock.now()));
}
