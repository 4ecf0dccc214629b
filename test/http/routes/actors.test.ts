import { describe, expect, it } from 'vitest';
import { waitFor } from 'xstate';
import { ADMIN, useShells } from '../helpers.ts';

describe('actor inspection', () => {
  const shell = useShells();

  it('lists the actors of a syncing agent with machine, state, status and mode', async () => {
    const { request } = await shell({ skills: 10 });
    const res = await request({ method: 'GET', url: '/api/admin/actors', headers: ADMIN });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual([
      { id: 'agent', machine: 'agent', state: 'running', status: 'active', mode: 'polling' },
      { id: 'conflicts', machine: 'conflicts', state: 'idle', status: 'active', mode: 'polling' },
      { id: 'syncCycle', machine: 'syncCycle', state: 'idle', status: 'active', mode: 'polling' },
      { id: 'ratingSync', machine: 'ratingSync', state: 'idle', status: 'active', mode: 'polling' },
      { id: 'connection', machine: 'connection', state: 'disabled', status: 'active', mode: 'polling' },
    ]);
  });

  it('lists only the local actors in local-only mode', async () => {
    const { request } = await shell();
    const ids = (await request({ method: 'GET', url: '/api/admin/actors', headers: ADMIN })).json().map((a: { id: string }) => a.id);
    expect(ids).toEqual(['agent', 'conflicts']);
  });

  it('describes one actor: value, tags, sanitised context and the operator events it takes now', async () => {
    const { request } = await shell({ skills: 10 });
    const res = await request({ method: 'GET', url: '/api/admin/actors/syncCycle', headers: ADMIN });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body).toMatchObject({ id: 'syncCycle', machine: 'syncCycle', state: 'idle', value: 'idle', status: 'active', tags: [] });
    expect(body.context).toMatchObject({ hasCompletedFullSync: true, lastResult: { kind: 'full', skills: 10 }, lastError: null });
    expect(body.accepts).toEqual(['schedule.pause', 'schedule.resume', 'sync.catchUp', 'sync.trigger']);

    const connection = (await request({ method: 'GET', url: '/api/admin/actors/connection', headers: ADMIN })).json();
    // Derived from the chart: socket reports and timers.rearm are the runtime's, not the operator's.
    expect(connection.accepts).toEqual(['connection.disable', 'connection.enable', 'connection.reconnect']);
    expect(connection.fields).toEqual({});
  });

  it('describes the payload of each accepted operator event that needs one', async () => {
    const { request } = await shell();
    const body = (await request({ method: 'GET', url: '/api/admin/actors/conflicts', headers: ADMIN })).json();
    expect(body.accepts).toEqual(['conflict.resolve', 'conflict.resolveAll']);
    expect(Object.keys(body.fields)).toEqual(['conflict.resolve', 'conflict.resolveAll']);
    expect(body.fields['conflict.resolve']).toEqual([
      { name: 'id', kind: 'integer', required: true },
      { name: 'strategy', kind: 'choice', choices: ['remote_wins', 'local_wins', 'merge'], required: true },
    ]);
  });

  it('offers the root agent actor no operator events', async () => {
    const { request } = await shell();
    const body = (await request({ method: 'GET', url: '/api/admin/actors/agent', headers: ADMIN })).json();
    expect(body).toMatchObject({ state: 'localOnly', accepts: [] });
  });

  it('answers 404 for an unknown actor, without echoing odd ids', async () => {
    const { request } = await shell();
    const res = await request({ method: 'GET', url: '/api/admin/actors/nobody', headers: ADMIN });
    expect(res.statusCode).toBe(404);
    expect(res.json()).toEqual({ error: 'Not Found', message: 'no actor nobody in this agent' });
    expect((await request({ method: 'GET', url: '/api/admin/actors/constructor', headers: ADMIN })).statusCode).toBe(404);
    expect((await request({ method: 'GET', url: '/api/admin/actors/%3Cscript%3E/transitions', headers: ADMIN })).json().message).toBe('no actor with that id in this agent');
  });

  it('returns the journal of one actor, newest first, bounded by limit', async () => {
    const { request } = await shell({ skills: 10 });
    const res = await request({ method: 'GET', url: '/api/admin/actors/syncCycle/transitions', headers: ADMIN });
    expect(res.statusCode).toBe(200);
    const items = res.json();
    expect(items[0]).toEqual({
      id: expect.any(Number), at: expect.any(String), actor: 'syncCycle', event: 'xstate.done.actor.runSync', from: 'syncing', to: 'idle',
      // The actor's result is in the payload (replay delivers it), and the context it was recorded into.
      payload: { type: 'xstate.done.actor.runSync', actorId: 'runSync', output: expect.objectContaining({ kind: 'full', skills: 10 }) },
      context: expect.objectContaining({ lastResult: expect.objectContaining({ skills: 10 }) }),
    });
    expect(items.every((t: { actor: string }) => t.actor === 'syncCycle')).toBe(true);
    const one = await request({ method: 'GET', url: '/api/admin/actors/syncCycle/transitions?limit=1', headers: ADMIN });
    expect(one.json()).toHaveLength(1);
  });

  it.each(['0', '1001', '1.5', 'ten'])('rejects limit=%s with 400', async (limit) => {
    const { request } = await shell();
    const res = await request({ method: 'GET', url: `/api/admin/actors/agent/transitions?limit=${limit}`, headers: ADMIN });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toEqual({ error: 'Bad Request', message: expect.stringContaining('limit') });
  });
});

