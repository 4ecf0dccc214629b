import type { AnyMachineSnapshot, InspectionEvent } from 'xstate';
import type { ConnectionContext } from '../../../../machines/connection.ts';
import { backoffDelay, RECONNECT_BACKOFF } from '../../../../src/policy/backoff.ts';
import { stateString } from '../../../../src/runtime/actor-host.ts';
import type { Agent } from '../../../../src/runtime/create-agent.ts';
import type { AgentWorld } from '../drivers/world.ts';

// What the fc.commands run of agent-commands.test.ts knows (the model) and drives (the real
// system), and the invariants checked after every command.

/** The latest rating each (skill, local user) got through agent.rateSkill. */
export interface ModelRating {
  skillId: string;
  userId: string;
  rating: number;
}

export interface AgentModel {
  ratings: Map<string, ModelRating>;
  /** Skills deleted on the platform during the run. */
  deleted: Set<string>;
  /** connection.disable sent and not undone (enable or reconnect). */
  wsDisabled: boolean;
}

export interface RealAgent {
  world: AgentWorld;
  monitor: ConnectionMonitor;
  /** Local user ids this run rates with (hashed upstream). */
  users: string[];
  /** A counter for names of published skills. */
  published: number;
}

export const newModel = (): AgentModel => ({ ratings: new Map(), deleted: new Set(), wsDisabled: false });

export interface Limits {
  maxAttempts: number;
  fallbackMs: number;
  jitter: number;
}

/**
 * Watches the runtime connection actor and records every broken invariant: the backoff delay set
 * when backingOff is entered (within [1 s, 16 s] without jitter, and within the jitter bounds of
 * backoffDelay for the failure count), attempts never above the limit, and a fallback that lasts
 * exactly the configured time.
 */
export class ConnectionMonitor {
  readonly violations: string[] = [];
  readonly backoffDelays: number[] = [];
  readonly fallbacks: number[] = [];
  private previous: { value: string; context: ConnectionContext } | undefined;

  private readonly limits: Limits;
  private readonly now: () => number;

  constructor(limits: Limits, now: () => number) {
    this.limits = limits;
    this.now = now;
  }

  attach(agent: Agent): void {
    const actor = agent.actors.connection!;
    actor.system.inspect((event: InspectionEvent) => {
      if (event.type !== '@xstate.snapshot' || event.actorRef !== actor) return;
      this.check(event.event.type, event.snapshot as AnyMachineSnapshot);
    });
  }

  private check(eventType: string, snapshot: AnyMachineSnapshot): void {
    const value = stateString(snapshot.value);
    const c = snapshot.context as ConnectionContext;
    const prev = this.previous;
    const now = this.now();
    const at = `at ${eventType} → ${value}`;
    if (c.reconnectAttempts > this.limits.maxAttempts) this.violations.push(`${at}: ${c.reconnectAttempts} attempts, limit ${this.limits.maxAttempts}`);
    if (value === 'backingOff' && (prev?.value !== 'backingOff' || prev.context.nextAttemptAt !== c.nextAttemptAt)) {
      const delay = (c.nextAttemptAt ?? Number.NaN) - now;
      this.backoffDelays.push(delay);
      const exact = backoffDelay(c.consecutiveFailures, RECONNECT_BACKOFF);
      const { jitter } = this.limits;
      const low = Math.floor(exact * (1 - jitter));
      const high = Math.min(Math.ceil(exact * (1 + jitter)), RECONNECT_BACKOFF.maxMs);
      if (!(delay >= low && delay <= high)) this.violations.push(`${at}: backoff ${delay} ms after ${c.consecutiveFailures} failures, outside [${low}, ${high}]`);
      // With jitter the first delay can be 1 s × (1 − jitter): [1 s, 16 s] is the no-jitter schedule.
      if (!(delay <= RECONNECT_BACKOFF.maxMs && (jitter > 0 || delay >= RECONNECT_BACKOFF.baseMs))) this.violations.push(`${at}: backoff ${delay} ms outside [1 s, 16 s]`);
    }
    // A fallback that starts lasts the configured time; one resumed after an early attempt (the
    // platform answered again after an outage) keeps the end it had.
    if (value === 'fallback' && prev?.value !== 'fallback' && (prev?.context.fallbackUntil ?? null) === null) {
      const length = (c.fallbackUntil ?? Number.NaN) - now;
      this.fallbacks.push(length);
      if (length !== this.limits.fallbackMs) this.violations.push(`${at}: fallback of ${length} ms, configured ${this.limits.fallbackMs}`);
    }
    // Timers never fire early: a backoff or a fallback ends at its deadline, not before.
    if (prev?.value === 'backingOff' && eventType.startsWith('xstate.after.untilNextAttempt') && now < (prev.context.nextAttemptAt ?? 0)) {
      this.violations.push(`${at}: left backingOff at ${now}, before nextAttemptAt ${prev.context.nextAttemptAt}`);
    }
    if (prev?.value === 'fallback' && eventType.startsWith('xstate.after.untilFallbackEnds') && now < (prev.context.fallbackUntil ?? 0)) {
      this.violations.push(`${at}: left fallback at ${now}, before fallbackUntil ${prev.context.fallbackUntil}`);
    }
    this.previous = { value, context: c };
  }
}

/**
 * Lets real I/O caused by a command land, then fails on any invariant broken so far. Real time
 * passes between two commands, so the simulated clock moves 1 ms: a clock that stands still
 * across syncs hides deletions from a full sync (see the regression test in agent-commands.test.ts).
 */
export async function settle(real: RealAgent, ms = 15): Promise<void> {
  await new Promise((resolve) => setTimeout(resolve, ms));
  real.world.clock.increment(1);
  if (real.monitor.violations.length > 0) throw new Error(`invariant broken: ${real.monitor.violations.join('; ')}`);
}
