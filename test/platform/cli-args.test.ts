import { afterEach, describe, expect, it } from 'vitest';
import { parseCommandArgs } from '../../src/cli/args.ts';
import { platformCommand, platformOptions } from '../../src/cli/platform.ts';

/** The platform command's options as main.ts reads them: the strict parser, then platformOptions. */
function parseArgs(argv: string[]) {
  const parsed = parseCommandArgs(argv, platformCommand.options ?? {});
  if (parsed.kind !== 'ok') throw new Error(`not a valid command line: ${argv.join(' ')}`);
  return platformOptions(parsed.args);
}

const saved = { ...process.env };
afterEach(() => {
  process.env = { ...saved };
});

describe('atom-sync platform: the replica options', () => {
  it('takes --database-url and --redis-url as flags or ATOM_PLATFORM_* variables, the flag winning', () => {
    expect(parseArgs(['--database-url', 'postgres://u:p@h:5432/d', '--redis-url=redis://h:6379'])).toMatchObject({
      databaseUrl: 'postgres://u:p@h:5432/d', redisUrl: 'redis://h:6379',
    });
    process.env.ATOM_PLATFORM_DATABASE_URL = 'postgresql://env/db';
    process.env.ATOM_PLATFORM_REDIS_URL = 'rediss://env:6380';
    expect(parseArgs([])).toMatchObject({ databaseUrl: 'postgresql://env/db', redisUrl: 'rediss://env:6380' });
    expect(parseArgs(['--database-url', 'postgres://flag/db'])).toMatchObject({ databaseUrl: 'postgres://flag/db' });
  });

  it('refuses URLs of the wrong kind, from a flag or a variable', () => {
    expect(parseArgs(['--database-url', 'mysql://h/d'])).toBe('--database-url must be a postgres:// or postgresql:// URL');
    expect(parseArgs(['--redis-url', 'http://h'])).toBe('--redis-url must be a redis:// or rediss:// URL');
    process.env.ATOM_PLATFORM_DATABASE_URL = 'sqlite:x';
    expect(parseArgs([])).toBe('ATOM_PLATFORM_DATABASE_URL must be a postgres:// or postgresql:// URL');
  });

  it('stays on SQLite when neither is given', () => {
    delete process.env.ATOM_PLATFORM_DATABASE_URL;
    delete process.env.ATOM_PLATFORM_REDIS_URL;
    const args = parseArgs([]);
    expect(typeof args === 'object' && args.databaseUrl === undefined && args.redisUrl === undefined).toBe(true);
  });
});
