#!/usr/bin/env node
// The outage drill of issue 13 item 4, in real time with real processes: `atom-sync platform` is
// killed (-9) and restarted under a running `atom-sync agent`, for each outage length given
// (seconds, default 5 30 120). For each: when the socket is open again after the platform listens,
// whether a skill published right after the restart reached the agent's cache, and how many socket
// attempts and GET /health probes the agent made meanwhile (from its transition journal). Each
// outage starts from a connection that has been open 35 s (a good one: counters reset).
//
//   node scripts/outage-drill.mjs [seconds...]
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';

const outages = process.argv.slice(2).map(Number).filter((n) => n > 0);
if (outages.length === 0) outages.push(5, 30, 120);
const dir = mkdtempSync(join(tmpdir(), 'atom-outage-drill-'));
const PLATFORM_ADMIN = 'drill-platform-admin-token-0123456789';
const INSTANCE = 'drill-instance-token-0123456789';
const AGENT_ADMIN = 'drill-agent-admin-token-0123456789';
const PLATFORM_PORT = 15000 + Math.floor(Math.random() * 20000);
const AGENT_PORT = PLATFORM_PORT + 1;
const platformUrl = `http://127.0.0.1:${PLATFORM_PORT}`;
const agentUrl = `http://127.0.0.1:${AGENT_PORT}`;
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

function start(args, env) {
  const child = spawn(process.execPath, ['bin/atom-sync.js', ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'inherit'] });
  return child;
}
const startPlatform = () =>
  start(['platform', '--port', String(PLATFORM_PORT), '--db', join(dir, 'platform.db'), '--seed', '200', '--dev-token', INSTANCE, '--log-level', 'warn'], { ATOM_PLATFORM_ADMIN_TOKEN: PLATFORM_ADMIN });

async function until(what, check, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const value = await check();
      if (value) return value;
    } catch {}
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(100);
  }
}
const healthy = async () => (await fetch(`${platformUrl}/health`)).ok;
const socketOpen = async () => {
  const res = await fetch(`${agentUrl}/api/admin/sync/websocket/status`, { headers: { authorization: `Bearer ${AGENT_ADMIN}` } });
  return res.ok && (await res.json()).connected === true;
};
async function publish(name) {
  const res = await fetch(`${platformUrl}/api/v1/skills`, {
    method: 'POST',
    headers: { authorization: `Bearer ${PLATFORM_ADMIN}`, 'content-type': 'application/json' },
    body: JSON.stringify({ name, description: 'outage drill', version: '1.0.0', code: 'x', command: 'python', category: 'automation', python_packages: [], npm_packages: [], tags: [], metadata: {} }),
  });
  if (!res.ok) throw new Error(`publish answered ${res.status}`);
  return (await res.json()).skill_id;
}

let platform = startPlatform();
await until('the platform', healthy, 30_000);
const agent = start(['agent'], {
  ATOM_SAAS_API_URL: platformUrl, ATOM_SAAS_API_TOKEN: INSTANCE, ATOM_DB_PATH: join(dir, 'agent.db'),
  ATOM_HTTP_PORT: String(AGENT_PORT), ATOM_ADMIN_TOKEN: AGENT_ADMIN, ATOM_LOG_LEVEL: 'warn',
});
const results = [];
try {
  await until('the agent socket', socketOpen, 60_000);
  const db = new Database(join(dir, 'agent.db'), { readonly: true, fileMustExist: true });
  const journal = db.prepare("SELECT to_state AS state, count(*) AS n FROM transition_journal WHERE actor_id = 'connection' AND id > ? GROUP BY to_state");
  const lastId = () => db.prepare('SELECT coalesce(max(id), 0) AS id FROM transition_journal').get().id;
  const cached = db.prepare('SELECT 1 FROM skill_cache WHERE skill_id = ?');
  for (const seconds of outages) {
    // A connection open one heartbeat interval (30 s) is a good one: each outage starts from there.
    await sleep(35_000);
    const mark = lastId();
    platform.kill('SIGKILL');
    await new Promise((resolve) => platform.once('exit', resolve));
    await sleep(seconds * 1000);
    platform = startPlatform();
    await until('the platform back', healthy, 30_000);
    const upAt = Date.now();
    const justAfter = await publish(`published right after a ${seconds} s outage`);
    await until('the socket to reopen', socketOpen, 180_000);
    const reopenS = (Date.now() - upAt) / 1000;
    const afterReopen = await publish(`published once the socket reopened after ${seconds} s`);
    await until('both skills in the cache', () => cached.get(justAfter) && cached.get(afterReopen), 30_000);
    const counts = Object.fromEntries(journal.all(mark).map((r) => [r.state, r.n]));
    results.push({ outage_s: seconds, socket_open_after_platform_listens_s: reopenS, attempts: counts['link.connecting'] ?? 0, checks: counts.checking ?? 0, probes: counts.probing ?? 0, published_skills_in_cache: true });
    console.log(JSON.stringify(results.at(-1)));
  }
  db.close();
} finally {
  agent.kill('SIGTERM');
  platform.kill('SIGKILL');
  await sleep(500);
  rmSync(dir, { recursive: true, force: true });
}
