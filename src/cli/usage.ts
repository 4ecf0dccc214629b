import { printable } from './args.ts';

/** Prints a usage problem and the command's usage to stderr and returns 2, the exit code of every usage error. */
export function usageError(name: string, usage: string, problem: string): number {
  process.stderr.write(`atom-sync ${name}: ${problem}\n\n${usage}\n\nRun 'atom-sync ${name} --help' for examples.\n`);
  return 2;
}

export { printable };
