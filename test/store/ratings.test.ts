import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { openStore, type Store } from '../../src/store/index.ts';
import { makeSkill } from '../support/skills.ts';
import { useTempDir } from '../support/temp-dir.ts';

const T0 = Date.parse('2026-03-01T00:00:00Z');
const SKILL = makeSkill(1).skill_id;

describe('rating outbox', () => {
  const tempDir = useTempDir();
  const open = (): Store => openStore(join(tempDir(), 'atom.db'));

  it('keeps one rating per user and skill; re-rating makes it pending again with a new key', () => {
    const store = open();
    const first = store.ratings.rate({ skillId: SKILL, userId: 'alice', rating: 3, clientRatingId: 'k1' }, T0);
    store.ratings.markSynced(first, 'remote-1', T0 + 1);
    const second = store.ratings.rate({ skillId: SKILL, userId: 'alice', rating: 5, comment: 'better now', clientRatingId: 'k2' }, T0 + 2);
    expect(second).toMatchObject({ id: first.id, clientRatingId: 'k2', rating: 5, syncStatus: 'pending', createdAt: T0, updatedAt: T0 + 2 });
    expect(store.ratings.pending(10).map((r) => r.clientRatingId)).toEqual(['k2']);
    store.close();
  });

  it('refuses ratings outside 1..5 and comments over 1000 characters at the database too', () => {
    const store = open();
    expect(() => store.ratings.rate({ skillId: SKILL, userId: 'u', rating: 7, clientRatingId: 'k' }, T0)).toThrow(/CHECK/);
    expect(() => store.ratings.rate({ skillId: SKILL, userId: 'u', rating: 5, comment: 'x'.repeat(1001), clientRatingId: 'k' }, T0)).toThrow(/CHECK/);
    store.close();
  });

  it('marks only the uploaded version synced: a re-rating during the upload stays pending', () => {
    const store = open();
    const uploading = store.ratings.rate({ skillId: SKILL, userId: 'bob', rating: 2, clientRatingId: 'k1' }, T0);
    store.ratings.rate({ skillId: SKILL, userId: 'bob', rating: 4, clientRatingId: 'k2' }, T0 + 1);
    expect(store.ratings.markSynced(uploading, 'remote-1', T0 + 2)).toBe(false);
    expect(store.ratings.get(uploading.id)).toMatchObject({ syncStatus: 'pending', clientRatingId: 'k2' });
    store.close();
  });

  it('schedules transient failures for retry and keeps 4xx as dead letters with the reason', () => {
    const store = open();
    const a = store.ratings.rate({ skillId: SKILL, userId: 'a', rating: 5, clientRatingId: 'ka' }, T0);
    const b = store.ratings.rate({ skillId: SKILL, userId: 'b', rating: 1, clientRatingId: 'kb' }, T0);
    store.ratings.markFailed(a, { kind: 'transient', reason: 'HTTP 503', nextRetryAt: T0 + 1000 }, T0);
    store.ratings.markFailed(a, { kind: 'transient', reason: 'timeout', nextRetryAt: T0 + 3000 }, T0 + 1000);
    store.ratings.markFailed(b, { kind: 'invalid', reason: 'HTTP 400: skill_id must be a UUID', nextRetryAt: null }, T0);

    expect(store.ratings.dueForRetry(T0 + 2999, 10)).toEqual([]);
    expect(store.ratings.dueForRetry(T0 + 3000, 10).map((r) => r.id)).toEqual([a.id]);
    const failed = store.ratings.failedUploads(10);
    expect(failed).toEqual([
      expect.objectContaining({ ratingId: a.id, errorKind: 'transient', reason: 'timeout', retryCount: 2, nextRetryAt: T0 + 3000, deadLetter: false }),
      expect.objectContaining({ ratingId: b.id, errorKind: 'invalid', retryCount: 1, nextRetryAt: null, deadLetter: true }),
    ]);
    expect(store.ratings.statusCounts()).toEqual({ pending: 0, synced: 0, failed: 1, dead: 1 });

    // An operator retry puts the dead letter back in the outbox; success clears its failure row.
    expect(store.ratings.requeue(b.id)).toBe(true);
    expect(store.ratings.pending(10).map((r) => r.id)).toEqual([b.id]);
    store.ratings.markSynced(b, 'remote-b', T0 + 5000);
    expect(store.ratings.failedUploads(10).map((f) => f.ratingId)).toEqual([a.id]);
    expect(store.ratings.failedUpload(failed[0]!.id)?.clientRatingId).toBe('ka');
    store.close();
  });
});
