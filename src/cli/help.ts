import type { Command } from './command.ts';
import { usageError } from './usage.ts';

const USAGE = [
  'usage: atom-sync help [<command>]',
  '',
  'Prints the overview of every command, or the help of one command (the same as `atom-sync <command> --help`).',
].join('\n');

/** `atom-sync help [command]`. */
export const helpCommand: Command = {
  summary: 'show the help of atom-sync, or of one command (atom-sync help <command>)',
  usage: USAGE,
  options: {},
  maxPositionals: 1,
  examples: ['atom-sync help', 'atom-sync help status'],
  async run({ positionals }) {
    // Loaded here: main.ts imports this module lazily, and main.ts holds the help texts.
    const { COMMANDS } = await import('./commands.ts');
    const { commandHelp, helpText } = await import('./main.ts');
    const name = positionals[0];
    if (name === undefined) {
      process.stdout.write(helpText());
      return 0;
    }
    const entry = Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : undefined;
    if (!entry) return usageError('help', USAGE, `unknown command '${name}' (one of: ${Object.keys(COMMANDS).join(', ')})`);
    process.stdout.write(commandHelp(name, await entry.load()));
    return 0;
  },
};
