import { createHash, randomUUID } from 'node:crypto';
import { RATINGS_SHOWN, type RatingInput, type RatingOutcome, type RatingResponse, type RatingRow, type StoredRating } from '../db/ratings.ts';
import { averageRating, iso, nextTimestamp } from '../db/rows.ts';
import type { PgChanges } from './changes.ts';
import { first, type Queryable } from './query.ts';

export interface PgRatingRepo {
  submit(input: RatingInput): Promise<RatingOutcome>;
  recent(skillId: string): Promise<StoredRating[]>;
}

/** The same rules as db/ratings.ts (newest wins, idempotent client_rating_id), on PostgreSQL. */
export function createPgRatingRepo(db: Queryable, changes: PgChanges, now: () => number): PgRatingRepo {
  const submit = (input: RatingInput): Promise<RatingOutcome> => changes.mutate(async (tx, emit) => {
    const fingerprint = fingerprintOf(input);
    if (input.client_rating_id !== undefined) {
      const seen = await first<{ fingerprint: string; status: number; response: string }>(tx,
        'SELECT fingerprint, status, response FROM rating_receipts WHERE client_rating_id = $1', [input.client_rating_id]);
      if (seen) {
        if (seen.fingerprint !== fingerprint) return { kind: 'keyReused' } as const;
        return { kind: 'ok', status: seen.status as 200 | 201, response: JSON.parse(seen.response) as RatingResponse };
      }
    }
    const target = await first<{ id: number; rating_sum: number; rating_count: number; updated_at: number }>(tx,
      'SELECT id, rating_sum, rating_count, updated_at FROM skills WHERE skill_id = $1 FOR UPDATE', [input.skill_id]);
    if (!target) return { kind: 'notFound' } as const;
    const t = now();
    const previous = await first<RatingRow>(tx,
      'SELECT rating_id, user_id, rating, comment, created_at, updated_at FROM ratings WHERE skill_ref = $1 AND user_id = $2',
      [target.id, input.user_id]);
    let ratingId: string;
    let createdAt: number;
    const updatedAt = input.updated_at ?? t;
    if (previous) {
      if (input.updated_at === undefined || input.updated_at <= previous.updated_at) {
        return { kind: 'conflict', current: toStored(previous) } as const;
      }
      await tx.query('UPDATE ratings SET rating = $1, comment = $2, client_rating_id = $3, updated_at = $4 WHERE rating_id = $5',
        [input.rating, input.comment ?? null, input.client_rating_id ?? null, updatedAt, previous.rating_id]);
      ratingId = previous.rating_id;
      createdAt = previous.created_at;
    } else {
      ratingId = randomUUID();
      createdAt = t;
      await tx.query(`INSERT INTO ratings (rating_id, skill_ref, user_id, rating, comment, client_rating_id, created_at, updated_at)
        VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
      [ratingId, target.id, input.user_id, input.rating, input.comment ?? null, input.client_rating_id ?? null, createdAt, updatedAt]);
    }
    const skillUpdatedAt = nextTimestamp(t, target.updated_at);
    const sum = target.rating_sum + input.rating - (previous?.rating ?? 0);
    const count = target.rating_count + (previous ? 0 : 1);
    const average = averageRating(sum, count);
    await tx.query('UPDATE skills SET rating_sum = $1, rating_count = $2, average_rating = $3, updated_at = $4 WHERE id = $5',
      [sum, count, average, skillUpdatedAt, target.id]);
    const response: RatingResponse = {
      success: true, rating_id: ratingId, skill_id: input.skill_id, rating: input.rating, average_rating: average,
      rating_count: count, created_at: iso(createdAt), updated_at: iso(updatedAt),
    };
    const status = previous ? 200 : 201;
    if (input.client_rating_id !== undefined) {
      await tx.query('INSERT INTO rating_receipts (client_rating_id, fingerprint, status, response, created_at) VALUES ($1, $2, $3, $4, $5)',
        [input.client_rating_id, fingerprint, status, JSON.stringify(response), t]);
    }
    const stamp = iso(skillUpdatedAt);
    await emit('rating_update', {
      skill_id: input.skill_id, rating: input.rating, average_rating: average, rating_count: count, updated_at: stamp,
    }, stamp);
    return { kind: 'ok', status, response } as const;
  });

  return {
    submit,
    async recent(skillId) {
      const { rows } = await (db as Queryable & { query: (s: string, p: unknown[]) => Promise<{ rows: RatingRow[] }> }).query(
        `SELECT r.rating_id, r.user_id, r.rating, r.comment, r.created_at, r.updated_at
         FROM ratings r JOIN skills s ON s.id = r.skill_ref
         WHERE s.skill_id = $1 ORDER BY r.updated_at DESC, r.rating_id COLLATE "C" LIMIT $2`, [skillId, RATINGS_SHOWN]);
      return rows.map(toStored);
    },
  };
}

function toStored(row: RatingRow): StoredRating {
  return { user_id: row.user_id, rating: row.rating, comment: row.comment, created_at: iso(row.created_at), updated_at: iso(row.updated_at) };
}

/** The same fingerprint as the SQLite store: a receipt means the same thing on either. */
function fingerprintOf(input: RatingInput): string {
  const parts = [input.skill_id, input.user_id, input.rating, input.comment ?? null, input.updated_at ?? null];
  return createHash('sha256').update(JSON.stringify(parts)).digest('hex');
}
