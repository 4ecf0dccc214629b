import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { openStore } from '../../src/store/index.ts';
import { makeSkill } from '../support/skills.ts';
import { useTempDir } from '../support/temp-dir.ts';

const T0 = Date.parse('2026-03-01T00:00:00Z');

describe('conflict log', () => {
  const tempDir = useTempDir();

  it('records base, local and remote; resolves once; filters and pages', () => {
    const store = openStore(join(tempDir(), 'atom.db'));
    const base = makeSkill(1);
    const local = { ...base, description: 'local' };
    const remote = { ...base, description: 'remote', version: '1.1.0' };
    const id = store.conflicts.record({ skillId: base.skill_id, conflictType: 'content', base, local, remote }, T0);
    const deleteId = store.conflicts.record({ skillId: makeSkill(2).skill_id, conflictType: 'delete', base, local, remote: null }, T0 + 1);

    expect(store.conflicts.get(id)).toMatchObject({ state: 'detected', resolved: false, base, local, remote });
    expect(store.conflicts.openForSkill(base.skill_id)?.id).toBe(id);
    expect(store.conflicts.setState(id, 'awaitingOperator')).toBe(true);
    expect(store.conflicts.unresolvedCount()).toBe(2);

    expect(store.conflicts.resolve(id, { strategy: 'merge', resolvedBy: 'operator', result: remote }, T0 + 5)).toBe(true);
    expect(store.conflicts.resolve(id, { strategy: 'local_wins', resolvedBy: 'operator', result: local }, T0 + 6)).toBe(false);
    expect(store.conflicts.get(id)).toMatchObject({ state: 'resolved', resolved: true, strategy: 'merge', result: remote, resolvedAt: T0 + 5 });
    expect(store.conflicts.openForSkill(base.skill_id)).toBeUndefined();

    expect(store.conflicts.list({ resolved: false, limit: 10, offset: 0 })).toMatchObject({ total: 1, items: [{ id: deleteId, remote: null }] });
    expect(store.conflicts.list({ conflictType: 'content', limit: 10, offset: 0 }).total).toBe(1);
    expect(store.conflicts.list({ limit: 1, offset: 1 })).toMatchObject({ total: 2, items: [{ id }] });
    store.close();
  });
});
