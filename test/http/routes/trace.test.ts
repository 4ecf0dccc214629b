import { describe, expect, it } from 'vitest';
import { waitFor } from 'xstate';
import { ADMIN, useShells } from '../helpers.ts';

describe('GET /api/admin/trace', () => {
  const shell = useShells();

  it('exports every actor with its starting point and the steps of the range, in journal order', async () => {
    const { request, agent } = await shell({ skills: 10 });
    // Rows of the initial sync end before the split (journal times are milliseconds).
    await new Promise((r) => setTimeout(r, 5));
    const split = agent.clock.now();
    agent.actors.syncCycle!.send({ type: 'sync.catchUp' });
    await waitFor(agent.actors.syncCycle!, (s) => s.value === 'idle' && s.context.lastResult?.kind === 'incremental');

    const all = await request({ method: 'GET', url: `/api/admin/trace?from=0`, headers: ADMIN });
    expect(all.statusCode).toBe(200);
    const trace = all.json();
    expect(trace).toMatchObject({ version: 1, from: new Date(0).toISOString() });
    // Everything from the start: each actor begins with its xstate.init, its chart's initial state.
    expect(trace.actors.syncCycle).toEqual({ machine: 'syncCycle', start: { state: 'idle', context: expect.objectContaining({ lastResult: null }) } });
    expect(trace.actors.agent.machine).toBe('agent');
    const ids = trace.steps.map((s: { id: number }) => s.id);
    expect(ids).toEqual([...ids].sort((a, b) => a - b));
    expect(trace.steps.find((s: { event: { type: string } }) => s.event.type === 'xstate.done.actor.runSync')).toMatchObject({
      actor: 'syncCycle', from: 'syncing', to: 'idle', event: { output: { kind: 'full', skills: 10 } }, context: { lastResult: { kind: 'full' } },
    });

    // From the split on: syncCycle starts where its last row before it left it, in idle after the full sync.
    const later = (await request({ method: 'GET', url: `/api/admin/trace?from=${new Date(split).toISOString()}&to=${agent.clock.now()}`, headers: ADMIN })).json();
    expect(later.actors.syncCycle.start).toEqual({ state: 'idle', context: expect.objectContaining({ lastResult: expect.objectContaining({ kind: 'full' }) }) });
    expect(later.steps.map((s: { event: { type: string } }) => s.event.type)).toEqual(['sync.catchUp', 'xstate.done.actor.runSync']);
    expect(later.steps.every((s: { at: string }) => Date.parse(s.at) >= split)).toBe(true);

    const one = (await request({ method: 'GET', url: '/api/admin/trace?from=0&limit=1', headers: ADMIN })).json();
    expect(one.steps).toHaveLength(1);
    expect(one.truncated).toBe(true);
  });

  it.each([
    ['from=yesterday', 'from must be an ISO 8601 time or epoch milliseconds'],
    ['from=0&to=soon', 'to must be an ISO 8601 time or epoch milliseconds'],
    ['from=2026-01-02T00:00:00Z&to=2026-01-01T00:00:00Z', 'from must not be after to'],
  ])('answers 400 with a message to %s', async (query, message) => {
    const { request } = await shell();
    const res = await request({ method: 'GET', url: `/api/admin/trace?${query}`, headers: ADMIN });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toEqual({ error: 'Bad Request', message });
  });

  it('answers 400 without from or past the step bound, and 401 without the admin token', async () => {
    const { request } = await shell();
    expect((await request({ method: 'GET', url: '/api/admin/trace', headers: ADMIN })).statusCode).toBe(400);
    expect((await request({ method: 'GET', url: '/api/admin/trace?from=0&limit=5001', headers: ADMIN })).statusCode).toBe(400);
    expect((await request({ method: 'GET', url: '/api/admin/trace?from=0' })).statusCode).toBe(401);
  });
});
