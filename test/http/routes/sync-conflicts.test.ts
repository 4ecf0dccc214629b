import { describe, expect, it } from 'vitest';
import { waitFor } from 'xstate';
import { ADMIN, useShells, type Shell } from '../helpers.ts';
import { adminCall, platformCatalog } from '../../support/platform.ts';
import { conflictDiff } from '../../../src/http/schemas/conflict.ts';

const get = (url: string) => ({ method: 'GET' as const, url, headers: ADMIN });
const post = (url: string, payload?: object) => ({ method: 'POST' as const, url, headers: ADMIN, ...(payload ? { payload } : {}) });

/** A conflict queued for real: a local edit, an upstream change on the platform, a catch-up sync (manual strategy). */
async function queueConflict(s: Shell, index: number): Promise<{ id: number; skillId: string }> {
  const skillId = [...platformCatalog(s.platform!).keys()][index]!;
  s.agent.editSkill(skillId, { description: `edited here ${index}`, tags: ['local-tag'] });
  expect((await adminCall(s.platform!, 'PUT', `/api/v1/skills/${skillId}`, { description: `edited upstream ${index}`, code: 'upstream code' })).status).toBe(200);
  const before = s.agent.store.syncState.get().successfulSyncs;
  s.agent.actors.syncCycle!.send({ type: 'sync.catchUp' });
  await waitFor(s.agent.actors.syncCycle!, (st) => st.matches('idle') && s.agent.store.syncState.get().successfulSyncs > before, { timeout: 5000 });
  const conflict = s.agent.store.conflicts.openForSkill(skillId);
  expect(conflict).toMatchObject({ state: 'awaitingOperator' });
  return { id: conflict!.id, skillId };
}

