import { COMMANDS, type CommandEntry } from './commands.ts';

/** Entry point of `atom-sync`: picks the sub-command and returns the process exit code. */
export async function main(argv: readonly string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(helpText());
    return 0;
  }
  if (name === '--version' || name === '-v') {
    const { version } = await import('../../package.json', { with: { type: 'json' } }).then((m) => m.default);
    process.stdout.write(`${version}\n`);
    return 0;
  }
  const entry: CommandEntry | undefined = COMMANDS[name];
  if (!entry) {
    process.stderr.write(`atom-sync: unknown command '${name}'\n\n${helpText()}`);
    return 2;
  }
  const command = await entry.load();
  if (rest.includes('--help') || rest.includes('-h')) {
    process.stdout.write(`${command.usage}\n`);
    return 0;
  }
  return command.run(rest);
}

export function helpText(): string {
  const width = Math.max(...Object.keys(COMMANDS).map((n) => n.length));
  const lines = Object.entries(COMMANDS).map(([n, c]) => `  ${n.padEnd(width)}  ${c.summary}`);
  return [
    'atom-sync: keeps a local Atom marketplace in sync with the Atom SaaS marketplace',
    '',
    'usage: atom-sync <command> [options]',
    '',
    'commands:',
    ...lines,
    '',
    'Configuration comes from the environment and ./.env (see README, "Configuration").',
    "Run 'atom-sync <command> --help' for a command's options.",
    '',
  ].join('\n');
}
