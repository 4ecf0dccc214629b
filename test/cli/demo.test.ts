import { describe, expect, it } from 'vitest';
import { parseDemoArgs } from '../../src/cli/demo.ts';
import { DEFAULT_PLATFORM_PORT } from '../../src/platform/server.ts';

describe('atom-sync demo arguments', () => {
  it('runs the platform on its default port unless --platform-port says otherwise', () => {
    expect(parseDemoArgs([])).toEqual({ platformPort: DEFAULT_PLATFORM_PORT });
    expect(parseDemoArgs(['--platform-port', '15058'])).toEqual({ platformPort: 15058 });
  });

  it('refuses port 0, out-of-range or missing ports and unknown options', () => {
    for (const argv of [['--platform-port'], ['--platform-port', '0'], ['--platform-port', '65536'], ['--platform-port', 'x']]) {
      expect(parseDemoArgs(argv), argv.join(' ')).toBe('--platform-port needs a port from 1 to 65535');
    }
    expect(parseDemoArgs(['--seed'])).toBe('unknown option --seed');
  });
});
