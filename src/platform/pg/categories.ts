import type { CategoryInput, CategoryPatch, CategoryResult } from '../db/categories.ts';
import { categoryFromRow, nextTimestamp, type Category, type CategoryRow } from '../db/rows.ts';
import type { PgChanges, PgEmit, Tx } from './changes.ts';
import type { Queryable } from './query.ts';
import { first } from './query.ts';

const SELECT = 'SELECT name, description, icon_url, skill_count, created_at, updated_at FROM categories';

export interface PgCategoryRepo {
  list(): Promise<Category[]>;
  create(input: CategoryInput): Promise<CategoryResult>;
  update(name: string, patch: CategoryPatch): Promise<CategoryResult>;
  exists(tx: Tx, name: string): Promise<boolean>;
  /** Recounts a category's skills and emits category_update, inside the caller's mutation. */
  emitCount(tx: Tx, emit: PgEmit, name: string): Promise<void>;
}

export function createPgCategoryRepo(db: Queryable, changes: PgChanges, now: () => number): PgCategoryRepo {
  const read = async (q: Queryable, name: string): Promise<Category | undefined> => {
    const row = await first<CategoryRow>(q, `${SELECT} WHERE name = $1`, [name]);
    return row ? categoryFromRow(row) : undefined;
  };
  const emitCategory = (emit: PgEmit, category: Category) => emit('category_update', { ...category }, category.updated_at);
  return {
    list: async () => (await db.query<CategoryRow>(`${SELECT} ORDER BY name`)).rows.map(categoryFromRow),
    exists: async (tx, name) => (await first(tx, 'SELECT 1 FROM categories WHERE name = $1', [name])) !== undefined,
    create: (input) => changes.mutate(async (tx, emit) => {
      if (await first(tx, 'SELECT 1 FROM categories WHERE name = $1', [input.name])) return { kind: 'conflict' } as const;
      const t = now();
      await tx.query('INSERT INTO categories (name, description, icon_url, created_at, updated_at) VALUES ($1, $2, $3, $4, $4)',
        [input.name, input.description ?? '', input.icon_url ?? null, t]);
      const category = (await read(tx, input.name)) as Category;
      await emitCategory(emit, category);
      return { kind: 'ok', category } as const;
    }),
    update: (name, patch) => changes.mutate(async (tx, emit) => {
      const row = await first<CategoryRow>(tx, `${SELECT} WHERE name = $1`, [name]);
      if (!row) return { kind: 'notFound' } as const;
      const description = patch.description ?? row.description;
      const iconUrl = patch.icon_url === undefined ? row.icon_url : patch.icon_url;
      await tx.query('UPDATE categories SET description = $1, icon_url = $2, updated_at = $3 WHERE name = $4',
        [description, iconUrl, nextTimestamp(now(), row.updated_at), name]);
      const category = (await read(tx, name)) as Category;
      await emitCategory(emit, category);
      return { kind: 'ok', category } as const;
    }),
    async emitCount(tx, emit, name) {
      const row = await first<CategoryRow>(tx, `${SELECT} WHERE name = $1`, [name]);
      if (!row) return;
      await tx.query('UPDATE categories SET skill_count = (SELECT count(*) FROM skills WHERE category = $1), updated_at = $2 WHERE name = $1',
        [name, nextTimestamp(now(), row.updated_at)]);
      await emitCategory(emit, (await read(tx, name)) as Category);
    },
  };
}
