// The platform's data side as the HTTP routes and the push hub see it: one interface that the
// embedded SQLite store (synchronous, better-sqlite3) and the PostgreSQL store (asynchronous, pg)
// both implement. Every method may answer with a value or a promise; callers always await.

import type { Category } from './db/rows.ts';
import type { CategoryInput, CategoryPatch, CategoryResult } from './db/categories.ts';
import type { DeleteResult, SkillInput, SkillPatch, SkillResult } from './db/skills.ts';
import type { Skill } from './db/rows.ts';
import type { RatingInput, RatingOutcome, StoredRating } from './db/ratings.ts';
import type { IssuedToken, RevokedToken } from './db/tokens.ts';
import type { ListParams, ListResult } from './db/skill-list.ts';
import type { Broadcaster } from './db/seq.ts';

export type Awaitable<T> = T | Promise<T>;

export interface PlatformData {
  changes: {
    /** The last committed seq (the high-water mark a query ran at). */
    current(): Awaitable<number>;
    /** Identifies the database (not the replica): part of every ETag, so any replica can answer one. */
    dbId(): string;
  };
  categories: {
    list(): Awaitable<Category[]>;
    create(input: CategoryInput): Awaitable<CategoryResult>;
    update(name: string, patch: CategoryPatch): Awaitable<CategoryResult>;
  };
  skills: {
    get(skillId: string): Awaitable<Skill | undefined>;
    create(input: SkillInput): Awaitable<SkillResult>;
    update(skillId: string, patch: SkillPatch): Awaitable<SkillResult>;
    remove(skillId: string): Awaitable<DeleteResult>;
    /** Which of these ids the platform has (the batched look-up of reconciliation). */
    existing(skillIds: readonly string[]): Awaitable<string[]>;
  };
  ratings: {
    submit(input: RatingInput): Awaitable<RatingOutcome>;
    recent(skillId: string): Awaitable<StoredRating[]>;
  };
  tokens: {
    lookup(token: string): Awaitable<{ instanceId: string } | undefined>;
    issue(instanceId: string, description: string): Awaitable<IssuedToken>;
    register(token: string, instanceId: string, description: string): Awaitable<void>;
    revoke(token: string): Awaitable<RevokedToken | undefined>;
  };
  listSkills(params: ListParams): Awaitable<ListResult>;
  /** Where committed changes go, in seq order; replaced when the push hub is attached. */
  setBroadcaster(broadcaster: Broadcaster): void;
  healthy(): Awaitable<boolean>;
  close(): Awaitable<void>;
}
