import { createServer, connect, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';

/**
 * What the proxy does with the bytes of every connection, now and from now on. Switch with
 * `setMode`; the change applies to live connections at once.
 */
export type TcpMode =
  | { kind: 'pass' }
  /** Each chunk is forwarded `ms` after it arrived (order kept). */
  | { kind: 'delay'; ms: number }
  /** Nothing is forwarded until the mode changes; then what was held goes on, in order. */
  | { kind: 'hold' }
  /** Closes both sides (FIN) now, or once `afterBytes` more bytes went through a connection. */
  | { kind: 'cut'; afterBytes?: number }
  /** Closes both sides with a TCP RST (socket.resetAndDestroy); new connections are reset on accept. */
  | { kind: 'reset' }
  /** Stops listening (connects are refused) and closes every accepted socket. */
  | { kind: 'refuse' }
  /** Forwards at most `bytes` bytes every `everyMs` ms in each direction. */
  | { kind: 'drip'; bytes: number; everyMs: number };

export interface TcpFaultProxy {
  readonly host: string;
  readonly port: number;
  /** `http://127.0.0.1:port` (or another scheme: `ws`). */
  url(scheme?: string): string;
  readonly mode: TcpMode;
  /** Switches the mode; resolves once the listener is down (refuse) or up again. */
  setMode(mode: TcpMode): Promise<void>;
  /** Connections with at least one side still open. */
  liveConnections(): number;
  /** Connections accepted since start. */
  readonly accepted: number;
  close(): Promise<void>;
}

interface Direction {
  from: Socket;
  to: Socket;
  queue: { chunk: Buffer; at: number }[];
  ended: boolean;
  timer: NodeJS.Timeout | undefined;
}

interface Link {
  client: Socket;
  upstream: Socket;
  up: Direction;
  down: Direction;
  /** Bytes still allowed through before a `cut` with afterBytes closes the link. */
  budget: number;
  closed: boolean;
}

/**
 * A TCP proxy on 127.0.0.1 in front of `target` (any protocol: HTTP, WebSocket) that injects
 * network faults: latency, stalls, drips, clean cuts, resets and refused connects.
 */
export async function startTcpFaultProxy(target: { host: string; port: number }, initial: TcpMode = { kind: 'pass' }): Promise<TcpFaultProxy> {
  let mode: TcpMode = initial;
  let accepted = 0;
  const links = new Set<Link>();
  const server: Server = createServer({ allowHalfOpen: true }, (client) => onAccept(client));
  let listening: Promise<void> | undefined;
  let stopped: Promise<void> | undefined;

  const host = '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  if (mode.kind === 'refuse') await stopListening();

  function onAccept(client: Socket): void {
    accepted += 1;
    client.setNoDelay(true);
    if (mode.kind === 'refuse') return void client.destroy();
    if (mode.kind === 'reset') return void resetSocket(client);
    if (mode.kind === 'cut' && !mode.afterBytes) return void client.destroy();
    const upstream = connect({ host: target.host, port: target.port, allowHalfOpen: true });
    upstream.setNoDelay(true);
    const link: Link = {
      client, upstream,
      up: { from: client, to: upstream, queue: [], ended: false, timer: undefined },
      down: { from: upstream, to: client, queue: [], ended: false, timer: undefined },
      budget: mode.kind === 'cut' ? (mode.afterBytes ?? 0) : Infinity,
      closed: false,
    };
    links.add(link);
    for (const dir of [link.up, link.down]) {
      dir.from.on('data', (chunk: Buffer) => {
        if (link.closed) return;
        dir.queue.push({ chunk, at: Date.now() });
        pump(link, dir);
      });
      dir.from.on('end', () => {
        dir.ended = true;
        pump(link, dir);
      });
      // Either side failing or closing takes the whole link down.
      dir.from.on('error', () => dropLink(link, 'destroy'));
      dir.from.on('close', () => dropLink(link, 'destroy'));
    }
  }

  /** Forwards what the mode allows now, and schedules the rest. */
  function pump(link: Link, dir: Direction): void {
    if (link.closed) return;
    clearTimeout(dir.timer);
    dir.timer = undefined;
    switch (mode.kind) {
      case 'hold':
        return;
      case 'pass':
      case 'cut':
        while (dir.queue.length > 0 && !link.closed) forward(link, dir, dir.queue.shift()!.chunk);
        break;
      case 'delay': {
        const now = Date.now();
        while (dir.queue.length > 0 && dir.queue[0]!.at + mode.ms <= now) forward(link, dir, dir.queue.shift()!.chunk);
        if (dir.queue.length > 0) dir.timer = setTimeout(() => pump(link, dir), dir.queue[0]!.at + mode.ms - now);
        break;
      }
      case 'drip': {
        let allowance = mode.bytes;
        while (allowance > 0 && dir.queue.length > 0) {
          const head = dir.queue[0]!;
          const piece = head.chunk.subarray(0, allowance);
          allowance -= piece.length;
          if (piece.length === head.chunk.length) dir.queue.shift();
          else head.chunk = head.chunk.subarray(piece.length);
          forward(link, dir, piece);
        }
        if (dir.queue.length > 0) dir.timer = setTimeout(() => pump(link, dir), mode.everyMs);
        break;
      }
      case 'reset':
      case 'refuse':
        return;
    }
    // A side that ended has its end passed on once everything before it went through.
    if (dir.ended && dir.queue.length === 0 && !link.closed && !dir.to.writableEnded) dir.to.end();
  }

  function forward(link: Link, dir: Direction, chunk: Buffer): void {
    if (link.budget !== Infinity) {
      const piece = chunk.subarray(0, link.budget);
      link.budget -= piece.length;
      if (piece.length > 0) dir.to.write(piece);
      if (link.budget <= 0) dropLink(link, 'end');
      return;
    }
    dir.to.write(chunk);
  }

  /** Takes a link down: `end` sends FIN after what was written, `reset` an RST, `destroy` closes now. */
  function dropLink(link: Link, how: 'end' | 'reset' | 'destroy'): void {
    if (link.closed) return;
    link.closed = true;
    links.delete(link);
    for (const dir of [link.up, link.down]) {
      clearTimeout(dir.timer);
      dir.queue.length = 0;
    }
    for (const socket of [link.client, link.upstream]) {
      if (how === 'reset') resetSocket(socket);
      else if (how === 'end') socket.end(() => socket.destroy());
      else socket.destroy();
    }
  }

  function resetSocket(socket: Socket): void {
    try {
      socket.resetAndDestroy();
    } catch {
      socket.destroy();
    }
  }

  function stopListening(): Promise<void> {
    listening = undefined;
    stopped ??= new Promise<void>((resolve) => server.close(() => resolve()));
    return stopped;
  }

  async function startListening(): Promise<void> {
    if (stopped) await stopped;
    stopped = undefined;
    listening ??= new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => {
        server.off('error', reject);
        resolve();
      });
    });
    await listening;
  }

  let closing: Promise<void> | undefined;
  return {
    host,
    port,
    url: (scheme = 'http') => `${scheme}://${host}:${port}`,
    get mode() {
      return mode;
    },
    get accepted() {
      return accepted;
    },
    liveConnections: () => links.size,
    async setMode(next) {
      const wasRefusing = mode.kind === 'refuse';
      mode = next;
      if (next.kind === 'refuse') {
        for (const link of [...links]) dropLink(link, 'destroy');
        // Connections still closing keep server.close() waiting; connects are refused already.
        void stopListening();
        return;
      }
      if (wasRefusing) await startListening();
      if (next.kind === 'reset') {
        for (const link of [...links]) dropLink(link, 'reset');
        return;
      }
      for (const link of [...links]) {
        link.budget = next.kind === 'cut' ? (next.afterBytes ?? 0) : Infinity;
        if (link.budget <= 0) dropLink(link, 'end');
      }
      for (const link of [...links]) {
        pump(link, link.up);
        pump(link, link.down);
      }
    },
    close() {
      closing ??= (async () => {
        for (const link of [...links]) dropLink(link, 'destroy');
        if (server.listening) await stopListening();
        else if (stopped) await stopped;
      })();
      return closing;
    },
  };
}
