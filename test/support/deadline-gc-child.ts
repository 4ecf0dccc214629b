// Run as a child process with --expose-gc (test/marketplace/http/deadline.test.ts): a platform on
// 127.0.0.1 that sends its headers and then drips its body one byte every 100 ms, the real client
// with a 500 ms deadline, and a forced garbage collection every 20 ms while the request waits. Prints
// one JSON line: how the request ended and after how long. Gives up after 8 s.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createPlatformClient } from '../../src/marketplace/http/client.ts';

const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error('run with --expose-gc');
const timeoutMs = Number(process.argv[2] ?? 500);

const server = createServer((_req, res) => {
  res.writeHead(200, { 'content-type': 'application/json', 'content-length': '100000' });
  res.write('{"skills":[');
  const drip = setInterval(() => (res.destroyed ? clearInterval(drip) : res.write(' ')), 100);
  res.on('close', () => clearInterval(drip));
});
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
const client = createPlatformClient({ baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, token: 'child-token-0123456789', timeoutMs });

const started = performance.now();
const collector = setInterval(() => gc(), 20);
const outcome = await Promise.race([
  client.listSkills({ pageSize: 10, page: 1 }).then(
    () => ({ ended: 'answered' }),
    (error: { kind?: string; message?: string }) => ({ ended: 'failed', kind: error.kind, message: error.message }),
  ),
  new Promise((resolve) => setTimeout(() => resolve({ ended: 'never' }), 8000)),
]);
clearInterval(collector);
console.log(JSON.stringify({ ...(outcome as object), elapsedMs: Math.round(performance.now() - started) }));
server.closeAllConnections();
server.close();
await client.close(0);
process.exit(0);
