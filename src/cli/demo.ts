import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { configSecrets, loadConfig, formatProblems } from '../config/index.ts';
import { createLogger } from '../logging/logger.ts';
import { startPlatform, DEFAULT_PLATFORM_PORT } from '../platform/server.ts';
import { seedCatalog } from '../platform/seed/seed.ts';
import { createAgent } from '../runtime/create-agent.ts';
import { stateString } from '../runtime/actor-host.ts';
import { startServer, type RunningShell } from '../http/server.ts';
import { untilSignal } from './signals.ts';
import type { ParsedArgs } from './args.ts';
import { installCrashHandlers, stopWithin } from './process-guard.ts';
import { usageError } from './usage.ts';
import type { Command } from './command.ts';

const DEMO_SKILLS = 5000;
const DEMO_DIR = './data/demo';

/** `--platform-port N` (the only option) checked: the reference marketplace's port, or an error message. */
export function demoOptions({ values }: ParsedArgs): { platformPort: number } | string {
  const value = values['platform-port'];
  if (value === undefined) return { platformPort: DEFAULT_PLATFORM_PORT };
  // Not 0: the agent is configured with the platform's URL before the platform listens.
  if (typeof value !== 'string' || !/^\d{1,5}$/.test(value) || Number(value) < 1 || Number(value) > 65535) {
    return '--platform-port needs a port from 1 to 65535';
  }
  return { platformPort: Number(value) };
}

/** The three tokens of the demo: taken from the environment, or generated (and then printed). */
function demoTokens(env: NodeJS.ProcessEnv) {
  const pick = (name: string) => {
    const given = env[name];
    return given ? { value: given, generated: false } : { value: randomBytes(24).toString('base64url'), generated: true };
  };
  return {
    ATOM_PLATFORM_ADMIN_TOKEN: pick('ATOM_PLATFORM_ADMIN_TOKEN'),
    ATOM_SAAS_API_TOKEN: pick('ATOM_SAAS_API_TOKEN'),
    ATOM_ADMIN_TOKEN: pick('ATOM_ADMIN_TOKEN'),
  };
}

