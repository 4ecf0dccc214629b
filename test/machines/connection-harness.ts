import { createActor, SimulatedClock } from 'xstate';
import type { ConnectionInput, PlatformAnswer, SocketEvent } from '../../machines/connection.ts';
import { provideConnection } from '../../src/runtime/connection.ts';

// The connection chart as the runtime provides it, on a simulated clock, with a scripted transport
// and a scripted platform: each socket the chart opens is recorded with its open time and can be
// told to open, close or be rejected; GET /health answers while `platform.up` and fails otherwise.

export const SECOND = 1000;
export const MINUTE = 60 * SECOND;
export const INPUT: ConnectionInput = {
  wsEnabled: true, maxAttempts: 10, fallbackAfter: 3, heartbeatMs: 30 * SECOND, pongTimeoutMs: 10 * SECOND,
  fallbackMs: 60 * MINUTE, connectTimeoutMs: 10 * SECOND,
};

export type Behaviour = 'refuse' | 'open' | ((at: number) => 'refuse' | 'open' | undefined);

export interface ScriptedSocket {
  at: number;
  report: (e: SocketEvent) => void;
  closed: boolean;
}

/** Lets the microtasks of scripted sockets and probes run (they answer on the next turn, like I/O). */
export const settle = async () => {
  for (let i = 0; i < 10; i += 1) await Promise.resolve();
};

export interface StartOptions {
  input?: Partial<ConnectionInput>;
  /** How each new socket ends by itself; a function of the clock decides per attempt. */
  behaviour?: Behaviour;
  snapshot?: unknown;
  startAt?: number;
  /** Whether GET /health answers; true by default. */
  platformUp?: boolean | ((at: number) => boolean);
  /** Random draws for the probe (and reconnect) jitter. */
  random?: () => number;
}

export function start(options: StartOptions = {}) {
  const clock = new SimulatedClock();
  clock.set(options.startAt ?? 1_000_000);
  const sockets: ScriptedSocket[] = [];
  const probes: { at: number; answered: boolean }[] = [];
  const platform = { up: options.platformUp ?? true };
  const isUp = (at: number) => (typeof platform.up === 'function' ? platform.up(at) : platform.up);
  const openSocket = (report: (e: SocketEvent) => void) => {
    const socket: ScriptedSocket = { at: clock.now(), report, closed: false };
    sockets.push(socket);
    const b = options.behaviour;
    const outcome = typeof b === 'function' ? b(clock.now()) : b;
    if (outcome === 'refuse') queueMicrotask(() => !socket.closed && report({ type: 'socket.closed', reason: 'ECONNREFUSED' }));
    if (outcome === 'open') queueMicrotask(() => !socket.closed && report({ type: 'socket.opened' }));
    return () => {
      socket.closed = true;
    };
  };
  const probePlatform = (): Promise<PlatformAnswer> => {
    const at = clock.now();
    const answered = isUp(at);
    probes.push({ at, answered });
    return answered ? Promise.resolve({ status: 200 }) : Promise.reject(new Error('GET /health: ECONNREFUSED'));
  };
  const logic = provideConnection({ clock, openSocket, probePlatform, ...(options.random ? { random: options.random } : {}) });
  const actor = createActor(logic, {
    clock, input: { ...INPUT, ...options.input }, ...(options.snapshot ? { snapshot: options.snapshot as never } : {}),
  });
  actor.start();
  return { clock, actor, sockets, probes, platform, last: () => sockets.at(-1)! };
}

export type Harness = ReturnType<typeof start>;

export const stateOf = (actor: { getSnapshot(): { value: unknown } }) => JSON.stringify(actor.getSnapshot().value);

/**
 * Runs the simulated clock to `until`, one due timer at a time, letting scripted I/O settle after
 * each: what the agent's event loop would do with a real clock.
 */
export async function runUntil(h: Harness, until: number, stepMs = SECOND): Promise<void> {
  await settle();
  while (h.clock.now() < until) {
    h.clock.increment(Math.min(stepMs, until - h.clock.now()));
    await settle();
  }
}
