import { createHash, randomUUID } from 'node:crypto';
import type { Db } from './open.ts';
import type { Changes } from './seq.ts';
import { averageRating, iso, nextTimestamp } from './rows.ts';

export interface RatingInput {
  skill_id: string;
  user_id: string;
  rating: number;
  comment?: string;
  /** The client's edit time (epoch ms): a second rating by the same user wins only if newer. */
  updated_at?: number;
  /** Idempotency key: a retried upload gets the first answer and is counted once. */
  client_rating_id?: string;
}

export interface RatingResponse {
  success: true;
  rating_id: string;
  skill_id: string;
  rating: number;
  average_rating: number;
  rating_count: number;
  created_at: string;
  updated_at: string;
}

export interface StoredRating {
  user_id: string;
  rating: number;
  comment: string | null;
  created_at: string;
  updated_at: string;
}

export type RatingOutcome =
  | { kind: 'ok'; status: 200 | 201; response: RatingResponse }
  | { kind: 'notFound' }
  | { kind: 'conflict'; current: StoredRating }
  | { kind: 'keyReused' };

/** A rating as both stores keep it (times in epoch ms). */
export interface RatingRow {
  rating_id: string;
  user_id: string;
  rating: number;
  comment: string | null;
  created_at: number;
  updated_at: number;
}

/** The newest ratings of one skill shown by GET /skills/{id}; the aggregate covers all of them. */
export const RATINGS_SHOWN = 100;

export interface RatingRepo {
  submit(input: RatingInput): RatingOutcome;
  recent(skillId: string): StoredRating[];
}

export function createRatingRepo(db: Db, changes: Changes, now: () => number): RatingRepo {
  const receipt = db.prepare<[string], { fingerprint: string; status: number; response: string }>(
    'SELECT fingerprint, status, response FROM rating_receipts WHERE client_rating_id = ?',
  );
  const putReceipt = db.prepare(
    'INSERT INTO rating_receipts (client_rating_id, fingerprint, status, response, created_at) VALUES (?, ?, ?, ?, ?)',
  );
  const skill = db.prepare<[string], { id: number; rating_sum: number; rating_count: number; updated_at: number }>(
    'SELECT id, rating_sum, rating_count, updated_at FROM skills WHERE skill_id = ?',
  );
  const existing = db.prepare<[number, string], RatingRow>(
    'SELECT rating_id, user_id, rating, comment, created_at, updated_at FROM ratings WHERE skill_ref = ? AND user_id = ?',
  );
  const insert = db.prepare(
    `INSERT INTO ratings (rating_id, skill_ref, user_id, rating, comment, client_rating_id, created_at, updated_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const replace = db.prepare(
    'UPDATE ratings SET rating = ?, comment = ?, client_rating_id = ?, updated_at = ? WHERE rating_id = ?',
  );
  const aggregate = db.prepare(
    'UPDATE skills SET rating_sum = ?, rating_count = ?, average_rating = ?, updated_at = ? WHERE id = ?',
  );
  const recent = db.prepare<[string, number], RatingRow>(
    `SELECT r.rating_id, r.user_id, r.rating, r.comment, r.created_at, r.updated_at
     FROM ratings r JOIN skills s ON s.id = r.skill_ref
     WHERE s.skill_id = ? ORDER BY r.updated_at DESC, r.rating_id LIMIT ?`,
  );

  const submit = (input: RatingInput): RatingOutcome =>
    changes.mutate((emit) => {
      const fingerprint = fingerprintOf(input);
      if (input.client_rating_id !== undefined) {
        const seen = receipt.get(input.client_rating_id);
        if (seen) {
          if (seen.fingerprint !== fingerprint) return { kind: 'keyReused' } as const;
          return { kind: 'ok', status: seen.status as 200 | 201, response: JSON.parse(seen.response) as RatingResponse };
        }
      }
      const target = skill.get(input.skill_id);
      if (!target) return { kind: 'notFound' } as const;
      const t = now();
      const previous = existing.get(target.id, input.user_id);
      let ratingId: string;
      let createdAt: number;
      const updatedAt = input.updated_at ?? t;
      if (previous) {
        // Newest wins: a second rating replaces the first only when the client says it is newer.
        if (input.updated_at === undefined || input.updated_at <= previous.updated_at) {
          return { kind: 'conflict', current: toStored(previous) } as const;
        }
        replace.run(input.rating, input.comment ?? null, input.client_rating_id ?? null, updatedAt, previous.rating_id);
        ratingId = previous.rating_id;
        createdAt = previous.created_at;
      } else {
        ratingId = randomUUID();
        createdAt = t;
        insert.run(ratingId, target.id, input.user_id, input.rating, input.comment ?? null,
          input.client_rating_id ?? null, createdAt, updatedAt);
      }
      const sumDelta = input.rating - (previous?.rating ?? 0);
      const countDelta = previous ? 0 : 1;
      // The aggregates are part of the skill's representation, so its updated_at moves with them
      // and an updated_since catch-up brings them back after a missed rating_update.
      const skillUpdatedAt = nextTimestamp(t, target.updated_at);
      const sum = target.rating_sum + sumDelta;
      const count = target.rating_count + countDelta;
      const average = averageRating(sum, count);
      aggregate.run(sum, count, average, skillUpdatedAt, target.id);
      const response: RatingResponse = {
        success: true,
        rating_id: ratingId,
        skill_id: input.skill_id,
        rating: input.rating,
        average_rating: average,
        rating_count: count,
        created_at: iso(createdAt),
        updated_at: iso(updatedAt),
      };
      const status = previous ? 200 : 201;
      if (input.client_rating_id !== undefined) {
        putReceipt.run(input.client_rating_id, fingerprint, status, JSON.stringify(response), t);
      }
      const stamp = iso(skillUpdatedAt);
      emit('rating_update', {
        skill_id: input.skill_id, rating: input.rating, average_rating: average, rating_count: count, updated_at: stamp,
      }, stamp);
      return { kind: 'ok', status, response } as const;
    });

  return {
    submit,
    recent: (skillId) => recent.all(skillId, RATINGS_SHOWN).map(toStored),
  };
}

function toStored(row: RatingRow): StoredRating {
  return {
    user_id: row.user_id,
    rating: row.rating,
    comment: row.comment,
    created_at: iso(row.created_at),
    updated_at: iso(row.updated_at),
  };
}

/** Identifies what a client_rating_id was first used for, so a reused key with new content is caught. */
function fingerprintOf(input: RatingInput): string {
  const parts = [input.skill_id, input.user_id, input.rating, input.comment ?? null, input.updated_at ?? null];
  return createHash('sha256').update(JSON.stringify(parts)).digest('hex');
}
