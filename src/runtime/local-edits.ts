import { randomUUID } from 'node:crypto';
import type { RemoteSkill } from '../contract/wire-types.ts';
import type { CachedSkill, LocalRating, Store } from '../store/index.ts';

/** A refusal of a local action, with the field it is about: the HTTP shell maps it to 400 or 404. */
export class LocalInputError extends Error {
  readonly kind: 'invalid' | 'notFound';
  readonly field: string | undefined;

  constructor(kind: 'invalid' | 'notFound', message: string, field?: string) {
    super(message);
    this.kind = kind;
    this.field = field;
    this.name = 'LocalInputError';
  }
}

export interface RatingInput {
  skillId: string;
  userId: string;
  rating: number;
  comment?: string | null;
}

/** `rateSkill`: a local rating goes to the outbox (pending) with a fresh idempotency key. */
export function rateSkill(store: Store, input: RatingInput, now: number): LocalRating {
  if (!Number.isInteger(input.rating) || input.rating < 1 || input.rating > 5) throw new LocalInputError('invalid', 'rating must be an integer from 1 to 5', 'rating');
  if (typeof input.userId !== 'string' || input.userId.trim() === '' || input.userId.length > 256) throw new LocalInputError('invalid', 'user_id is required (at most 256 characters)', 'user_id');
  if (input.comment != null && (typeof input.comment !== 'string' || input.comment.length > 1000)) throw new LocalInputError('invalid', 'comment must be at most 1000 characters', 'comment');
  if (!store.skills.get(input.skillId)) throw new LocalInputError('notFound', `skill ${input.skillId} is not in the local marketplace`, 'skill_id');
  return store.ratings.rate({ ...input, clientRatingId: randomUUID() }, now);
}

/** The fields of a skill a local user may edit. */
export type SkillPatch = Partial<Pick<RemoteSkill, 'name' | 'description' | 'code' | 'tags' | 'metadata' | 'command' | 'python_packages' | 'npm_packages'>>;

/**
 * `editSkill`: records a local edit on top of the current local version (or the remote one), keeping
 * the remote version it started from as the base for conflict detection.
 */
export function editSkill(store: Store, skillId: string, patch: SkillPatch, now: number): CachedSkill {
  return store.transaction(() => {
    const cached = store.skills.get(skillId);
    if (!cached) throw new LocalInputError('notFound', `skill ${skillId} is not in the local marketplace`, 'skill_id');
    const current = cached.local ?? cached.remote;
    store.skills.markEdited(skillId, { ...current, ...patch, updated_at: new Date(now).toISOString() }, now);
    return store.skills.get(skillId)!;
  });
}
