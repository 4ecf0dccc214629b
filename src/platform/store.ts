import { openPlatformDb, type Db } from './db/open.ts';
import { createChanges, NO_BROADCAST, type Broadcaster, type Changes } from './db/seq.ts';
import { createCategoryRepo, type CategoryRepo } from './db/categories.ts';
import { createSkillRepo, type SkillRepo } from './db/skills.ts';
import { createSkillLister, type ListParams, type ListResult } from './db/skill-list.ts';
import { createRatingRepo, type RatingRepo } from './db/ratings.ts';
import { createTokenRepo, type TokenRepo } from './db/tokens.ts';

export interface PlatformStore {
  db: Db;
  changes: Changes;
  categories: CategoryRepo;
  skills: SkillRepo;
  ratings: RatingRepo;
  tokens: TokenRepo;
  listSkills(params: ListParams): ListResult;
  /** Where committed changes are pushed; replaced when the push hub is attached. */
  setBroadcaster(broadcaster: Broadcaster): void;
  /** True when the database answers a trivial query. */
  healthy(): boolean;
  close(): void;
}

export interface StoreOptions {
  /** SQLite file (created if missing), or an already open database. */
  db: string | Db;
  now?: () => number;
  broadcaster?: Broadcaster;
  onBroadcastError?: (err: unknown) => void;
}

/** The platform's data side: one database, its repositories, and the seq that orders every change. */
export function openPlatformStore(options: StoreOptions): PlatformStore {
  const db = typeof options.db === 'string' ? openPlatformDb(options.db) : options.db;
  const now = options.now ?? Date.now;
  let broadcaster = options.broadcaster ?? NO_BROADCAST;
  const changes = createChanges(db, () => broadcaster, options.onBroadcastError ?? (() => undefined));
  const categories = createCategoryRepo(db, changes, now);
  const ping = db.prepare('SELECT 1');
  return {
    db,
    changes,
    categories,
    skills: createSkillRepo(db, changes, categories, now),
    ratings: createRatingRepo(db, changes, now),
    tokens: createTokenRepo(db, now),
    listSkills: createSkillLister(db, { version: changes.current }),
    setBroadcaster(next) {
      broadcaster = next;
    },
    healthy() {
      try {
        return db.open && ping.get() !== undefined;
      } catch {
        return false;
      }
    },
    close() {
      if (db.open) db.close();
    },
  };
}
