// Every command's command line, through the real bin/atom-sync.js as a child process: unknown options
// and stray arguments exit 2 with the command's usage, --help shows examples, and nothing starts.
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { COMMANDS } from '../../src/cli/commands.ts';
import { runCli } from '../support/cli.ts';
import { useTempDir } from '../support/temp-dir.ts';

const NAMES = Object.keys(COMMANDS);
/** Several child processes a test: on a loaded 2-core machine each may take seconds to start (tsx on Node 20). */
const SPAWNS_TIMEOUT_MS = 120_000;
const VERSION = (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;

describe('atom-sync command lines', () => {
  const tempDir = useTempDir('atom-cli-args-');
  /** Run in an empty directory with no ATOM_* variables: a command that started would fail differently. */
  const cli = (args: string[], env: Record<string, string> = {}) => runCli(args, { cwd: tempDir(), env, timeoutMs: 30_000 });

  it.each(NAMES)('%s: an unknown option exits 2 with its usage', (name) => {
    const run = cli([name, '--bogus']);
    expect(run.status).toBe(2);
    expect(run.stderr).toContain(`atom-sync ${name}: unknown option --bogus`);
    expect(run.stderr).toContain(`usage: atom-sync ${name}`);
    expect(run.stdout).toBe('');
  }, SPAWNS_TIMEOUT_MS);

  it.each(NAMES)('%s: a stray argument exits 2 with its usage', async (name) => {
    const command = await COMMANDS[name]!.load();
    const words = Array.from({ length: (command.maxPositionals ?? 0) + 1 }, (_, i) => (i === 0 && name === 'conflicts' ? 'list' : `extra${i}`));
    const run = cli([name, ...words]);
    expect(run.status, run.stderr).toBe(2);
    expect(run.stderr).toMatch(new RegExp(`atom-sync ${name}: (unexpected argument|unknown sub-command)`));
    expect(run.stderr).toContain(`usage: atom-sync ${name}`);
  }, SPAWNS_TIMEOUT_MS);

  it.each(NAMES)('%s --help: usage and examples on stdout, exit 0', async (name) => {
    const run = cli([name, '--help']);
    expect(run.status).toBe(0);
    expect(run.stdout).toContain(`usage: atom-sync ${name}`);
    expect(run.stdout).toMatch(/\nexamples:\n {2}\S/);
    expect(cli([name, '-h']).stdout).toBe(run.stdout);
  }, SPAWNS_TIMEOUT_MS);

  it('every option a command accepts is named in its usage', async () => {
    for (const name of NAMES) {
      const command = await COMMANDS[name]!.load();
      for (const option of Object.keys(command.options)) expect(command.usage, `${name} --${option}`).toContain(`--${option}`);
    }
  }, SPAWNS_TIMEOUT_MS);

  it('refuses what was once ignored: agent --port, sync --once --bogus, migrate --db X --bogus, check-config --jsn', () => {
    const agent = cli(['agent', '--port', '9999']);
    expect(agent.status).toBe(2);
    expect(agent.stderr).toContain('atom-sync agent: unknown option --port');
    for (const args of [['sync', '--once', '--bogus'], ['migrate', '--db', 'x.db', '--bogus'], ['check-config', '--jsn']]) {
      const run = cli(args);
      expect(run.status, args.join(' ')).toBe(2);
      expect(run.stderr, args.join(' ')).toContain(`unknown option --${args.at(-1)!.slice(2)}`);
    }
  }, SPAWNS_TIMEOUT_MS);

  it('platform --bogus is an unknown option, and a value-less option says it needs one', () => {
    const bogus = cli(['platform', '--bogus']);
    expect(bogus.status).toBe(2);
    expect(bogus.stderr).toContain('atom-sync platform: unknown option --bogus');
    const port = cli(['platform', '--port']);
    expect(port.status).toBe(2);
    expect(port.stderr).toContain('atom-sync platform: --port needs a value');
    const flag = cli(['check-config', '--json=yes']);
    expect(flag.status).toBe(2);
    expect(flag.stderr).toContain('--json takes no value');
  }, SPAWNS_TIMEOUT_MS);

  it('top-level help lists every command, examples and --version; an unknown command exits 2', () => {
    const run = cli(['--help']);
    expect(run.status).toBe(0);
    for (const name of NAMES) expect(run.stdout).toMatch(new RegExp(`\\n {2}${name} +\\S`));
    expect(run.stdout).toContain('examples:');
    expect(run.stdout).toContain('--version');
    expect(run.stdout).toContain('help <command>');
    expect(cli([]).stdout).toBe(run.stdout);
    const unknown = cli(['frobnicate']);
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toContain("atom-sync: unknown command 'frobnicate'");
    const option = cli(['--frob']);
    expect(option.status).toBe(2);
    expect(option.stderr).toContain('atom-sync: unknown option --frob');
  }, SPAWNS_TIMEOUT_MS);

  it('--version prints the package version', () => {
    for (const flag of ['--version', '-v']) {
      const run = cli([flag]);
      expect(run.status).toBe(0);
      expect(run.stdout).toBe(`${VERSION}\n`);
    }
  }, SPAWNS_TIMEOUT_MS);

  it('help <command> prints that command\'s help; help of an unknown command exits 2', () => {
    const run = cli(['help', 'status']);
    expect(run.status).toBe(0);
    expect(run.stdout).toBe(cli(['status', '--help']).stdout);
    expect(run.stdout).toContain('usage: atom-sync status');
    expect(run.stdout).not.toContain('commands:');
    const unknown = cli(['help', 'nope']);
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toContain("atom-sync help: unknown command 'nope'");
  }, SPAWNS_TIMEOUT_MS);
});
