import type { Store } from '../store/index.ts';

// Operator actions on the rating outbox. The upload itself is the ratingSync chart's
// (rating-upload.ts); this only puts a failed rating back in line for it.

export type RequeueOutcome =
  | { kind: 'requeued'; ratingId: number }
  /** No failed-upload record with that id. */
  | { kind: 'notFound' }
  /** The rating was re-rated or uploaded since it failed: nothing to requeue. */
  | { kind: 'notFailed'; ratingId: number };

/** A failed upload goes back to pending; its failure record keeps the retry count. */
export function requeueFailedUpload(store: Store, failedUploadId: number): RequeueOutcome {
  const failed = store.ratings.failedUpload(failedUploadId);
  if (!failed) return { kind: 'notFound' };
  return store.ratings.requeue(failed.ratingId)
    ? { kind: 'requeued', ratingId: failed.ratingId }
    : { kind: 'notFailed', ratingId: failed.ratingId };
}
