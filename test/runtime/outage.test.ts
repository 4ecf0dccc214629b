import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SimulatedClock } from 'xstate';
import type { Agent } from '../../src/runtime/create-agent.ts';
import type { TransitionRecord } from '../../src/runtime/actor-host.ts';
import { startSharedPlatform, startWorld, type AgentWorld, type SharedPlatform } from './model/drivers/world.ts';
import { useCleanups } from '../support/cleanups.ts';
import { eventually } from '../support/eventually.ts';

// An outage ends on evidence (issue 13 item 4), against the real reference platform: the agent
// runs on a simulated clock, its HTTP and its WebSocket each go through a TCP fault proxy. The
// platform "as a whole unreachable" is both proxies refusing connections while the platform itself
// keeps publishing; "only its WebSocket endpoint refuses" is the WebSocket proxy alone refusing.

const SECOND = 1000;
const HOUR = 3_600_000;

const connection = (agent: Agent) => agent.actors.connection!;
const isOpen = (agent: Agent) => connection(agent).getSnapshot().hasTag('realtime');
/** States in which real I/O is under way: the clock waits for it to land before moving on. */
function inFlight(agent: Agent): boolean {
  const snapshot = connection(agent).getSnapshot();
  return snapshot.matches({ link: 'connecting' }) || snapshot.matches('checking') || snapshot.matches('probing');
}

/** Moves the simulated clock one second, then lets whatever I/O that started (a connect, a probe) land. */
async function tick(agent: Agent, clock: SimulatedClock, ms = SECOND): Promise<void> {
  clock.increment(ms);
  await eventually(() => !inFlight(agent) || isOpen(agent), 5000, 'the connection I/O to land');
}

/** Counts connection attempts and GET /health probes from the journaled transitions. */
function counter(agent: Agent) {
  const seen = { attempts: 0, probes: 0, checks: 0 };
  agent.transitions.on('transition', (r: TransitionRecord) => {
    if (r.actorId !== 'connection') return;
    if (r.to === 'link.connecting' && r.from !== 'link.connecting') seen.attempts += 1;
    if (r.to === 'probing') seen.probes += 1;
    if (r.to === 'checking') seen.checks += 1;
  });
  return seen;
}

describe('the platform unreachable for 5, 30 and 120 s (simulated), then back', () => {
  const cleanups = useCleanups();
  let shared: SharedPlatform;
  beforeAll(async () => {
    shared = await startSharedPlatform(10);
  });
  afterAll(() => shared?.close());

  async function world(): Promise<AgentWorld> {
    const w = await startWorld({ platform: shared.platform, http: 'proxied', ws: 'proxied' });
    cleanups.push(() => w.close());
    await w.start();
    await eventually(() => isOpen(w.agent), 5000, 'the socket to open');
    return w;
  }

  for (const outageS of [5, 30, 120]) {
    it(`${outageS} s: the socket is open within 60 s of the platform answering, and nothing published is missing`, async () => {
      const w = await world();
      const { agent, clock } = w;
      const seen = counter(agent);
      await w.httpProxy!.setMode({ kind: 'refuse' });
      await w.wsProxy!.setMode({ kind: 'refuse' });
      await eventually(() => connection(agent).getSnapshot().matches('backingOff'), 5000, 'the check to find the platform unreachable');
      expect(connection(agent).getSnapshot().context.failureCause).toBe('platform');
      const during = await w.publishSkill(`published during a ${outageS} s outage`);
      const downAt = clock.now();
      while (clock.now() < downAt + outageS * SECOND) await tick(agent, clock);
      const inOutage = { ...seen };

      await w.httpProxy!.setMode({ kind: 'pass' });
      await w.wsProxy!.setMode({ kind: 'pass' });
      const upAt = clock.now();
      const justAfter = await w.publishSkill(`published just after a ${outageS} s outage`);
      while (!isOpen(agent) && clock.now() < upAt + 10 * 60 * SECOND) await tick(agent, clock);
      const reopenS = (clock.now() - upAt) / SECOND;
      const afterReopen = await w.publishSkill(`published once the socket reopened after ${outageS} s`);
      console.log(`real platform, ${outageS} s unreachable: socket open ${reopenS} s after it answers; during the outage ${inOutage.attempts} socket attempts, ${inOutage.checks} checks + ${inOutage.probes} probes of GET /health`);

      expect(isOpen(agent)).toBe(true);
      expect(reopenS).toBeLessThanOrEqual(60);
      expect(inOutage.attempts).toBeLessThanOrEqual(2);
      for (const id of [during, justAfter, afterReopen]) await eventually(() => agent.store.skills.get(id), 5000, `skill ${id} in the cache`);
    });
  }

  it('an answered catch-up ends the outage fallback at once', async () => {
    const w = await world();
    const { agent, clock } = w;
    await w.httpProxy!.setMode({ kind: 'refuse' });
    await w.wsProxy!.setMode({ kind: 'refuse' });
    while (!connection(agent).getSnapshot().matches('fallback')) await tick(agent, clock);
    await w.httpProxy!.setMode({ kind: 'pass' });
    await w.wsProxy!.setMode({ kind: 'pass' });
    const at = clock.now();
    agent.actors.syncCycle!.send({ type: 'sync.catchUp' });
    await eventually(() => isOpen(agent), 5000, 'the socket to reopen without the clock moving');
    expect(clock.now()).toBe(at);
  });
});