describe('/api/admin/sync/conflicts', () => {
  const shell = useShells();
  const manual = { skills: 8, env: { ATOM_SAAS_CONFLICT_STRATEGY: 'manual' } };

  it('lists queued conflicts with filters and paging', async () => {
    const s = await shell(manual);
    const a = await queueConflict(s, 1);
    const b = await queueConflict(s, 2);
    const res = await s.request(get('/api/admin/sync/conflicts'));
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({
      total: 2, limit: 20, offset: 0,
      items: [b, a].map(({ id, skillId }) => ({
        id, skill_id: skillId, conflict_type: 'version', state: 'awaitingOperator', resolved: false,
        strategy: null, resolved_by: null, detected_at: expect.any(String), resolved_at: null,
      })),
    });
    const filtered = (await s.request(get(`/api/admin/sync/conflicts?resolved=false&type=version&skill_id=${a.skillId}&limit=5`))).json();
    expect(filtered.items.map((c: { id: number }) => c.id)).toEqual([a.id]);
    expect((await s.request(get('/api/admin/sync/conflicts?type=content'))).json().total).toBe(0);
    expect((await s.request(get('/api/admin/sync/conflicts?resolved=true'))).json().total).toBe(0);
    expect((await s.request(get('/api/admin/sync/conflicts?limit=1&offset=1'))).json().items[0].id).toBe(a.id);
    for (const q of ['type=other', 'limit=0', 'limit=101', 'offset=-1', 'resolved=maybe']) {
      expect((await s.request(get(`/api/admin/sync/conflicts?${q}`))).statusCode, q).toBe(400);
    }
  });

  it('shows one conflict with base, local, remote and the fields that differ; 404 for an unknown id', async () => {
    const s = await shell(manual);
    const { id, skillId } = await queueConflict(s, 3);
    const res = await s.request(get(`/api/admin/sync/conflicts/${id}`));
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body).toMatchObject({ id, skill_id: skillId, result: null, local: { description: 'edited here 3' }, remote: { description: 'edited upstream 3', code: 'upstream code' } });
    expect(body.base.skill_id).toBe(skillId);
    const fields = body.diff.map((d: { field: string }) => d.field);
    expect(fields).toEqual(expect.arrayContaining(['description', 'code', 'tags', 'version']));
    expect(fields).not.toContain('name');
    expect(body.diff.find((d: { field: string }) => d.field === 'description')).toEqual({ field: 'description', base: body.base.description, local: 'edited here 3', remote: 'edited upstream 3' });
    expect((await s.request(get('/api/admin/sync/conflicts/999'))).statusCode).toBe(404);
    expect((await s.request(get('/api/admin/sync/conflicts/x'))).statusCode).toBe(400);
  });

  it('resolves one conflict through the conflicts actor: 200 with the resolved conflict, then 409', async () => {
    const s = await shell(manual);
    const { id, skillId } = await queueConflict(s, 4);
    const res = await s.request(post(`/api/admin/sync/conflicts/${id}/resolve?strategy=merge`));
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ resolved: true, conflict: { id, state: 'resolved', resolved: true, strategy: 'merge', resolved_by: 'operator', result: { description: 'edited here 4\n\nedited upstream 4' } } });
    expect(s.agent.store.skills.get(skillId)?.local?.description).toBe('edited here 4\n\nedited upstream 4');
    const again = await s.request(post(`/api/admin/sync/conflicts/${id}/resolve?strategy=remote_wins`));
    expect(again.statusCode).toBe(409);
    expect(again.json()).toEqual({ error: 'Conflict', message: expect.stringContaining('already resolved') });
  });

  it('answers 404 for an unknown id and 400 for a missing or unknown strategy', async () => {
    const s = await shell();
    expect((await s.request(post('/api/admin/sync/conflicts/42/resolve?strategy=merge'))).statusCode).toBe(404);
    expect((await s.request(post('/api/admin/sync/conflicts/42/resolve'))).statusCode).toBe(400);
    expect((await s.request(post('/api/admin/sync/conflicts/42/resolve?strategy=manual'))).statusCode).toBe(400);
  });

  it('bulk-resolves by type and skill through conflict.resolveAll', async () => {
    const s = await shell(manual);
    const a = await queueConflict(s, 1);
    await queueConflict(s, 2);
    const one = await s.request(post('/api/admin/sync/conflicts/bulk-resolve', { strategy: 'remote_wins', skill_id: a.skillId }));
    expect(one.statusCode).toBe(200);
    expect(one.json()).toEqual({ success: true, resolved: 1, refused: 0 });
    expect(s.agent.store.skills.get(a.skillId)?.locallyEdited).toBe(false);
    const rest = await s.request(post('/api/admin/sync/conflicts/bulk-resolve', { strategy: 'local_wins', conflict_type: 'version' }));
    expect(rest.json()).toEqual({ success: true, resolved: 1, refused: 0 });
    expect(s.agent.store.conflicts.unresolvedCount()).toBe(0);
    expect((await s.request(post('/api/admin/sync/conflicts/bulk-resolve', { strategy: 'merge' }))).json()).toEqual({ success: true, resolved: 0, refused: 0 });
    for (const payload of [{}, { strategy: 'manual' }, { strategy: 'merge', conflict_ids: ['1'] }, { strategy: 'merge', conflict_type: 'other' }]) {
      expect((await s.request(post('/api/admin/sync/conflicts/bulk-resolve', payload))).statusCode, JSON.stringify(payload)).toBe(400);
    }
  });
});

describe('conflictDiff', () => {
  const skill = { skill_id: 's', name: 'n', description: 'd', version: '1', code: 'c', command: '', python_packages: [], npm_packages: [], tags: [], metadata: {}, category: '', average_rating: 0, rating_count: 0, updated_at: '2026-01-01T00:00:00Z' };

  it('lists a field changed on one side only, and every field when the remote side deleted the skill', () => {
    expect(conflictDiff({ base: skill, local: { ...skill, code: 'x' }, remote: { ...skill, average_rating: 5 } }).map((d) => d.field)).toEqual(['code']);
    expect(conflictDiff({ base: null, local: skill, remote: skill })).toEqual([]);
    expect(conflictDiff({ base: skill, local: skill, remote: null })).toHaveLength(10);
  });
});
