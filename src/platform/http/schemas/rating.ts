import { Type } from 'typebox';
import { IsoTime, Uuid } from './common.ts';
import { RatingSchema } from './skill.ts';

/** POST /api/v1/ratings: spec 000 "Field Validation" plus the sync extensions. */
export const RatingBody = Type.Object({
  skill_id: Uuid,
  rating: Type.Integer({ minimum: 1, maximum: 5 }),
  comment: Type.Optional(Type.Union([Type.String({ maxLength: 1000 }), Type.Null()])),
  user_id: Type.String({ minLength: 1, maxLength: 256 }),
  /** When the user made this rating; a second rating by the same user replaces the first only if newer. */
  updated_at: Type.Optional(IsoTime),
  /** Idempotency key: a retry with the same key gets the first answer and is counted once. */
  client_rating_id: Type.Optional(Type.String({ minLength: 1, maxLength: 128 })),
});

export const RatingResponse = Type.Object({
  success: Type.Boolean(),
  rating_id: Type.String(),
  skill_id: Type.String(),
  rating: Type.Integer(),
  average_rating: Type.Number(),
  rating_count: Type.Integer(),
  created_at: Type.String(),
  updated_at: Type.String(),
});

/** 409: the rating the platform keeps, so the client can decide (newest wins). */
export const RatingConflict = Type.Object({
  error: Type.String(),
  message: Type.String(),
  current: RatingSchema,
});
