import { describe, expect, it } from 'vitest';
import { makeSkill } from '../../support/skills.ts';
import { ADMIN, useShells } from '../helpers.ts';

const resolve = (payload: Record<string, unknown>) =>
  ({ method: 'POST' as const, url: '/api/admin/actors/conflicts/events', headers: ADMIN, payload: { type: 'conflict.resolve', strategy: 'merge', ...payload } });

describe('operator events that name a conflict', () => {
  const shell = useShells();

  it('conflict.resolve for an unknown id: 404, nothing sent to the actor; for a resolved one: 409', async () => {
    const { request, agent } = await shell();
    const journalBefore = agent.store.journal.recent(1000).length;
    const unknown = await request(resolve({ id: 999 }));
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json()).toEqual({ error: 'Not Found', message: 'no conflict 999' });
    expect(agent.store.journal.recent(1000).length).toBe(journalBefore);

    const skill = makeSkill(1);
    const id = agent.store.conflicts.record({ skillId: skill.skill_id, conflictType: 'content', base: skill, local: skill, remote: skill }, agent.clock.now());
    agent.store.conflicts.resolve(id, { strategy: 'merge', resolvedBy: 'operator', result: skill }, agent.clock.now());
    const resolved = await request(resolve({ id }));
    expect(resolved.statusCode).toBe(409);
    expect(resolved.json()).toEqual({ error: 'Conflict', message: `conflict ${id} is already resolved`, accepts: expect.any(Array) });

    // The payload is still validated first: a bad strategy is a 400 whatever the id.
    expect((await request(resolve({ id: 999, strategy: 'manual' }))).statusCode).toBe(400);
  });
});
