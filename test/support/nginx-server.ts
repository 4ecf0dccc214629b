// nginx for system tests, running deploy/nginx.conf as it is: only the listen port, the replica
// ports and the prefix folder change. Runs in the foreground of its own child process.

import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort, waitUntil } from './free-port.ts';

const CONF = fileURLToPath(new URL('../../deploy/nginx.conf', import.meta.url));

export interface NginxServer {
  port: number;
  url: string;
  wsUrl: string;
  stop(): Promise<void>;
}

/** deploy/nginx.conf with its listen port and upstream servers replaced. */
export function templateNginxConf(listenPort: number, replicaPorts: readonly number[]): string {
  const conf = readFileSync(CONF, 'utf8');
  const servers = replicaPorts.map((p) => `    server 127.0.0.1:${p} max_fails=1 fail_timeout=5s;`).join('\n');
  const replaced = conf
    .replace(/listen 127\.0\.0\.1:8080;/, `listen 127.0.0.1:${listenPort};`)
    .replace(/( {4}server 127\.0\.0\.1:506\d [^\n]*\n)+/, `${servers}\n`);
  if (replaced === conf || !replaced.includes(`127.0.0.1:${replicaPorts[0]}`)) throw new Error('deploy/nginx.conf no longer has the expected listen/server lines');
  return replaced;
}

export async function startNginx(replicaPorts: readonly number[]): Promise<NginxServer> {
  const prefix = mkdtempSync(join(tmpdir(), 'atom-nginx-'));
  for (const dir of ['logs', 'temp']) mkdirSync(join(prefix, dir));
  const port = await freePort();
  writeFileSync(join(prefix, 'nginx.conf'), templateNginxConf(port, replicaPorts));
  // As root, workers would switch to "nobody" and lose access to the private prefix folder.
  const globals = `daemon off; pid ${join(prefix, 'nginx.pid')};${userInfo().uid === 0 ? ' user root;' : ''}`;
  const check = spawnSync('nginx', ['-t', '-q', '-p', prefix, '-c', join(prefix, 'nginx.conf'), '-g', globals], { encoding: 'utf8' });
  if (check.status !== 0) throw new Error(`nginx -t failed: ${check.stderr}`);
  const child = spawn('nginx', ['-p', prefix, '-c', join(prefix, 'nginx.conf'), '-g', globals], { stdio: 'ignore' });
  const url = `http://127.0.0.1:${port}`;
  await waitUntil(async () => (await fetch(`${url}/health`)).status < 600, 15_000, `nginx on ${port}`);
  return {
    port,
    url,
    wsUrl: `ws://127.0.0.1:${port}/ws`,
    stop: () => new Promise<void>((resolve) => {
      const done = () => {
        rmSync(prefix, { recursive: true, force: true });
        resolve();
      };
      if (child.exitCode !== null) return done();
      child.once('exit', done);
      child.kill('SIGQUIT');
    }),
  };
}
