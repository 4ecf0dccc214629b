import type { OptionTable, ParsedArgs } from './args.ts';

/**
 * One sub-command of `atom-sync`. main.ts parses its command line strictly against `options` (at most
 * `maxPositionals` positional arguments, 0 if absent) before `run`; `run` returns the exit code and never
 * calls process.exit itself. `usage` names every option; `examples` are shown by `--help`.
 */
export interface Command {
  summary: string;
  usage: string;
  options: OptionTable;
  maxPositionals?: number;
  examples: readonly string[];
  run(args: ParsedArgs): Promise<number>;
}

/** A command's one-line summary for `--help`, and its module, loaded only when the command runs. */
export interface CommandEntry {
  summary: string;
  load(): Promise<Command>;
}

// Each command is imported on demand: `atom-sync --help` or `check-config` must not pay for
// loading Fastify, XState and undici (start-up stays well under the 2 s budget).
export const COMMANDS: Record<string, CommandEntry> = {
  help: {
    summary: 'show the help of atom-sync, or of one command (atom-sync help <command>)',
    load: async () => (await import('./help.ts')).helpCommand,
  },
  demo: {
    summary: 'reference marketplace (5,000 skills) + sync agent on 127.0.0.1, for trying things out',
    load: async () => (await import('./demo.ts')).demoCommand,
  },
  agent: {
    summary: 'run the sync agent (configured by ATOM_* variables) until SIGINT or SIGTERM',
    load: async () => (await import('./agent.ts')).agentCommand,
  },
  sync: {
    summary: 'run one full sync now and exit 0 (success) or 1 (failure)',
    load: async () => (await import('./sync.ts')).syncCommand,
  },
  platform: {
    summary: 'run the reference Atom SaaS marketplace (HTTP API, WebSocket push)',
    load: async () => (await import('./platform.ts')).platformCommand,
  },
  'check-config': {
    summary: 'validate the configuration and print it, secrets masked (exit 1 on any problem)',
    load: async () => (await import('./check-config.ts')).checkConfigCommand,
  },
  migrate: {
    summary: 'create or upgrade the agent database (ATOM_DB_PATH) and check its integrity',
    load: async () => (await import('./migrate.ts')).migrateCommand,
  },
  viz: {
    summary: 'draw the statecharts: print one (Mermaid or terminal art), or write/check visualizations/',
    load: async () => (await import('./viz.ts')).vizCommand,
  },
  status: {
    summary: 'show the running agent\'s sync status and health (admin API)',
    load: async () => (await import('./status.ts')).statusCommand,
  },
  reconnect: {
    summary: 'make the running agent reconnect its WebSocket now (admin API)',
    load: async () => (await import('./reconnect.ts')).reconnectCommand,
  },
  resync: {
    summary: 'make the running agent run a full sync now, optionally waiting for it (admin API)',
    load: async () => (await import('./resync.ts')).resyncCommand,
  },
  conflicts: {
    summary: 'list, show and resolve the running agent\'s sync conflicts (admin API)',
    load: async () => (await import('./conflicts.ts')).conflictsCommand,
  },
  actors: {
    summary: 'list the running agent\'s actors, or show one with its last transitions (admin API)',
    load: async () => (await import('./actors.ts')).actorsCommand,
  },
  replay: {
    summary: 'replay a trace (GET /api/admin/trace) against the charts; report the first step that differs',
    load: async () => (await import('./replay.ts')).replayCommand,
  },
};
