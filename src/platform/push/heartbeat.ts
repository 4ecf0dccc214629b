// The server side of the spec 000 heartbeat. Every interval, each client gets a protocol ping
// frame and the JSON `{"type":"ping","timestamp":...}`; either kind of pong clears the debt.
// A client still owing a pong `timeoutMs` after a ping is terminated.
//
// Rounds, not clocks: a client remembers the first round it has not answered, and the sweep
// scheduled for round r terminates clients owing since round r or earlier. With timeout >
// interval, rounds overlap and a pong answers every outstanding ping at once.

import type { PushConnection } from './connection.ts';

export interface PingMessage {
  type: 'ping';
  timestamp: string;
}

export interface HeartbeatOptions {
  intervalMs: number;
  timeoutMs: number;
  connections: () => Iterable<PushConnection>;
  /** Sends both pings to one client. */
  ping: (connection: PushConnection, jsonPing: Buffer) => void;
  onStale: (connection: PushConnection) => void;
  now: () => number;
}

export class Heartbeat {
  private round = 0;
  private interval: NodeJS.Timeout | undefined;
  private readonly sweeps = new Set<NodeJS.Timeout>();

  private readonly options: HeartbeatOptions;

  constructor(options: HeartbeatOptions) {
    this.options = options;
  }

  get enabled(): boolean {
    return this.interval !== undefined;
  }

  start(): void {
    if (this.interval !== undefined) return;
    this.interval = setInterval(() => this.pingAll(), this.options.intervalMs);
    this.interval.unref();
  }

  /** Stops pinging and forgives outstanding pongs, so re-enabling never kills on an old round. */
  stop(): void {
    clearInterval(this.interval);
    this.interval = undefined;
    for (const sweep of this.sweeps) clearTimeout(sweep);
    this.sweeps.clear();
    for (const connection of this.options.connections()) connection.owesPongSinceRound = null;
  }

  private pingAll(): void {
    const round = ++this.round;
    const message: PingMessage = { type: 'ping', timestamp: new Date(this.options.now()).toISOString() };
    const jsonPing = Buffer.from(JSON.stringify(message));
    for (const connection of this.options.connections()) {
      connection.owesPongSinceRound ??= round;
      this.options.ping(connection, jsonPing);
    }
    const sweep = setTimeout(() => {
      this.sweeps.delete(sweep);
      this.terminateStale(round);
    }, this.options.timeoutMs);
    sweep.unref();
    this.sweeps.add(sweep);
  }

  private terminateStale(round: number): void {
    for (const connection of this.options.connections()) {
      const owed = connection.owesPongSinceRound;
      if (owed !== null && owed <= round) this.options.onStale(connection);
    }
  }
}
