import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const CLI = fileURLToPath(new URL('../../bin/atom-sync.js', import.meta.url));

export interface PlatformProcess {
  url: string;
  child: ChildProcess;
  stop(): Promise<void>;
}

/** Requests a minute per token that no bench reaches: for the second, unthrottled lines only. */
export const UNLIMITED = 100_000_000;

/**
 * The reference platform in its own process (`atom-sync platform`), so a bench measures the agent
 * side alone in this process (its CPU and its RSS). Seeds `skills` and registers `token`. It runs
 * at spec 000's limits (100 requests a minute, 10 in flight per token) unless `rateLimit` says
 * otherwise: a bench that lifts the limit is a second line beside one that faces it.
 */
export async function startPlatformProcess(options: { db: string; skills: number; token: string; adminToken?: string; port?: number; rateLimit?: number }): Promise<PlatformProcess> {
  const child = spawn(process.execPath, [CLI, 'platform', '--db', options.db, '--seed', String(options.skills), '--port', String(options.port ?? 0),
    '--dev-token', options.token, ...(options.rateLimit === undefined ? [] : ['--rate-limit', String(options.rateLimit)]), '--log-level', 'warn'], {
    env: { PATH: process.env.PATH ?? '', ...(options.adminToken ? { ATOM_PLATFORM_ADMIN_TOKEN: options.adminToken } : {}) },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`platform did not start: ${out}`)), 120_000);
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const match = /listening on (http:\/\/\S+)/.exec(out);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]!);
      }
    });
    child.on('exit', (code) => reject(new Error(`platform exited with ${code}: ${out}`)));
  });
  return {
    url,
    child,
    stop: () => new Promise((resolve) => {
      if (child.exitCode !== null) return resolve();
      child.on('exit', () => resolve());
      child.kill('SIGTERM');
    }),
  };
}
