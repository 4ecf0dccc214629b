import type { Database } from 'better-sqlite3';
import type { FailureKind } from '../../machines/failure.ts';

export type RatingStatus = 'pending' | 'synced' | 'failed' | 'dead';

export interface LocalRating {
  id: number;
  clientRatingId: string;
  skillId: string;
  userId: string;
  rating: number;
  comment: string | null;
  createdAt: number;
  updatedAt: number;
  syncStatus: RatingStatus;
  syncedAt: number | null;
  remoteRatingId: string | null;
}

export interface FailedUpload {
  id: number;
  ratingId: number;
  clientRatingId: string;
  skillId: string;
  errorKind: FailureKind;
  reason: string;
  retryCount: number;
  nextRetryAt: number | null;
  deadLetter: boolean;
  createdAt: number;
  updatedAt: number;
}

const ratingColumns = (t: string): string => `${t}id, ${t}client_rating_id AS clientRatingId, ${t}skill_id AS skillId,
  ${t}user_id AS userId, ${t}rating, ${t}comment, ${t}created_at AS createdAt, ${t}updated_at AS updatedAt,
  ${t}sync_status AS syncStatus, ${t}synced_at AS syncedAt, ${t}remote_rating_id AS remoteRatingId`;
const RATING_COLUMNS = ratingColumns('');
const FAILED_COLUMNS = `f.id, f.rating_id AS ratingId, r.client_rating_id AS clientRatingId, r.skill_id AS skillId,
  f.error_kind AS errorKind, f.reason, f.retry_count AS retryCount, f.next_retry_at AS nextRetryAt,
  f.dead_letter AS deadLetter, f.created_at AS createdAt, f.updated_at AS updatedAt`;

