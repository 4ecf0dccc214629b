import type fc from 'fast-check';
import type { Fault } from '../../../support/fault-proxy.ts';
import type { TcpMode } from '../../../support/tcp-fault-proxy.ts';
import { settle, type AgentModel, type RealAgent } from './model.ts';

// Faults between the agent and the platform, and the passing of (simulated) time.

type Command = fc.AsyncCommand<AgentModel, RealAgent>;

const describeMode = (mode: TcpMode) => Object.entries(mode).map(([k, v]) => (k === 'kind' ? v : `${k}=${v}`)).join(' ');

/** A network fault on the WebSocket's or the HTTP side's TCP proxy (or both back to normal). */
export class ProxyModeCommand implements Command {
  readonly side: 'ws' | 'http';
  readonly mode: TcpMode;

  constructor(side: 'ws' | 'http', mode: TcpMode) {
    this.side = side;
    this.mode = mode;
  }
  check = () => true;
  async run(_model: AgentModel, real: RealAgent): Promise<void> {
    const proxy = this.side === 'ws' ? real.world.wsProxy! : real.world.httpProxy!;
    await proxy.setMode(this.mode);
    await settle(real);
  }
  toString = () => `${this.side} proxy: ${describeMode(this.mode)}`;
}

/** What the platform's HTTP side answers from now on: itself, 500, or 429 with Retry-After. */
export class HttpFaultCommand implements Command {
  readonly status: 'pass' | 500 | 429;

  constructor(status: 'pass' | 500 | 429) {
    this.status = status;
  }
  check = () => true;
  async run(_model: AgentModel, real: RealAgent): Promise<void> {
    const fault: Fault = this.status === 'pass'
      ? { kind: 'pass' }
      : this.status === 429
        ? { kind: 'status', status: 429, headers: { 'retry-after': '5' }, body: { error: 'Rate limit exceeded', retry_after: 5 } }
        : { kind: 'status', status: 500 };
    real.world.httpFault = fault;
    await settle(real);
  }
  toString = () => `platform HTTP: ${this.status}`;
}

/** Simulated time passes: backoffs, retries, fallbacks, watchdogs and schedules fire. */
export class AdvanceClockCommand implements Command {
  readonly ms: number;

  constructor(ms: number) {
    this.ms = ms;
  }
  check = () => true;
  async run(_model: AgentModel, real: RealAgent): Promise<void> {
    real.world.clock.increment(this.ms);
    await settle(real, 25);
  }
  toString = () => `clock +${this.ms} ms`;
}
