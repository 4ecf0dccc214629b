import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { openStore } from '../../src/store/index.ts';
import { requeueFailedUpload } from '../../src/runtime/rating-outbox.ts';
import { makeSkill } from '../support/skills.ts';
import { useTempDir } from '../support/temp-dir.ts';

const T0 = Date.parse('2026-03-01T00:00:00Z');

describe('requeueing a failed rating upload', () => {
  const tempDir = useTempDir();
  const withFailedUpload = () => {
    const store = openStore(join(tempDir(), 'atom.db'));
    store.skills.upsert(makeSkill(1), T0);
    const rating = store.ratings.rate({ skillId: makeSkill(1).skill_id, userId: 'u1', rating: 4, clientRatingId: 'c-1' }, T0);
    store.ratings.markFailed(rating, { kind: 'transient', reason: 'HTTP 503', nextRetryAt: null }, T0 + 1);
    const [failed] = store.ratings.failedUploads(10);
    return { store, rating, failed: failed! };
  };

  it('puts the rating back to pending', () => {
    const { store, rating, failed } = withFailedUpload();
    expect(requeueFailedUpload(store, failed.id)).toEqual({ kind: 'requeued', ratingId: rating.id });
    expect(store.ratings.statusCounts()).toMatchObject({ pending: 1, dead: 0, failed: 0 });
    store.close();
  });

  it('refuses a rating that is no longer failed (requeued twice)', () => {
    const { store, rating, failed } = withFailedUpload();
    requeueFailedUpload(store, failed.id);
    expect(requeueFailedUpload(store, failed.id)).toEqual({ kind: 'notFailed', ratingId: rating.id });
    store.close();
  });

  it('names an unknown failed upload as not found', () => {
    const { store, failed } = withFailedUpload();
    expect(requeueFailedUpload(store, failed.id + 1000)).toEqual({ kind: 'notFound' });
    store.close();
  });
});
