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
