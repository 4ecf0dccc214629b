// A fleet of WebSocket clients in a child process, so that the server under test keeps its own
// event loop (and, on a multi-core machine, its own core) while hundreds of clients read.
//
// Latency is measured against `data.sent_us`, stamped by the sender from process.hrtime: on Linux
// that is CLOCK_MONOTONIC, shared by every process on the machine, so the two sides agree.

import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { WebSocket } from 'ws';
import { nativeTypeScript } from '../../src/runtime/sync-worker/module.ts';

type FleetCommand =
  | { cmd: 'connect'; urls: string[] }
  | { cmd: 'expect'; messages: number; timeoutMs: number }
  | { cmd: 'disconnect' }
  | { cmd: 'close' };

type FleetEvent =
  | { event: 'connected'; clients: number }
  | { event: 'armed' }
  | { event: 'disconnected' }
  | FleetLatencies
  | { event: 'error'; message: string };

export interface FleetLatencies {
  event: 'latencies';
  /** One value per (client, message) received: receipt time − `data.sent_us`. */
  latenciesUs: number[];
  expected: number;
  received: number;
}

export function monotonicMicros(): number {
  return Number(process.hrtime.bigint() / 1000n);
}

export class ClientFleet {
  private readonly child: ChildProcess;

  private constructor(child: ChildProcess) {
    this.child = child;
  }

  static async launch(): Promise<ClientFleet> {
    const child = fork(fileURLToPath(import.meta.url), [], {
      execArgv: nativeTypeScript ? [] : ['--import', 'tsx'],
      env: { ...process.env, BENCH_CLIENT_FLEET: '1' },
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    return new ClientFleet(child);
  }

  async connect(urls: string[]): Promise<void> {
    await this.request({ cmd: 'connect', urls }, 'connected');
  }

  /**
   * Arms the fleet for `messages` stamped messages per client. Resolves once armed (send only
   * then), with a promise of the latencies: complete, or whatever arrived before `timeoutMs`.
   */
  async arm(messages: number, timeoutMs: number): Promise<{ results: Promise<FleetLatencies> }> {
    const results = this.next('latencies') as Promise<FleetLatencies>;
    await this.request({ cmd: 'expect', messages, timeoutMs }, 'armed');
    return { results };
  }

  /** Terminates every client (no closing handshake), keeping the process for the next target. */
  async disconnect(): Promise<void> {
    await this.request({ cmd: 'disconnect' }, 'disconnected');
  }

  async close(): Promise<void> {
    const exited = new Promise<void>((resolve) => this.child.once('exit', () => resolve()));
    this.child.send({ cmd: 'close' } satisfies FleetCommand);
    await exited;
  }

  private request(command: FleetCommand, until: FleetEvent['event']): Promise<FleetEvent> {
    const reply = this.next(until);
    this.child.send(command);
    return reply;
  }

  private next(until: FleetEvent['event']): Promise<FleetEvent> {
    return new Promise((resolve, reject) => {
      const onMessage = (event: FleetEvent): void => {
        if (event.event === 'error') reject(new Error(event.message));
        else if (event.event === until) resolve(event);
        else return;
        this.child.off('message', onMessage);
      };
      this.child.on('message', onMessage);
    });
  }
}

// ---- child side ----

function runFleet(): void {
  const sockets: WebSocket[] = [];
  let expected = 0;
  let latenciesUs: number[] = [];
  let received = 0;
  let finish: (() => void) | undefined;
  const reply = (event: FleetEvent): void => void process.send?.(event);

  const onMessage = (data: WebSocket.RawData): void => {
    const now = monotonicMicros();
    const message = JSON.parse(String(data)) as { data?: { sent_us?: number; metadata?: { sent_us?: number } } };
    // A bare broadcast stamps the message; a published skill carries the stamp in its metadata.
    const sentUs = message.data?.sent_us ?? message.data?.metadata?.sent_us;
    if (typeof sentUs !== 'number' || expected === 0) return; // pings, or messages nobody asked for
    latenciesUs.push(now - sentUs);
    received += 1;
    if (received === expected) finish?.();
  };

  async function connectAll(urls: string[]): Promise<void> {
    const batch = 50; // a connect storm of 500 at once only measures the accept queue
    for (let i = 0; i < urls.length; i += batch) {
      const opened = await Promise.all(
        urls.slice(i, i + batch).map(
          (url) =>
            new Promise<WebSocket>((resolve, reject) => {
              const ws = new WebSocket(url);
              ws.once('open', () => resolve(ws));
              ws.once('error', reject);
              ws.once('unexpected-response', (_req, res) => reject(new Error(`upgrade refused: ${res.statusCode}`)));
            }),
        ),
      );
      for (const ws of opened) ws.on('message', onMessage);
      sockets.push(...opened);
    }
  }

  process.on('message', (command: FleetCommand) => {
    if (command.cmd === 'connect') {
      connectAll(command.urls).then(
        () => reply({ event: 'connected', clients: sockets.length }),
        (err: unknown) => reply({ event: 'error', message: String(err) }),
      );
    } else if (command.cmd === 'expect') {
      latenciesUs = [];
      received = 0;
      expected = command.messages * sockets.length;
      const timer = setTimeout(() => finish?.(), command.timeoutMs);
      finish = () => {
        clearTimeout(timer);
        finish = undefined;
        const result = { event: 'latencies' as const, latenciesUs, expected, received };
        expected = 0;
        reply(result);
      };
      reply({ event: 'armed' });
    } else if (command.cmd === 'disconnect') {
      for (const ws of sockets.splice(0)) ws.terminate();
      reply({ event: 'disconnected' });
    } else {
      for (const ws of sockets) ws.terminate();
      process.disconnect?.();
      process.exit(0);
    }
  });
}

if (process.env.BENCH_CLIENT_FLEET === '1' && process.send !== undefined) runFleet();
