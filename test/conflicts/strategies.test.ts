import { describe, expect, it } from 'vitest';
import { detectConflict, resolveConflict } from '../../src/conflicts/index.ts';
import { makeSkill, iso } from '../support/skills.ts';

const T0 = Date.parse('2026-03-01T00:00:00Z');
const base = makeSkill(1, { version: '1.0.0', updated_at: iso(T0) });
const edited = { locallyEdited: true, baseVersion: '1.0.0', baseUpdatedAt: T0 };

describe('detectConflict', () => {
  it('finds no conflict for a skill that is not edited, or for a replay of the base', () => {
    expect(detectConflict(undefined, { kind: 'update', skill: base })).toBeNull();
    expect(detectConflict({ locallyEdited: false, baseVersion: null, baseUpdatedAt: null }, { kind: 'delete', deletedAt: T0 })).toBeNull();
    expect(detectConflict(edited, { kind: 'update', skill: base })).toBeNull();
  });

  it('tells version, content and delete conflicts apart', () => {
    const bumped = makeSkill(1, { version: '1.1.0', updated_at: iso(T0 + 1) });
    const sameVersion = makeSkill(1, { version: '1.0.0', description: 'changed', updated_at: iso(T0 + 1) });
    expect(detectConflict(edited, { kind: 'update', skill: bumped })).toBe('version');
    expect(detectConflict(edited, { kind: 'update', skill: sameVersion })).toBe('content');
    expect(detectConflict(edited, { kind: 'delete', deletedAt: T0 + 1 })).toBe('delete');
  });
});

describe('resolveConflict', () => {
  const local = { ...base, description: 'local', code: 'local code', tags: ['mine'] };
  const remote = makeSkill(1, { version: '2.0.0', description: 'remote', code: 'remote code', tags: ['theirs'], updated_at: iso(T0 + 5) });

  it.each(['content', 'version'] as const)('%s conflict: each strategy', (type) => {
    const sides = { type, base, local, remote };
    expect(resolveConflict('remote_wins', sides)).toEqual({ action: 'acceptRemote', result: remote });
    expect(resolveConflict('local_wins', sides)).toEqual({ action: 'keepLocal', result: local });
    expect(resolveConflict('manual', sides)).toEqual({ action: 'queue', result: null });
    const merged = resolveConflict('merge', sides);
    expect(merged.action).toBe('applyMerged');
    expect(merged.result).toMatchObject({ version: '2.0.0', code: 'local code', tags: ['theirs', 'mine'], description: 'local\n\nremote' });
  });

  it('delete conflict: remote_wins deletes; local_wins and merge keep the local copy; manual queues', () => {
    const sides = { type: 'delete' as const, base, local, remote: null };
    expect(resolveConflict('remote_wins', sides)).toEqual({ action: 'delete', result: null });
    expect(resolveConflict('local_wins', sides)).toEqual({ action: 'keepLocal', result: local });
    expect(resolveConflict('merge', sides)).toEqual({ action: 'keepLocal', result: local });
    expect(resolveConflict('manual', sides)).toEqual({ action: 'queue', result: null });
  });
});

describe('detectConflict with the base known', () => {
  it('ignores a newer version whose content equals the base (ratings and timestamps only)', () => {
    const withBase = { ...edited, base };
    expect(detectConflict(withBase, { kind: 'update', skill: { ...base, average_rating: 1, rating_count: 7, updated_at: iso(T0 + 1) } })).toBeNull();
    expect(detectConflict(withBase, { kind: 'update', skill: { ...base, tags: ['new'], updated_at: iso(T0 + 1) } })).toBe('content');
  });
});
