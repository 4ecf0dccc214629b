import type { FastifyInstance } from 'fastify';
import type { AgentConfig } from '../config/index.ts';
import type { Agent } from '../runtime/create-agent.ts';
import { isLoopbackHost } from '../config/bind-rules.ts';
import { buildApp, type ShellOptions } from './app.ts';

/** The warning a non-loopback bind deserves (undefined on loopback): the shell is then on the network. */
export function exposureWarning(host: string): string | undefined {
  if (isLoopbackHost(host)) return undefined;
  return `the HTTP shell binds ${host}, not a loopback address: anyone who can reach it on the network can call it; ` +
    'the admin API and the local API\'s write routes require ATOM_ADMIN_TOKEN, health, metrics and skill reads need none (docs/security.md)';
}

export interface RunningShell {
  app: FastifyInstance;
  /** http://host:port */
  url: string;
  /** Stops taking requests, ends open streams, then stops the agent. Idempotent. */
  close(): Promise<void>;
}

/** Listens on config.http.host/port (127.0.0.1:8000 unless configured; port 0 picks a free one). */
export async function startServer(agent: Agent, config: AgentConfig, options: ShellOptions = {}): Promise<RunningShell> {
  const app = buildApp(agent, config, options);
  const { host, port } = config.http;
  const warning = exposureWarning(host);
  if (warning) options.logger?.warn({ host }, warning);
  try {
    await app.listen({ host, port });
  } catch (err) {
    await app.close();
    throw err;
  }
  const address = app.server.address();
  const bound = typeof address === 'object' && address ? address.port : port;
  // An IPv6 literal needs brackets inside a URL.
  const hostInUrl = host.includes(':') ? `[${host}]` : host;
  let closing: Promise<void> | undefined;
  return { app, url: `http://${hostInUrl}:${bound}`, close: () => (closing ??= app.close()) };
}
