import { describe, expect, it } from 'vitest';
import { connect, createServer, type AddressInfo, type Socket } from 'node:net';
import { startTcpFaultProxy, type TcpFaultProxy } from '../support/tcp-fault-proxy.ts';
import { useCleanups } from '../support/cleanups.ts';
import { eventually } from '../support/eventually.ts';

// The TCP fault proxy of the model-based runtime tests (test/runtime/model), checked on its own
// against a plain echo server that greets each client with 100 bytes.

const GREETING = Buffer.from('g'.repeat(100));

describe('the TCP fault proxy', () => {
  const cleanups = useCleanups();

  async function setup(options: { greet?: boolean } = {}): Promise<TcpFaultProxy> {
    const server = createServer((socket) => {
      socket.on('error', () => {});
      if (options.greet) socket.write(GREETING);
      socket.pipe(socket);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    cleanups.push(() => new Promise((resolve) => { server.close(resolve); }));
    const proxy = await startTcpFaultProxy({ host: '127.0.0.1', port: (server.address() as AddressInfo).port });
    cleanups.push(() => proxy.close());
    return proxy;
  }

  /** A client that records what it receives and how it ended. */
  async function client(proxy: TcpFaultProxy) {
    const socket = connect({ host: proxy.host, port: proxy.port });
    const received: Buffer[] = [];
    const outcome = { ended: false, error: undefined as string | undefined, closed: false, connected: false };
    socket.on('data', (chunk) => received.push(chunk));
    socket.on('end', () => (outcome.ended = true));
    socket.on('error', (error: NodeJS.ErrnoException) => (outcome.error = error.code ?? error.message));
    socket.on('close', () => (outcome.closed = true));
    await new Promise<void>((resolve) => {
      socket.once('connect', () => { outcome.connected = true; resolve(); });
      socket.once('close', () => resolve());
    });
    cleanups.push(() => socket.destroy());
    return { socket: socket as Socket, received, outcome, text: () => Buffer.concat(received).toString() };
  }

  it('passes bytes both ways and tracks live connections', async () => {
    const proxy = await setup();
    const c = await client(proxy);
    c.socket.write('hello');
    await eventually(() => c.text() === 'hello', 2000, 'the echo');
    expect(proxy.liveConnections()).toBe(1);
    expect(proxy.accepted).toBe(1);
    c.socket.end();
    await eventually(() => proxy.liveConnections() === 0, 2000, 'the link to close');
    expect(c.outcome.error).toBeUndefined();
  });

  it('delays each chunk, in order', async () => {
    const proxy = await setup();
    await proxy.setMode({ kind: 'delay', ms: 40 });
    const c = await client(proxy);
    const sent = Date.now();
    c.socket.write('a');
    c.socket.write('b');
    await eventually(() => c.text() === 'ab', 2000, 'the echo');
    // 40 ms on the way in and 40 on the way back (timers may fire a millisecond early).
    expect(Date.now() - sent).toBeGreaterThanOrEqual(75);
  });

  it('holds everything until the mode changes, then forwards it in order', async () => {
    const proxy = await setup();
    await proxy.setMode({ kind: 'hold' });
    const c = await client(proxy);
    for (const part of ['1', '2', '3']) c.socket.write(part);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(c.text()).toBe('');
    await proxy.setMode({ kind: 'pass' });
    await eventually(() => c.text() === '123', 2000, 'the held bytes');
  });

  it('cuts live connections cleanly, and new ones after N bytes', async () => {
    const proxy = await setup({ greet: true });
    const live = await client(proxy);
    await eventually(() => live.text().length === 100, 2000, 'the greeting');
    await proxy.setMode({ kind: 'cut' });
    await eventually(() => live.outcome.closed, 2000, 'the cut');
    expect(live.outcome).toMatchObject({ ended: true, error: undefined });

    await proxy.setMode({ kind: 'cut', afterBytes: 30 });
    const late = await client(proxy);
    await eventually(() => late.outcome.closed, 2000, 'the cut after 30 bytes');
    expect(late.text()).toBe('g'.repeat(30));
    expect(proxy.liveConnections()).toBe(0);
  });

  it('resets live and new connections with an RST', async () => {
    const proxy = await setup();
    const live = await client(proxy);
    await proxy.setMode({ kind: 'reset' });
    await eventually(() => live.outcome.closed, 2000, 'the reset');
    expect(live.outcome.error).toBe('ECONNRESET');
    const late = await client(proxy);
    await eventually(() => late.outcome.closed, 2000, 'the reset on accept');
    expect(late.outcome.error).toBe('ECONNRESET');
  });

  it('refuses connects while refusing, and listens on the same port again afterwards', async () => {
    const proxy = await setup();
    const live = await client(proxy);
    await proxy.setMode({ kind: 'refuse' });
    await eventually(() => live.outcome.closed, 2000, 'the accepted socket to close');
    const refused = await client(proxy);
    expect(refused.outcome).toMatchObject({ connected: false, error: 'ECONNREFUSED' });
    await proxy.setMode({ kind: 'pass' });
    const again = await client(proxy);
    again.socket.write('back');
    await eventually(() => again.text() === 'back', 2000, 'the echo after refusing');
  });

  it('drips N bytes every M ms', async () => {
    const proxy = await setup({ greet: true });
    await proxy.setMode({ kind: 'drip', bytes: 10, everyMs: 20 });
    const started = Date.now();
    const c = await client(proxy);
    await eventually(() => c.text().length === 100, 3000, 'the whole greeting');
    expect(Math.max(...c.received.map((b) => b.length))).toBeLessThanOrEqual(10);
    // Ten slices, 20 ms apart: the last leaves at least 180 ms after the first.
    expect(Date.now() - started).toBeGreaterThanOrEqual(170);
  });
});