/** The rating outbox (skill_rating) and its failure ledger (failed_rating_upload). */
export function createRatingRepository(db: Database) {
  // A user has one rating per skill; rating again replaces it with a new idempotency key, so the
  // new version is uploaded even if the previous one already was (the platform keeps the newest).
  const upsert = db.prepare(`
    INSERT INTO skill_rating (client_rating_id, skill_id, user_id, rating, comment, created_at, updated_at, sync_status)
    VALUES (@client_rating_id, @skill_id, @user_id, @rating, @comment, @now, @now, 'pending')
    ON CONFLICT(skill_id, user_id) DO UPDATE SET
      client_rating_id = excluded.client_rating_id, rating = excluded.rating, comment = excluded.comment,
      updated_at = max(excluded.updated_at, updated_at + 1), sync_status = 'pending', synced_at = NULL
    RETURNING ${RATING_COLUMNS}
  `);
  const byId = db.prepare<[number], LocalRating>(`SELECT ${RATING_COLUMNS} FROM skill_rating WHERE id = ?`);
  const pending = db.prepare<[number], LocalRating>(
    `SELECT ${RATING_COLUMNS} FROM skill_rating WHERE sync_status = 'pending' ORDER BY updated_at, id LIMIT ?`,
  );
  const due = db.prepare<[number, number], LocalRating>(`
    SELECT ${ratingColumns('r.')}
    FROM skill_rating r JOIN failed_rating_upload f ON f.rating_id = r.id
    WHERE r.sync_status = 'failed' AND f.dead_letter = 0 AND f.next_retry_at <= ?
    ORDER BY f.next_retry_at LIMIT ?
  `);
  // Only the version that was uploaded is marked: a re-rating made during the upload stays pending.
  const markSynced = db.prepare(`
    UPDATE skill_rating SET sync_status = 'synced', synced_at = @now, remote_rating_id = @remote_rating_id
    WHERE id = @id AND client_rating_id = @client_rating_id
  `);
  const clearFailure = db.prepare<[number]>('DELETE FROM failed_rating_upload WHERE rating_id = ?');
  const markStatus = db.prepare(`UPDATE skill_rating SET sync_status = @status WHERE id = @id AND client_rating_id = @client_rating_id`);
  const recordFailure = db.prepare(`
    INSERT INTO failed_rating_upload (rating_id, error_kind, reason, retry_count, next_retry_at, dead_letter, created_at, updated_at)
    VALUES (@rating_id, @error_kind, @reason, 1, @next_retry_at, @dead_letter, @now, @now)
    ON CONFLICT(rating_id) DO UPDATE SET error_kind = excluded.error_kind, reason = excluded.reason,
      retry_count = retry_count + 1, next_retry_at = excluded.next_retry_at, dead_letter = excluded.dead_letter,
      updated_at = excluded.updated_at
  `);
  const failedList = db.prepare<[number, number], FailedUpload>(
    `SELECT ${FAILED_COLUMNS} FROM failed_rating_upload f JOIN skill_rating r ON r.id = f.rating_id ORDER BY f.id LIMIT ? OFFSET ?`,
  );
  const failedOne = db.prepare<[number], FailedUpload>(
    `SELECT ${FAILED_COLUMNS} FROM failed_rating_upload f JOIN skill_rating r ON r.id = f.rating_id WHERE f.id = ?`,
  );
  const requeue = db.prepare<[number]>(`UPDATE skill_rating SET sync_status = 'pending' WHERE id = ? AND sync_status IN ('failed', 'dead')`);
  const requeueAll = db.prepare(`UPDATE skill_rating SET sync_status = 'pending' WHERE sync_status IN ('failed', 'dead')`);
  const retryCount = db.prepare<[number], { retry_count: number }>('SELECT retry_count FROM failed_rating_upload WHERE rating_id = ?');
  const counts = db.prepare<[], { sync_status: RatingStatus; n: number }>('SELECT sync_status, count(*) AS n FROM skill_rating GROUP BY sync_status');

  const fixBooleans = (f: FailedUpload): FailedUpload => ({ ...f, deadLetter: Boolean(f.deadLetter) });

  return {
    /** Writes a local rating to the outbox (status pending) and returns it. */
    rate(input: { skillId: string; userId: string; rating: number; comment?: string | null; clientRatingId: string }, now: number): LocalRating {
      const row = upsert.get({
        client_rating_id: input.clientRatingId, skill_id: input.skillId, user_id: input.userId,
        rating: input.rating, comment: input.comment ?? null, now,
      }) as LocalRating;
      return row;
    },
    get(id: number): LocalRating | undefined {
      return byId.get(id);
    },
    pending(limit: number): LocalRating[] {
      return pending.all(limit);
    },
    /** Failed uploads whose retry time has come. */
    dueForRetry(now: number, limit: number): LocalRating[] {
      return due.all(now, limit);
    },
    markSynced(rating: Pick<LocalRating, 'id' | 'clientRatingId'>, remoteRatingId: string | null, now: number): boolean {
      return db.transaction(() => {
        const changed = markSynced.run({ id: rating.id, client_rating_id: rating.clientRatingId, remote_rating_id: remoteRatingId, now }).changes > 0;
        if (changed) clearFailure.run(rating.id);
        return changed;
      }).immediate();
    },
    /** A failed upload: retried at `nextRetryAt`, or a dead letter when `nextRetryAt` is null. */
    markFailed(rating: Pick<LocalRating, 'id' | 'clientRatingId'>, failure: { kind: FailureKind; reason: string; nextRetryAt: number | null }, now: number): void {
      db.transaction(() => {
        const dead = failure.nextRetryAt === null;
        const changed = markStatus.run({ id: rating.id, client_rating_id: rating.clientRatingId, status: dead ? 'dead' : 'failed' }).changes;
        if (changed === 0) return; // re-rated meanwhile: the new version is pending and gets its own upload
        recordFailure.run({ rating_id: rating.id, error_kind: failure.kind, reason: failure.reason, next_retry_at: failure.nextRetryAt, dead_letter: dead ? 1 : 0, now });
      }).immediate();
    },
    failedUploads(limit: number, offset = 0): FailedUpload[] {
      return failedList.all(limit, offset).map(fixBooleans);
    },
    failedUpload(id: number): FailedUpload | undefined {
      const row = failedOne.get(id);
      return row ? fixBooleans(row) : undefined;
    },
    /** Operator retry: the rating goes back to pending; its failure row keeps the retry count. */
    requeue(ratingId: number): boolean {
      return requeue.run(ratingId).changes > 0;
    },
    /** `ratings.retry`: every failed upload and dead letter goes back to the outbox now. */
    requeueAllFailed(): number {
      return requeueAll.run().changes;
    },
    /** How many times this rating's upload has failed so far (0 when never). */
    retryCount(ratingId: number): number {
      return retryCount.get(ratingId)?.retry_count ?? 0;
    },
    statusCounts(): Record<RatingStatus, number> {
      const out: Record<RatingStatus, number> = { pending: 0, synced: 0, failed: 0, dead: 0 };
      for (const row of counts.all()) out[row.sync_status] = row.n;
      return out;
    },
  };
}

export type RatingRepository = ReturnType<typeof createRatingRepository>;
