import type { CachedSkill, Store } from './index.ts';
import { readableJson } from './stored-json.ts';

// Search over the skill cache for the local marketplace API: a LIKE over the effective skill's
// name, description and tags (the local edit when there is one, else the remote version). FTS5
// would rank better but needs a new migration; at the cache's size (one instance's catalog) a scan
// is fine.

export interface SkillSearch {
  query?: string;
  category?: string;
  page: number;
  pageSize: number;
}

// The local edit when SQLite can read it, else the remote version: one unreadable row (nested past
// SQLite's JSON limit by an older agent) then matches on what is left, and never fails the query.
const EFFECTIVE = `coalesce(${readableJson('local_data')}, ${readableJson('skill_data')})`;
const WHERE = `
  WHERE (@query IS NULL
         OR json_extract(${EFFECTIVE}, '$.name') LIKE @query ESCAPE '\\'
         OR json_extract(${EFFECTIVE}, '$.description') LIKE @query ESCAPE '\\'
         OR json_extract(${EFFECTIVE}, '$.tags') LIKE @query ESCAPE '\\')
    AND (@category IS NULL OR json_extract(${EFFECTIVE}, '$.category') = @category)`;

interface Statements {
  ids(params: Record<string, unknown>): string[];
  count(params: Record<string, unknown>): number;
}
const prepared = new WeakMap<Store, Statements>();

function statements(store: Store): Statements {
  let s = prepared.get(store);
  if (!s) {
    const ids = store.db.prepare(`SELECT skill_id FROM skill_cache ${WHERE}
      ORDER BY json_extract(${EFFECTIVE}, '$.name') COLLATE NOCASE, skill_id LIMIT @limit OFFSET @offset`).pluck();
    const count = store.db.prepare(`SELECT count(*) FROM skill_cache ${WHERE}`).pluck();
    s = { ids: (p) => ids.all(p) as string[], count: (p) => count.get(p) as number };
    prepared.set(store, s);
  }
  return s;
}

/** `%` and `_` in the user's text are literal characters, not wildcards. */
const likePattern = (text: string) => `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

/** One page of matching skills, ordered by name, plus the total match count. */
export function searchSkills(store: Store, search: SkillSearch): { items: CachedSkill[]; total: number } {
  const query = search.query?.trim() ? likePattern(search.query.trim()) : null;
  const params = { query, category: search.category ?? null };
  const s = statements(store);
  const ids = s.ids({ ...params, limit: search.pageSize, offset: (search.page - 1) * search.pageSize });
  return { items: ids.map((id) => store.skills.get(id)).filter((c): c is CachedSkill => c !== undefined), total: s.count(params) };
}
