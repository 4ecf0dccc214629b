import type { ListParams, ListResult } from '../db/skill-list.ts';
import { iso, skillFromRow, SKILL_COLUMNS, type SkillRow } from '../db/rows.ts';
import type { Queryable } from './query.ts';
import { toTsQuery } from './search.ts';

/**
 * GET /skills on PostgreSQL: the same stream as db/list-plan.ts, skills (and optionally
 * tombstones) in (updated_at, skill_id) order, keyset or offset paged, with the same filters.
 * Any replica can continue another's cursor: the position is in the cursor, not in the replica.
 */
export function createPgSkillLister(db: Queryable): (params: ListParams) => Promise<ListResult> {
  return async (params) => {
    const fts = toTsQuery(params.query);
    const noMatch = fts === null;
    if (noMatch && !params.includeDeleted) return { items: [], total: 0 };
    const values: unknown[] = [];
    const bind = (v: unknown): string => {
      values.push(v);
      return `$${values.length}`;
    };
    const skillWhere: string[] = [];
    const tombWhere: string[] = [];
    if (noMatch) skillWhere.push('false');
    if (typeof fts === 'string') skillWhere.push(`s.search @@ ${bind(fts)}::tsquery`);
    if (params.category !== undefined) {
      const c = bind(params.category);
      skillWhere.push(`s.category = ${c}`);
      tombWhere.push(`t.category = ${c}`);
    }
    if (params.updatedSince !== undefined) {
      const since = bind(params.updatedSince);
      skillWhere.push(`s.updated_at >= ${since}`);
      tombWhere.push(`t.deleted_at >= ${since}`);
    }
    const countValues = [...values];
    const skillCount = `SELECT count(*) FROM skills s${where(skillWhere)}`;
    const tombCount = `SELECT count(*) FROM tombstones t${where(tombWhere)}`;
    const countSql = params.includeDeleted ? `SELECT (${skillCount}) + (${tombCount}) AS n` : `${skillCount.replace('count(*)', 'count(*) AS n')}`;
    if (params.after) {
      const u = bind(params.after.u);
      const id = bind(params.after.id);
      skillWhere.push(`(s.updated_at, s.skill_id) > (${u}, ${id})`);
      tombWhere.push(`(t.deleted_at, t.skill_id) > (${u}, ${id})`);
    }
    const limit = bind(params.pageSize + 1);
    const offset = bind(params.after ? 0 : (params.page - 1) * params.pageSize);
    const pageSql = params.includeDeleted
      ? `SELECT deleted, u, k, ${SKILL_COLUMNS} FROM (
           SELECT 0 AS deleted, s.updated_at AS u, s.skill_id AS k, s.id AS ref FROM skills s${where(skillWhere)}
           UNION ALL
           SELECT 1, t.deleted_at, t.skill_id, NULL FROM tombstones t${where(tombWhere)}
           ORDER BY u, k LIMIT ${limit} OFFSET ${offset}) page
         LEFT JOIN skills ON skills.id = page.ref ORDER BY u, k`
      : `SELECT 0 AS deleted, s.updated_at AS u, s.skill_id AS k, ${prefixed(SKILL_COLUMNS)} FROM skills s${where(skillWhere)}
         ORDER BY s.updated_at, s.skill_id LIMIT ${limit} OFFSET ${offset}`;
    const [page, total] = await Promise.all([
      db.query(pageSql, values) as Promise<{ rows: Array<SkillRow & { deleted: number; u: number; k: string }> }>,
      db.query(countSql, countValues) as Promise<{ rows: Array<{ n: number }> }>,
    ]);
    const rows = page.rows;
    const hasMore = rows.length > params.pageSize;
    const kept = hasMore ? rows.slice(0, params.pageSize) : rows;
    const last = kept.at(-1);
    return {
      items: kept.map((row) => row.deleted === 1
        ? { kind: 'deleted' as const, json: JSON.stringify({ skill_id: row.k, deleted_at: iso(row.u) }) }
        : { kind: 'skill' as const, json: JSON.stringify(skillFromRow(row)) }),
      total: Number(total.rows[0]?.n ?? 0),
      ...(hasMore && last ? { next: { u: last.u, id: last.k } } : {}),
    };
  };
}

function where(conditions: string[]): string {
  return conditions.length === 0 ? '' : ` WHERE ${conditions.join(' AND ')}`;
}

function prefixed(columns: string): string {
  return columns.split(',').map((c) => `s.${c.trim()}`).join(', ');
}
