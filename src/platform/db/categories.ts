import type { Db } from './open.ts';
import type { Changes, Emit } from './seq.ts';
import { categoryFromRow, nextTimestamp, type Category, type CategoryRow } from './rows.ts';

export interface CategoryInput {
  name: string;
  description?: string;
  icon_url?: string | null;
}

export type CategoryPatch = Omit<CategoryInput, 'name'>;

export type CategoryResult = { kind: 'ok'; category: Category } | { kind: 'notFound' } | { kind: 'conflict' };

const SELECT = 'SELECT name, description, icon_url, skill_count, created_at, updated_at FROM categories';

export interface CategoryRepo {
  list(): Category[];
  get(name: string): Category | undefined;
  exists(name: string): boolean;
  create(input: CategoryInput): CategoryResult;
  update(name: string, patch: CategoryPatch): CategoryResult;
  /**
   * Recounts a category's skills and emits category_update; called inside a mutation that may have
   * moved a skill in or out. A recount (one index range) cannot drift the way an increment can.
   */
  emitCount(emit: Emit, name: string): void;
}

export function createCategoryRepo(db: Db, changes: Changes, now: () => number): CategoryRepo {
  const list = db.prepare<[], CategoryRow>(`${SELECT} ORDER BY name`);
  const get = db.prepare<[string], CategoryRow>(`${SELECT} WHERE name = ?`);
  const exists = db.prepare<[string], number>('SELECT 1 FROM categories WHERE name = ?').pluck();
  const insert = db.prepare(
    'INSERT INTO categories (name, description, icon_url, created_at, updated_at) VALUES (?, ?, ?, ?, ?)',
  );
  const update = db.prepare('UPDATE categories SET description = ?, icon_url = ?, updated_at = ? WHERE name = ?');
  const recount = db.prepare(
    'UPDATE categories SET skill_count = (SELECT count(*) FROM skills WHERE category = @name), updated_at = @t WHERE name = @name',
  );

  const read = (name: string): Category | undefined => {
    const row = get.get(name);
    return row ? categoryFromRow(row) : undefined;
  };
  const emitCategory = (emit: Emit, category: Category): void => {
    emit('category_update', { ...category }, category.updated_at);
  };

  return {
    list: () => list.all().map(categoryFromRow),
    get: read,
    exists: (name) => exists.get(name) !== undefined,
    create: (input) =>
      changes.mutate((emit) => {
        if (exists.get(input.name) !== undefined) return { kind: 'conflict' } as const;
        const t = now();
        insert.run(input.name, input.description ?? '', input.icon_url ?? null, t, t);
        const category = read(input.name) as Category;
        emitCategory(emit, category);
        return { kind: 'ok', category } as const;
      }),
    update: (name, patch) =>
      changes.mutate((emit) => {
        const row = get.get(name);
        if (!row) return { kind: 'notFound' } as const;
        const description = patch.description ?? row.description;
        const iconUrl = patch.icon_url === undefined ? row.icon_url : patch.icon_url;
        update.run(description, iconUrl, nextTimestamp(now(), row.updated_at), name);
        const category = read(name) as Category;
        emitCategory(emit, category);
        return { kind: 'ok', category } as const;
      }),
    emitCount(emit, name) {
      const row = get.get(name);
      if (!row) return;
      // The count is part of the category's representation: bump its updated_at with it.
      recount.run({ name, t: nextTimestamp(now(), row.updated_at) });
      emitCategory(emit, read(name) as Category);
    },
  };
}

