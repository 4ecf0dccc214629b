import { parseArgs } from 'node:util';

// The one argument parser of every `atom-sync` command: node:util parseArgs in strict mode, driven by
// the option table each command declares. Unknown options, missing values and stray arguments are
// usage errors (exit 2 with the command's usage); `--help`/`-h` is understood by every command.

/** One option of a command. Adding an option is one entry in the command's `options` table. */
export interface OptionSpec {
  type: 'string' | 'boolean';
  short?: string;
}

export type OptionTable = Record<string, OptionSpec>;

/** What a command's `run` receives: option values by long name, and the positional arguments. */
export interface ParsedArgs {
  values: Record<string, string | boolean | undefined>;
  positionals: string[];
}

export type ParseOutcome =
  | { kind: 'ok'; args: ParsedArgs }
  | { kind: 'help' }
  | { kind: 'usage-error'; problem: string };

/**
 * Parses `argv` against `options`, allowing at most `maxPositionals` positional arguments.
 * Never throws: a bad command line becomes `usage-error` naming its first problem.
 */
export function parseCommandArgs(argv: readonly string[], options: OptionTable, maxPositionals = 0): ParseOutcome {
  let parsed: { values: Record<string, unknown>; positionals: string[] };
  try {
    parsed = parseArgs({
      args: [...argv],
      options: { ...options, help: { type: 'boolean', short: 'h' } },
      strict: true,
      allowPositionals: true,
    }) as { values: Record<string, unknown>; positionals: string[] };
  } catch (error) {
    return { kind: 'usage-error', problem: describeParseError(error) };
  }
  if (parsed.values.help === true) return { kind: 'help' };
  if (parsed.positionals.length > maxPositionals) {
    const stray = parsed.positionals.slice(maxPositionals).map(printable).join(' ');
    return { kind: 'usage-error', problem: `unexpected argument${parsed.positionals.length - maxPositionals > 1 ? 's' : ''} ${stray}` };
  }
  const { help: _help, ...values } = parsed.values;
  return { kind: 'ok', args: { values: values as ParsedArgs['values'], positionals: parsed.positionals } };
}

/** parseArgs' messages are long and suggest `--`; ours name the option and stop there. */
function describeParseError(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const code = (error as { code?: string }).code;
  const option = /'(-[^'\s]*)/.exec(message)?.[1];
  if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' && option) return `unknown option ${printable(option)}`;
  if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE' && option) {
    return /argument missing/.test(message) ? `${printable(option)} needs a value` : `${printable(option)} takes no value`;
  }
  return message.split('\n')[0] ?? message;
}

/** A command-line word as it may be echoed: short, one line, control characters shown as '?'. */
export function printable(word: string): string {
  // eslint-disable-next-line no-control-regex
  const clean = word.replace(/[\u0000-\u001f\u007f]/g, '?');
  return clean.length > 40 ? `${clean.slice(0, 39)}…` : clean;
}
