// A throwaway PostgreSQL 15 server for system tests: its own data folder under /tmp, a free port
// on 127.0.0.1, trust authentication, no fsync. PostgreSQL refuses to run as root, so when the
// tests run as root the server runs as the `postgres` system user (runuser).

import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { freePort, waitUntil } from './free-port.ts';

const BIN = ['/usr/lib/postgresql/15/bin', '/usr/lib/postgresql/16/bin', '/usr/lib/postgresql/17/bin'].find((d) => existsSync(join(d, 'initdb')));

export interface PostgresServer {
  port: number;
  /** postgres://postgres@127.0.0.1:port/<db> */
  url(database?: string): string;
  /** Creates an empty database and returns its URL. */
  createDatabase(name: string): Promise<string>;
  stop(): Promise<void>;
}

export function postgresAvailable(): boolean {
  return BIN !== undefined;
}

function asServerUser(cmd: string, args: string[]): [string, string[]] {
  return userInfo().uid === 0 ? ['runuser', ['-u', 'postgres', '--', cmd, ...args]] : [cmd, args];
}

export async function startPostgres(): Promise<PostgresServer> {
  if (!BIN) throw new Error('PostgreSQL binaries not found under /usr/lib/postgresql/*/bin');
  const dir = mkdtempSync(join(tmpdir(), 'atom-pg-'));
  if (userInfo().uid === 0) {
    const ids = spawnSync('id', ['-u', 'postgres'], { encoding: 'utf8' });
    const gid = spawnSync('id', ['-g', 'postgres'], { encoding: 'utf8' });
    chownSync(dir, Number(ids.stdout.trim()), Number(gid.stdout.trim()));
  }
  const data = join(dir, 'data');
  const [initCmd, initArgs] = asServerUser(join(BIN, 'initdb'), ['-D', data, '-A', 'trust', '-U', 'postgres', '-E', 'UTF8', '--locale=C.UTF-8', '-N']);
  const init = spawnSync(initCmd, initArgs, { encoding: 'utf8' });
  if (init.status !== 0) throw new Error(`initdb failed: ${init.stderr}`);
  const port = await freePort();
  const [cmd, args] = asServerUser(join(BIN, 'postgres'), ['-D', data, '-p', String(port), '-h', '127.0.0.1', '-k', dir,
    '-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off', '-c', 'max_connections=300',
    '-c', 'shared_buffers=64MB']);
  const child: ChildProcess = spawn(cmd, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  let log = '';
  child.stderr?.on('data', (d: Buffer) => { log = (log + d.toString()).slice(-4000); });
  const url = (database = 'postgres') => `postgres://postgres@127.0.0.1:${port}/${database}`;
  try {
    await waitUntil(async () => {
      const client = new pg.Client({ connectionString: url() });
      await client.connect();
      await client.end();
      return true;
    }, 30_000, `postgres on ${port}: ${log}`);
  } catch (err) {
    child.kill('SIGKILL');
    throw err;
  }
  return {
    port,
    url,
    async createDatabase(name) {
      const client = new pg.Client({ connectionString: url() });
      await client.connect();
      try {
        await client.query(`CREATE DATABASE "${name.replace(/"/g, '')}"`);
      } finally {
        await client.end();
      }
      return url(name);
    },
    async stop() {
      // Signals go to the postmaster itself: runuser does not pass them on. SIGINT is the fast
      // shutdown; a throwaway server that dawdles past 5 s is killed.
      let pid = 0;
      try {
        pid = Number(readFileSync(join(data, 'postmaster.pid'), 'utf8').split('\n')[0]);
      } catch {
        // Already gone (it removes its pid file on exit).
      }
      const alive = (): boolean => {
        try {
          process.kill(pid, 0);
          return true;
        } catch {
          return false;
        }
      };
      if (pid > 0 && alive()) {
        process.kill(pid, 'SIGINT');
        const deadline = Date.now() + 5_000;
        while (alive() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
        if (alive()) process.kill(pid, 'SIGKILL');
      }
      child.kill('SIGKILL');
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