describe('operator events', () => {
  const shell = useShells();
  const post = (id: string, payload: unknown) => ({ method: 'POST' as const, url: `/api/admin/actors/${id}/events`, headers: ADMIN, payload: payload as object });

  it('sends sync.trigger: 202 with the state it led to, and the sync runs', async () => {
    const { request, agent } = await shell({ skills: 10 });
    const res = await request(post('syncCycle', { type: 'sync.trigger' }));
    expect(res.statusCode).toBe(202);
    expect(res.json()).toEqual({ accepted: true, state: 'syncing' });
    const done = await waitFor(agent.actors.syncCycle!, (s) => s.matches('idle'), { timeout: 5000 });
    expect(done.context.lastResult?.kind).toBe('full');
  });

  it('refuses with 409 and the accepted events when the state has no transition for it', async () => {
    const { request } = await shell({ skills: 5 });
    expect((await request(post('connection', { type: 'connection.enable' }))).statusCode).toBe(202);
    const res = await request(post('connection', { type: 'connection.enable' }));
    expect(res.statusCode).toBe(409);
    expect(res.json()).toEqual({
      error: 'Conflict',
      message: expect.stringMatching(/^connection cannot take connection.enable in state (link|backingOff)/),
      accepts: ['connection.disable', 'connection.reconnect'],
    });
  });

  it('answers 400 for an event that is not an operator event of that machine', async () => {
    const { request } = await shell({ skills: 5 });
    for (const [id, type] of [['connection', 'socket.opened'], ['syncCycle', 'timers.rearm'], ['syncCycle', 'ratings.flush'], ['agent', 'agent.stop']]) {
      const res = await request(post(id!, { type }));
      expect(res.statusCode, `${id} ${type}`).toBe(400);
      expect(res.json().message).toContain(`is not an operator event of ${id}`);
    }
  });

  it('validates the payload of conflict events', async () => {
    const { request } = await shell();
    const bad = [
      { type: 'conflict.resolve', id: 'one', strategy: 'merge' },
      { type: 'conflict.resolve', id: 1 },
      { type: 'conflict.resolve', id: 1, strategy: 'manual' },
      { type: 'conflict.resolveAll', strategy: 'merge', extra: true },
      { type: 'sync.trigger', now: 1 },
    ];
    for (const payload of bad) {
      const res = await request(post(payload.type.startsWith('sync') ? 'agent' : 'conflicts', payload));
      expect(res.statusCode, JSON.stringify(payload)).toBe(400);
      expect(res.json()).toEqual({ error: 'Bad Request', message: expect.any(String) });
    }
    const ok = await request(post('conflicts', { type: 'conflict.resolveAll', strategy: 'remote_wins', conflictType: 'version' }));
    expect(ok.statusCode).toBe(202);
  });

  it('answers 400 for a body without a type, and 404 for an unknown actor', async () => {
    const { request } = await shell();
    expect((await request(post('conflicts', { strategy: 'merge' }))).statusCode).toBe(400);
    expect((await request(post('syncCycle', { type: 'sync.trigger' }))).statusCode).toBe(404);
  });
});
