import { configSecrets, redactedConfig } from '../config/index.ts';
import { createLogger } from '../logging/logger.ts';
import { createAgent, type Agent } from '../runtime/create-agent.ts';
import { stateString } from '../runtime/actor-host.ts';
import { exposureWarning, startServer, type RunningShell } from '../http/server.ts';
import { loadCliConfig } from './load-cli-config.ts';
import { untilSignal } from './signals.ts';
import { installCrashHandlers, stopWithin } from './process-guard.ts';
import type { Command } from './command.ts';

/** Printed after the problems when the agent cannot start for want of configuration: where to begin. */
export const FIRST_RUN_HINT = [
  'atom-sync agent: to configure it, copy .env.example to .env and set ATOM_SAAS_API_URL and ATOM_SAAS_API_TOKEN;',
  '  or run it local-only, without a marketplace: ATOM_SAAS_ENABLED=false atom-sync agent',
  '  or try everything on this machine first: atom-sync demo (a reference marketplace and the agent)',
].join('\n');

/** `atom-sync agent`: the sync agent alone, configured by the environment, until SIGINT or SIGTERM. */
export const agentCommand: Command = {
  summary: 'run the sync agent (configured by ATOM_* variables) until SIGINT or SIGTERM',
  usage: [
    'usage: atom-sync agent',
    '',
    'Starts the sync agent: migrates ATOM_DB_PATH, restores its actors, runs the initial sync,',
    'then polls every ATOM_SAAS_SYNC_INTERVAL_MINUTES and uploads ratings every',
    'ATOM_SAAS_RATING_SYNC_INTERVAL_MINUTES. Logs are JSON lines on stdout (ATOM_LOG_LEVEL).',
    'The HTTP shell (health probes, /metrics, the admin API) listens on ATOM_HTTP_HOST:ATOM_HTTP_PORT',
    '(127.0.0.1:8000 by default) from before the initial sync, so probes answer while it runs.',
    'Exits 1 on an invalid configuration, listing every problem. It takes no options: every setting is',
    'an ATOM_* variable (atom-sync check-config shows them; .env.example lists them).',
  ].join('\n'),
  options: {},
  examples: [
    'atom-sync agent',
    'ATOM_SAAS_ENABLED=false ATOM_HTTP_PORT=8080 atom-sync agent',
    'ATOM_ENV_FILE=/etc/atom-sync.env atom-sync agent',
  ],
  async run() {
    const config = loadCliConfig();
    if (!config) {
      process.stderr.write(`${FIRST_RUN_HINT}\n`);
      return 1;
    }
    const logger = createLogger({ level: config.log.level, secrets: configSecrets(config) });
    installCrashHandlers(logger);
    let agent: Agent;
    try {
      agent = createAgent({ config, logger });
    } catch (error) {
      logger.error({ err: error }, 'cannot start the agent');
      return 1;
    }
    agent.transitions.on('transition', (t) => logger.debug({ actor: t.actorId, event: t.eventType, from: t.from, to: t.to }, 'transition'));
    logger.info({ config: redactedConfig(config) }, 'agent starting');
    const stopping = untilSignal();
    const exposed = exposureWarning(config.http.host);
    if (exposed) process.stderr.write(`atom-sync agent: WARNING: ${exposed}\n`);
    let shell: RunningShell;
    try {
      shell = await startServer(agent, config, { logger: logger.child({ component: 'http' }), processMetrics: true });
    } catch (error) {
      logger.error({ err: error, host: config.http.host, port: config.http.port }, 'cannot start the HTTP shell');
      await stopWithin('the agent', () => agent.stop(), logger);
      return 1;
    }
    logger.info({ url: shell.url, admin: config.http.adminToken ? `${shell.url}/api/admin` : 'disabled (set ATOM_ADMIN_TOKEN)' }, 'HTTP shell listening');
    try {
      await agent.start();
    } catch (error) {
      logger.error({ err: error }, 'agent failed to start');
      await stopWithin('the HTTP shell', () => shell.close(), logger);
      await stopWithin('the agent', () => agent.stop(), logger);
      return 1;
    }
    const snapshot = agent.actors.agent.getSnapshot();
    logger.info({ state: stateString(snapshot.value), degraded: snapshot.context.degraded, skills: agent.store.skills.count() }, 'agent running');
    const signal = await stopping;
    logger.info(`${signal}: stopping`);
    // The shell first: no request may reach an agent that is shutting down.
    const shellStopped = await stopWithin('the HTTP shell', () => shell.close(), logger);
    const agentStopped = await stopWithin('the agent', () => agent.stop(), logger);
    return shellStopped && agentStopped ? 0 : 1;
  },
};
