// `npm run bench [-- name...]`: runs the benches one after another, each in its own process so
// one bench's heap and sockets never colour the next. Every bench prints its own table with the
// raw limit it measured in the same run.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const BENCHES: Record<string, string> = {
  'platform-http': 'bench/platform/http.ts',
  'platform-fanout': 'bench/platform/fanout.ts',
  'platform-replicas': 'bench/platform/replicas.ts',
  sync: 'bench/sync/full-sync.ts',
  'sync-restart': 'bench/sync/kill-restart.ts',
  realtime: 'bench/realtime/latency.ts',
  admin: 'bench/admin/latency.ts',
};

const runner = fileURLToPath(new URL('../bin/run-ts.js', import.meta.url));
const root = fileURLToPath(new URL('..', import.meta.url));
const wanted = process.argv.slice(2);
const unknown = wanted.filter((name) => !(name in BENCHES));
if (unknown.length > 0) {
  console.error(`unknown bench ${unknown.join(', ')}; choose from ${Object.keys(BENCHES).join(', ')}`);
  process.exit(2);
}
let failed = 0;
for (const name of wanted.length > 0 ? wanted : Object.keys(BENCHES)) {
  console.log(`\n== ${name} (${BENCHES[name]})`);
  const result = spawnSync(process.execPath, [runner, BENCHES[name]!], { cwd: root, stdio: 'inherit', timeout: 15 * 60_000 });
  if (result.status !== 0) {
    failed += 1;
    console.error(`${name} failed (exit ${result.status ?? result.signal})`);
  }
}
process.exit(failed > 0 ? 1 : 0);
