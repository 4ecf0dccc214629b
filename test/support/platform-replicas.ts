// Platform replicas as real processes (`atom-sync platform --database-url ... --redis-url ...`),
// so one can be killed with SIGKILL the way a crashed machine would go.

import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const CLI = fileURLToPath(new URL('../../bin/atom-sync.js', import.meta.url));

export interface Replica {
  port: number;
  url: string;
  child: ChildProcess;
  kill(signal?: NodeJS.Signals): Promise<void>;
}

export interface ReplicaOptions {
  port: number;
  databaseUrl: string;
  redisUrl: string;
  adminToken: string;
  devToken?: string;
  rateLimit?: number;
  seed?: number;
}

export async function startReplica(options: ReplicaOptions): Promise<Replica> {
  const args = ['platform', '--port', String(options.port), '--log-level', 'warn',
    '--rate-limit', String(options.rateLimit ?? 100)];
  if (options.devToken) args.push('--dev-token', options.devToken);
  if (options.seed !== undefined) args.push('--seed', String(options.seed));
  const child = spawn(process.execPath, [CLI, ...args], {
    env: { PATH: process.env.PATH ?? '', ATOM_PLATFORM_ADMIN_TOKEN: options.adminToken,
      ATOM_PLATFORM_DATABASE_URL: options.databaseUrl, ATOM_PLATFORM_REDIS_URL: options.redisUrl },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stderr!.on('data', (d: Buffer) => { out = (out + d.toString()).slice(-4000); });
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`replica on ${options.port} did not start: ${out}`)), 60_000);
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const match = /listening on (http:\/\/\S+)/.exec(out);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]!);
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`replica on ${options.port} exited with ${code}: ${out}`));
    });
  });
  return {
    port: options.port,
    url,
    child,
    kill: (signal = 'SIGTERM') => new Promise<void>((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      child.once('exit', () => resolve());
      child.kill(signal);
    }),
  };
}
