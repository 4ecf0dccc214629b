import type { Database } from 'better-sqlite3';
import type { RemoteCategory } from '../contract/wire-types.ts';
import { CACHE_TTL_MS } from './time.ts';

interface CategoryRow {
  category_name: string;
  category_data: string;
  updated_at: number;
  synced_at: number;
  expires_at: number;
}

export interface CachedCategory {
  name: string;
  remote: RemoteCategory;
  updatedAt: number;
  syncedAt: number;
  expiresAt: number;
}

export function createCategoryRepository(db: Database) {
  // Same no-regression rule as skills: data moves only forward in updated_at.
  const upsert = db.prepare(`
    INSERT INTO category_cache (category_name, description, skill_count, icon_url, category_data, updated_at, synced_at, expires_at)
    VALUES (@category_name, @description, @skill_count, @icon_url, @category_data, @updated_at, @synced_at, @expires_at)
    ON CONFLICT(category_name) DO UPDATE SET
      description   = iif(excluded.updated_at > updated_at, excluded.description, description),
      skill_count   = iif(excluded.updated_at > updated_at, excluded.skill_count, skill_count),
      icon_url      = iif(excluded.updated_at > updated_at, excluded.icon_url, icon_url),
      category_data = iif(excluded.updated_at > updated_at, excluded.category_data, category_data),
      updated_at    = max(excluded.updated_at, updated_at),
      synced_at     = max(excluded.synced_at, synced_at),
      expires_at    = max(excluded.expires_at, expires_at)
  `);
  const selectAll = db.prepare<[], CategoryRow>('SELECT * FROM category_cache ORDER BY category_name');
  const selectOne = db.prepare<[string], CategoryRow>('SELECT * FROM category_cache WHERE category_name = ?');
  const count = db.prepare<[], { n: number }>('SELECT count(*) AS n FROM category_cache');

  return {
    /**
     * GET /api/v1/categories carries no updated_at: such a category is versioned by the time it
     * was fetched, so a WebSocket update stamped earlier than the fetch cannot roll it back.
     */
    upsert(category: RemoteCategory, now: number): void {
      const stamped = category.updated_at ? Date.parse(category.updated_at) : Number.NaN;
      upsert.run({
        category_name: category.name,
        description: category.description ?? '',
        skill_count: category.skill_count ?? 0,
        icon_url: category.icon_url ?? null,
        category_data: JSON.stringify(category),
        updated_at: Number.isFinite(stamped) ? stamped : now,
        synced_at: now,
        expires_at: now + CACHE_TTL_MS,
      });
    },
    list(): CachedCategory[] {
      return selectAll.all().map(toCachedCategory);
    },
    get(name: string): CachedCategory | undefined {
      const row = selectOne.get(name);
      return row ? toCachedCategory(row) : undefined;
    },
    count(): number {
      return count.get()?.n ?? 0;
    },
  };
}

export type CategoryRepository = ReturnType<typeof createCategoryRepository>;

function toCachedCategory(row: CategoryRow): CachedCategory {
  return {
    name: row.category_name,
    remote: JSON.parse(row.category_data) as RemoteCategory,
    updatedAt: row.updated_at,
    syncedAt: row.synced_at,
    expiresAt: row.expires_at,
  };
}
