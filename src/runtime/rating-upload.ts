import { createHmac } from 'node:crypto';
import type { UploadAbort, UploadReport } from '../../machines/ratingSync.ts';
import type { PlatformClient } from '../marketplace/http/client.ts';
import { PlatformError } from '../marketplace/http/platform-error.ts';
import { backoffDelay } from '../policy/backoff.ts';
import { isRetryable } from '../policy/outcome.ts';
import type { LocalRating, Store } from '../store/index.ts';
import type { Clock } from '../policy/clock.ts';

export interface RatingUploaderDeps {
  store: Store;
  client: PlatformClient;
  clock: Clock;
  /** Requests in flight at most (DESIGN.md: 10). */
  concurrency?: number;
  /** Ratings taken from the outbox per round. */
  batchSize?: number;
}

/** A failed upload is retried after 1 min, doubling to at most 1 h. */
export const RATING_RETRY = { baseMs: 60_000, maxMs: 60 * 60_000 } as const;

/**
 * The user id that leaves the instance (spec 000 "Data privacy": hashed, not emails): an HMAC keyed
 * by this agent's device id, so one user's ratings stay one user upstream (a re-rating replaces the
 * old one) while ids from different instances cannot be linked.
 */
export function hashUserId(deviceId: string, userId: string): string {
  return `u_${createHmac('sha256', deviceId).update(userId).digest('hex').slice(0, 40)}`;
}

/**
 * The ratingSync chart's `uploadRatings` actor. Each rating's outcome is recorded as it lands:
 * 2xx synced; 5xx/network failed with a retry time; other 4xx (validation, unknown skill, a newer
 * rating upstream: 409) a dead letter with the reason. 401 and 429 stop the round: the chart waits.
 */
export function createRatingUploader(deps: RatingUploaderDeps) {
  const { store, client, clock } = deps;
  const concurrency = deps.concurrency ?? 10;
  const batchSize = deps.batchSize ?? 200;

  async function uploadOne(rating: LocalRating, deviceId: string, report: UploadReport): Promise<UploadAbort | undefined> {
    try {
      const receipt = await client.submitRating({
        skill_id: rating.skillId,
        rating: rating.rating,
        comment: rating.comment ?? undefined,
        user_id: hashUserId(deviceId, rating.userId),
        updated_at: new Date(rating.updatedAt).toISOString(),
        client_rating_id: rating.clientRatingId,
      });
      if (store.ratings.markSynced(rating, receipt.rating_id, clock.now())) report.uploaded += 1;
      return undefined;
    } catch (error) {
      const failure = error instanceof PlatformError ? error : new PlatformError({ kind: 'transient', status: null, message: String((error as Error)?.message ?? error) });
      if (failure.kind === 'auth' || failure.kind === 'rateLimited') return failure.toJSON();
      const now = clock.now();
      // The upload carries its client id, so repeating it is safe: only the kind decides.
      if (!isRetryable(failure, { method: 'POST', idempotent: true })) {
        store.ratings.markFailed(rating, { kind: 'invalid', reason: failure.message, nextRetryAt: null }, now);
        report.deadLettered += 1;
      } else {
        const delay = backoffDelay(store.ratings.retryCount(rating.id) + 1, RATING_RETRY);
        store.ratings.markFailed(rating, { kind: failure.kind, reason: failure.message, nextRetryAt: now + delay }, now);
        report.failed += 1;
      }
      return undefined;
    }
  }

  // What a round stopped by 429 or 401 had done: the round that picks the flush up again counts from
  // it, so the report of the flush covers all of it, not only what came after the wait.
  let carried: UploadReport | null = null;

  return async function uploadRatings({ replayFailed }: { replayFailed: boolean }): Promise<UploadReport> {
    if (replayFailed) store.ratings.requeueAllFailed();
    const deviceId = store.syncState.get().deviceId;
    const report: UploadReport = carried ?? { uploaded: 0, failed: 0, deadLettered: 0 };
    carried = null;
    // Each version (client id) is tried once per round; a re-rating during the upload is a new version.
    const attempted = new Map<number, string>();
    // Rounds until the outbox holds nothing new: ratings written during the upload go out too.
    for (;;) {
      const batch = [...store.ratings.pending(batchSize), ...store.ratings.dueForRetry(clock.now(), batchSize)]
        .filter((r) => attempted.get(r.id) !== r.clientRatingId);
      if (batch.length === 0) return { ...report };
      for (const r of batch) attempted.set(r.id, r.clientRatingId);
      let abort: UploadAbort | undefined;
      let next = 0;
      const worker = async (): Promise<void> => {
        while (abort === undefined && next < batch.length) {
          const rating = batch[next++]!;
          abort = (await uploadOne(rating, deviceId, report)) ?? abort;
        }
      };
      await Promise.all(Array.from({ length: Math.min(concurrency, batch.length) }, worker));
      if (abort) {
        carried = report;
        throw roundStopped(abort, report);
      }
    }
  };
}

/** The failure that stops a round (429 or 401), carrying what the round had done (UploadAbort.report). */
function roundStopped(abort: UploadAbort, report: UploadReport): PlatformError & { report: UploadReport } {
  const error = new PlatformError(abort.kind === 'rateLimited'
    ? { kind: 'rateLimited', status: abort.status ?? 429, retryAfterMs: abort.retryAfterMs ?? 60_000, message: abort.message }
    : { kind: 'auth', status: abort.status ?? 401, message: abort.message });
  return Object.assign(error, { report: { ...report } });
}
