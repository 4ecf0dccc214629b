import { describe, expect, it } from 'vitest';
import { parseCommandArgs, type ParseOutcome } from '../../src/cli/args.ts';
import { demoCommand, demoOptions } from '../../src/cli/demo.ts';
import { DEFAULT_PLATFORM_PORT } from '../../src/platform/server.ts';

/** The demo's command line as main.ts parses it, then its own check. */
function demoArgs(argv: string[]): { platformPort: number } | string {
  const parsed: ParseOutcome = parseCommandArgs(argv, demoCommand.options, demoCommand.maxPositionals ?? 0);
  if (parsed.kind === 'usage-error') return parsed.problem;
  if (parsed.kind === 'help') return 'help';
  return demoOptions(parsed.args);
}

describe('atom-sync demo arguments', () => {
  it('runs the platform on its default port unless --platform-port says otherwise', () => {
    expect(demoArgs([])).toEqual({ platformPort: DEFAULT_PLATFORM_PORT });
    expect(demoArgs(['--platform-port', '15058'])).toEqual({ platformPort: 15058 });
    expect(demoArgs(['--platform-port=15059'])).toEqual({ platformPort: 15059 });
  });

  it('refuses port 0, out-of-range or missing ports, unknown options and stray arguments', () => {
    expect(demoArgs(['--platform-port'])).toBe('--platform-port needs a value');
    for (const argv of [['--platform-port', '0'], ['--platform-port', '65536'], ['--platform-port', 'x']]) {
      expect(demoArgs(argv), argv.join(' ')).toBe('--platform-port needs a port from 1 to 65535');
    }
    expect(demoArgs(['--seed'])).toBe('unknown option --seed');
    expect(demoArgs(['now'])).toBe('unexpected argument now');
  });
});
