import { configSecrets } from '../config/index.ts';
import { createLogger } from '../logging/logger.ts';
import { createAgent } from '../runtime/create-agent.ts';
import { loadCliConfig } from './load-cli-config.ts';
import { createProgressReporter } from './progress.ts';
import { installCrashHandlers, stopWithin } from './process-guard.ts';
import { usageError } from './usage.ts';
import type { Command } from './command.ts';

const USAGE = [
  'usage: atom-sync sync --once [--deadline SECONDS]',
  '',
  'Runs one full sync against ATOM_SAAS_API_URL, with the usual retries (1, 2, 4 s), and exits 0 on',
  'success or 1 on failure. A sync that was interrupted (crash, kill -9) is resumed from its last',
  'committed page. Progress goes to stderr: a bar on a terminal, one line per 10 % otherwise. No',
  'periodic jobs run. At the platform\'s request limits the sync waits for each window (429 is flow',
  'control, not failure) and goes on until done.',
  '  --once              required: one sync, then exit (the agent runs the periodic syncs: atom-sync agent)',
  '  --deadline SECONDS  stop after that long instead: exit 1, and the next run resumes from the checkpoint',
].join('\n');

/** `atom-sync sync --once`: one full sync (resuming an interrupted one), then exit 0 or 1. */
export const syncCommand: Command = {
  summary: 'run one full sync now and exit 0 (success) or 1 (failure)',
  usage: USAGE,
  // One entry per option: parsed strictly (node:util parseArgs) by main.ts before run.
  options: {
    once: { type: 'boolean' },
    deadline: { type: 'string' },
  },
  examples: [
    'atom-sync sync --once',
    'atom-sync sync --once --deadline 600',
    'ATOM_LOG_LEVEL=debug atom-sync sync --once',
  ],
  async run({ values }) {
    if (values.once !== true) return usageError('sync', USAGE, 'only --once is supported; the agent runs periodic syncs (atom-sync agent)');
    const deadlineSeconds = values.deadline === undefined ? undefined : Number(values.deadline);
    if (deadlineSeconds !== undefined && !(Number.isInteger(deadlineSeconds) && deadlineSeconds > 0)) {
      return usageError('sync', USAGE, `--deadline takes a whole number of seconds above 0 (got ${String(values.deadline)})`);
    }
    const loaded = loadCliConfig();
    if (!loaded) return 1;
    if (!loaded.saas.enabled) {
      process.stderr.write('atom-sync sync: ATOM_SAAS_ENABLED=false: there is nothing to sync with\n');
      return 1;
    }
    const config = { ...loaded, scheduler: { enabled: false } };
    const logger = createLogger({ level: config.log.level === 'info' ? 'warn' : config.log.level, secrets: configSecrets(config) });
    installCrashHandlers(logger);
    const progress = createProgressReporter();
    const agent = createAgent({ config, logger, initialSync: 'full', realtime: false, onSyncProgress: (p) => progress.update(p, agent.budget?.status()) });
    // The chart's throttle (sync.throttled) on the progress line, with an ETA from the budget.
    agent.actors.syncCycle?.subscribe((s) => progress.throttled(s.context.throttledUntil, agent.budget?.status()));
    let timer: NodeJS.Timeout | undefined;
    try {
      const outcome = await Promise.race([
        agent.start().then(() => 'done' as const),
        ...(deadlineSeconds === undefined ? [] : [new Promise<'late'>((resolve) => (timer = setTimeout(() => resolve('late'), deadlineSeconds * 1000)))]),
      ]);
      progress.done();
      if (outcome === 'late') {
        process.stderr.write(`atom-sync sync: --deadline ${deadlineSeconds} s reached; ${agent.store.skills.count()} skills in the cache, the next run resumes from the checkpoint\n`);
        return 1;
      }
      const { context } = agent.actors.agent.getSnapshot();
      const state = agent.store.syncState.get();
      if (context.degraded) {
        process.stderr.write(`atom-sync sync: failed: ${state.lastError ?? context.lastError ?? 'unknown error'}\n`);
        return 1;
      }
      const result = agent.actors.syncCycle?.getSnapshot().context.lastResult;
      process.stdout.write(`synced ${result?.skills ?? 0} skills in ${result?.pages ?? 0} pages (${result?.deleted ?? 0} removed); cache holds ${agent.store.skills.count()} skills, ${agent.store.categories.count()} categories\n`);
      return 0;
    } finally {
      clearTimeout(timer);
      await stopWithin('the agent', () => agent.stop(), logger);
    }
  },
};
