// `atom-sync demo` as a user runs it (a child process in an empty directory), and its printed
// `export` and `curl` lines pasted into a shell, as a user would paste them into another terminal.
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { createServer } from 'node:net';
import { spawnCli } from '../support/cli.ts';
import { useTempDir } from '../support/temp-dir.ts';

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('atom-sync demo', () => {
  const tempDir = useTempDir('atom-demo-');

  it('prints export and curl lines that work when pasted, and stops with exit 0 on SIGTERM', async () => {
    const port = await freePort();
    const { child, exited } = spawnCli(['demo', '--platform-port', String(port)], { cwd: tempDir(), env: { ATOM_HTTP_PORT: '0' } });
    let out = '';
    const printed = await new Promise<string>((resolve, reject) => {
      child.stdout.on('data', (d: Buffer) => {
        out += d.toString();
        if (/npx atom-sync status\n/.test(out)) resolve(out);
      });
      void exited.then((r) => reject(new Error(`demo exited ${r.status}: ${r.stderr}`)));
    });
    try {
      const lines = printed.split('\n').map((l) => l.trim());
      const exports = lines.filter((l) => l.startsWith('export '));
      expect(exports.map((l) => l.split('=')[0])).toEqual([
        'export ATOM_PLATFORM_ADMIN_TOKEN', 'export ATOM_SAAS_API_TOKEN', 'export ATOM_ADMIN_TOKEN', 'export ATOM_ADMIN_URL',
      ]);
      const curls = lines.filter((l) => l.startsWith('curl '));
      expect(curls).toHaveLength(2);
      for (const curl of curls) {
        // A clean shell: nothing but what the user pasted.
        const shell = spawnSync('bash', ['-c', `${exports.join('\n')}\n${curl} --silent --show-error --fail --output /dev/null --write-out '%{http_code}'`], {
          encoding: 'utf8', env: { PATH: process.env.PATH ?? '' }, timeout: 20_000,
        });
        expect(shell.stdout, `${curl}: ${shell.stderr}`).toBe('200');
      }
    } finally {
      child.kill('SIGTERM');
    }
    const result = await exited;
    expect(result.status).toBe(0);
  }, 180_000);
});