describe('only the WebSocket endpoint refuses (HTTP works)', () => {
  const cleanups = useCleanups();
  let shared: SharedPlatform;
  beforeAll(async () => {
    shared = await startSharedPlatform(5);
  });
  afterAll(() => shared?.close());

  /** Lets the failed attempt and its check land, then moves the clock to the next attempt. */
  const waiting = (agent: Agent) => (['backingOff', 'fallback', 'suspended'] as const).some((s) => connection(agent).getSnapshot().matches(s));

  async function nextAttempt(agent: Agent, clock: SimulatedClock): Promise<number> {
    await eventually(() => waiting(agent), 5000, 'the attempt and its check to land');
    const { value, context } = connection(agent).getSnapshot();
    const deadline = value === 'fallback' ? context.fallbackUntil! : context.nextAttemptAt!;
    const wait = deadline - clock.now();
    clock.increment(wait);
    return wait;
  }

  it('keeps the spec schedule: 1 s, 2 s, an hour of fallback, suspended after 10 attempts; no storm', async () => {
    const w = await startWorld({ platform: shared.platform, http: 'direct', ws: 'proxied' });
    cleanups.push(() => w.close());
    await w.start();
    await eventually(() => isOpen(w.agent), 5000, 'the socket to open');
    const { agent, clock } = w;
    const accepted = w.wsProxy!.accepted;
    // Accepts every connection and resets it: each attempt is counted by the proxy.
    await w.wsProxy!.setMode({ kind: 'reset' });
    const start = clock.now();
    const waits: number[] = [];
    while (waits.length < 20) {
      await eventually(() => waiting(agent), 5000, 'the attempt to fail');
      if (connection(agent).getSnapshot().matches('suspended')) break;
      waits.push(await nextAttempt(agent, clock));
    }
    const attempts = w.wsProxy!.accepted - accepted;
    console.log(`WebSocket endpoint alone refusing for ${((clock.now() - start) / HOUR).toFixed(2)} h (simulated): ${attempts} connection attempts, then suspended`);
    expect(waits).toEqual([1000, 2000, HOUR, 1000, 2000, HOUR, 1000, 2000, HOUR]);
    expect(connection(agent).getSnapshot().context).toMatchObject({ failureCause: 'socket', reconnectAttempts: 10, nextProbeAt: null });
    expect(attempts).toBe(9);
    expect(agent.store.websocketState.get()).toMatchObject({ state: 'suspended', reconnectAttempts: 10 });
  });

  it('an agent restarted in the middle of a fallback keeps its remaining time', async () => {
    const w = await startWorld({ platform: shared.platform, http: 'direct', ws: 'proxied', env: { ATOM_SAAS_WS_FALLBACK_AFTER_FAILURES: '1' } });
    cleanups.push(() => w.close());
    await w.start();
    await eventually(() => isOpen(w.agent), 5000, 'the socket to open');
    await w.wsProxy!.setMode({ kind: 'refuse' });
    await eventually(() => connection(w.agent).getSnapshot().value === 'fallback', 5000, 'fallback');
    const fallbackUntil = connection(w.agent).getSnapshot().context.fallbackUntil!;
    w.clock.increment(20 * 60_000);
    await w.restart();
    const restarted = connection(w.agent);
    expect(restarted.getSnapshot().value).toBe('fallback');
    expect(restarted.getSnapshot().context.fallbackUntil).toBe(fallbackUntil);
    const attempts = restarted.getSnapshot().context.reconnectAttempts;
    w.clock.increment(fallbackUntil - w.clock.now() - 1);
    expect(restarted.getSnapshot().value).toBe('fallback');
    w.clock.increment(1);
    expect(restarted.getSnapshot().context.reconnectAttempts).toBe(attempts + 1);
  });
});
