#!/usr/bin/env node
// Start-up timer helper: runs a command, and exits 0 as soon as a line of its stdout contains PATTERN
// (killing the command), so that a whole-process timer (`/usr/bin/time -v`, hyperfine) measures "start to
// ready". Plain JavaScript: it runs the same on every Node line, with no loader.
//   node scripts/until-line.mjs 'listening on' -- node bin/atom-sync.js platform --port 0 --db /tmp/p.db
//   ATOM_SAAS_ENABLED=false ATOM_HTTP_PORT=0 node scripts/until-line.mjs '"agent running"' -- node bin/atom-sync.js agent
import { spawn } from 'node:child_process';

const [pattern, separator, command, ...args] = process.argv.slice(2);
if (!pattern || separator !== '--' || !command) {
  process.stderr.write('usage: until-line.mjs PATTERN -- COMMAND [ARG ...]\n');
  process.exit(2);
}
const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'inherit'] });
let buffered = '';
let seen = false;
child.stdout.on('data', (chunk) => {
  if (seen) return;
  buffered += chunk.toString();
  if (buffered.includes(pattern)) {
    seen = true;
    // Reaped before this process exits, so a timer's CPU figures include the command's.
    child.kill('SIGKILL');
  }
  buffered = buffered.slice(-4096);
});
child.on('exit', (code, signal) => {
  if (seen) process.exit(0);
  process.stderr.write(`until-line: the command ended (${signal ?? code}) before printing ${JSON.stringify(pattern)}\n`);
  process.exit(1);
});
