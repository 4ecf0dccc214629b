import { agentCommand } from './agent.ts';
import { checkConfigCommand } from './check-config.ts';
import { demoCommand } from './demo.ts';
import { migrateCommand } from './migrate.ts';
import { platformCommand } from './platform.ts';
import { syncCommand } from './sync.ts';

/** One sub-command of `atom-sync`. `run` returns the exit code; it never calls process.exit itself. */
export interface Command {
  summary: string;
  usage: string;
  run(args: readonly string[]): Promise<number>;
}

/** Every sub-command, in the order `--help` lists them. */
export const COMMANDS: Record<string, Command> = {
  demo: demoCommand,
  agent: agentCommand,
  sync: syncCommand,
  platform: platformCommand,
  'check-config': checkConfigCommand,
  migrate: migrateCommand,
};
