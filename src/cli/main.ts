import { parseCommandArgs, printable } from './args.ts';
import { COMMANDS, type CommandEntry } from './commands.ts';
import type { Command } from './command.ts';
import { usageError } from './usage.ts';

/** Entry point of `atom-sync`: picks the sub-command, parses its arguments strictly, returns the exit code. */
export async function main(argv: readonly string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h') {
    process.stdout.write(helpText());
    return 0;
  }
  if (name === '--version' || name === '-v') {
    process.stdout.write(`${await version()}\n`);
    return 0;
  }
  const entry: CommandEntry | undefined = Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : undefined;
  if (!entry) {
    const what = name.startsWith('-') ? `unknown option ${printable(name)}` : `unknown command '${printable(name)}'`;
    process.stderr.write(`atom-sync: ${what}\n\n${helpText()}`);
    return 2;
  }
  const command = await entry.load();
  const parsed = parseCommandArgs(rest, command.options, command.maxPositionals ?? 0);
  if (parsed.kind === 'help') {
    process.stdout.write(commandHelp(name, command));
    return 0;
  }
  if (parsed.kind === 'usage-error') return usageError(name, command.usage, parsed.problem);
  return command.run(parsed.args);
}

/** `atom-sync <command> --help`: the usage, then examples. */
export function commandHelp(name: string, command: Command): string {
  return [
    command.usage,
    '',
    'examples:',
    ...command.examples.map((e) => `  ${e}`),
    '',
    `  -h, --help   show this help (also: atom-sync help ${name})`,
    '',
  ].join('\n');
}

export function helpText(): string {
  const width = Math.max(...Object.keys(COMMANDS).map((n) => n.length));
  const lines = Object.entries(COMMANDS).map(([n, c]) => `  ${n.padEnd(width)}  ${c.summary}`);
  return [
    'atom-sync: keeps a local Atom marketplace in sync with the Atom SaaS marketplace',
    '',
    'usage: atom-sync <command> [options]',
    '       atom-sync help <command>     a command\'s options and examples (or: atom-sync <command> --help)',
    '       atom-sync --version          the version of atom-sync',
    '',
    'commands:',
    ...lines,
    '',
    'examples:',
    '  atom-sync demo                    try it: a local marketplace with 5,000 skills and the agent',
    '  cp .env.example .env              then edit .env: ATOM_SAAS_API_URL, ATOM_SAAS_API_TOKEN, ...',
    '  atom-sync check-config            validate that configuration, secrets masked',
    '  atom-sync agent                   run the agent (ATOM_SAAS_ENABLED=false: local-only, no marketplace)',
    '  atom-sync status                  ask the running agent how sync is doing',
    '',
    'Configuration comes from the environment and ./.env (every variable: .env.example, docs/configuration.md).',
    '',
  ].join('\n');
}

async function version(): Promise<string> {
  const pkg = await import('../../package.json', { with: { type: 'json' } });
  return (pkg.default as { version: string }).version;
}