/** `atom-sync demo` (`npm start`): the reference marketplace seeded with 5,000 skills plus the agent. */
export const demoCommand: Command = {
  summary: 'reference marketplace (5,000 skills) + sync agent on 127.0.0.1, for trying things out',
  usage: [
    'usage: atom-sync demo [--platform-port N]',
    '',
    `Starts the reference marketplace on 127.0.0.1:${DEFAULT_PLATFORM_PORT} (database ${DEMO_DIR}/platform.db, seeded with`,
    `${DEMO_SKILLS} skills on first run) and the sync agent against it (database ${DEMO_DIR}/agent.db unless`,
    'ATOM_DB_PATH is set). ATOM_PLATFORM_ADMIN_TOKEN, ATOM_SAAS_API_TOKEN and ATOM_ADMIN_TOKEN are taken',
    'from the environment, or generated and printed. Other ATOM_* variables apply as usual.',
    'The agent\'s HTTP shell (admin API, viewer page at /admin, health, metrics) listens on 127.0.0.1:8000',
    '(ATOM_HTTP_PORT to change).',
    '',
    `  --platform-port N   port of the reference marketplace (default ${DEFAULT_PLATFORM_PORT})`,
  ].join('\n'),
  options: { 'platform-port': { type: 'string' } },
  examples: [
    'npm start                                   (the same as atom-sync demo)',
    'atom-sync demo --platform-port 15058',
    'ATOM_HTTP_PORT=8080 ATOM_ADMIN_TOKEN=my-admin-token-0123456789 atom-sync demo',
  ],
  async run(parsed) {
    const args = demoOptions(parsed);
    if (typeof args === 'string') return usageError('demo', demoCommand.usage, args);
    const { platformPort } = args;
    const tokens = demoTokens(process.env);
    const platformDb = join(DEMO_DIR, 'platform.db');
    const loaded = loadConfig({
      env: {
        ...process.env,
        ATOM_SAAS_ENABLED: 'true',
        ATOM_SAAS_API_URL: `http://127.0.0.1:${platformPort}`,
        ATOM_SAAS_API_TOKEN: tokens.ATOM_SAAS_API_TOKEN.value,
        ATOM_ADMIN_TOKEN: tokens.ATOM_ADMIN_TOKEN.value,
        ATOM_DB_PATH: process.env.ATOM_DB_PATH || join(DEMO_DIR, 'agent.db'),
        // The demo prints tokens: its shell is reachable from this machine only.
        ATOM_HTTP_HOST: '127.0.0.1',
      },
    });
    if (!loaded.ok) {
      process.stderr.write(`atom-sync demo: ${formatProblems(loaded.problems)}\n`);
      return 1;
    }
    const config = loaded.config;
    const secrets = [...configSecrets(config), tokens.ATOM_PLATFORM_ADMIN_TOKEN.value];
    const logger = createLogger({ level: config.log.level === 'info' ? 'warn' : config.log.level, secrets });
    installCrashHandlers(logger);
    const out = (line = '') => process.stdout.write(`${line}\n`);

    let platform;
    try {
      platform = await startPlatform({
        db: platformDb, host: '127.0.0.1', port: platformPort,
        adminToken: tokens.ATOM_PLATFORM_ADMIN_TOKEN.value, logger: logger.child({ component: 'platform' }),
      });
    } catch (error) {
      process.stderr.write(`atom-sync demo: cannot start the reference marketplace on 127.0.0.1:${platformPort}: ${(error as Error).message}\n`);
      return 1;
    }
    const store = platform.app.platform.store;
    const seeded = seedCatalog(store.db, DEMO_SKILLS);
    store.tokens.register(tokens.ATOM_SAAS_API_TOKEN.value, 'demo-agent', 'registered by atom-sync demo');

    const agent = createAgent({ config, logger: logger.child({ component: 'agent' }) });
    let shell: RunningShell;
    try {
      shell = await startServer(agent, config, { logger: logger.child({ component: 'http' }), processMetrics: true });
    } catch (error) {
      process.stderr.write(`atom-sync demo: cannot start the agent's HTTP shell on ${config.http.host}:${config.http.port}: ${(error as Error).message}\n`);
      await agent.stop();
      await platform.close();
      return 1;
    }
    try {
      await agent.start();
    } catch (error) {
      process.stderr.write(`atom-sync demo: the agent failed to start: ${(error as Error).message}\n`);
      await shell.close();
      await agent.stop();
      await platform.close();
      return 1;
    }

    out('atom-sync demo is running (Ctrl-C stops it)');
    out();
    out(`  reference marketplace  ${platform.url}/api/v1   push ${platform.wsUrl}   health ${platform.url}/health`);
    out(`                         ${seeded.seeded ? `seeded ${seeded.skills} skills` : `${seeded.skills} skills`} in ${platformDb}`);
    out(`  sync agent             ${stateString(agent.actors.agent.getSnapshot().value)}; cache holds ${agent.store.skills.count()} skills, ${agent.store.categories.count()} categories (${config.db.path})`);
    out(`  agent shell            ${shell.url}   admin API ${shell.url}/api/admin   health ${shell.url}/health/sync   metrics ${shell.url}/metrics`);
    out(`  viewer page            ${shell.url}/admin   (open it in a browser; it asks for ATOM_ADMIN_TOKEN)`);
    out();
    const generated = Object.entries(tokens).filter(([, t]) => t.generated);
    // Lines a user pastes into another terminal: `export` them, or the try lines below find no token.
    out(generated.length > 0
      ? '  in another terminal, paste (the tokens were generated; set these variables to choose your own):'
      : '  tokens: taken from the environment; in another terminal, export them too, then paste:');
    for (const [name, t] of generated) out(`    export ${name}='${t.value}'`);
    out(`    export ATOM_ADMIN_URL='${shell.url}'`);
    out();
    out('  then try:');
    out(`    curl -H "Authorization: Bearer $ATOM_SAAS_API_TOKEN" '${platform.url}/api/v1/skills?page_size=2'`);
    out(`    curl -H "Authorization: Bearer $ATOM_ADMIN_TOKEN" '${shell.url}/api/admin/actors'`);
    out('    npx atom-sync status');

    const signal = await untilSignal();
    out(`${signal}: stopping`);
    // The shell first: no request may reach an agent that is shutting down.
    const stopped = [
      await stopWithin('the HTTP shell', () => shell.close(), logger),
      await stopWithin('the agent', () => agent.stop(), logger),
      await stopWithin('the reference marketplace', () => platform.close(), logger),
    ];
    return stopped.every(Boolean) ? 0 : 1;
  },
};
