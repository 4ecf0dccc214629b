import { checkConfigCommand } from './check-config.ts';
import { migrateCommand } from './migrate.ts';

/** One sub-command of `atom-sync`. `run` returns the exit code; it never calls process.exit itself. */
export interface Command {
  summary: string;
  usage: string;
  run(args: readonly string[]): Promise<number>;
}

/** Every sub-command, in the order `--help` lists them. */
export const COMMANDS: Record<string, Command> = {
  'check-config': checkConfigCommand,
  migrate: migrateCommand,
};
