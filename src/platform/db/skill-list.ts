import type { Db } from './open.ts';
import { createListPlanner, type ListParams, type ListRow, type PlannerOptions } from './list-plan.ts';

export type { ListParams } from './list-plan.ts';

/** A skill or a tombstone as ready-made JSON text (see skillJsonSql). */
export interface ListItem {
  kind: 'skill' | 'deleted';
  json: string;
}

export interface ListResult {
  items: ListItem[];
  total: number;
  /** Keyset position of the last item, when more items follow it. */
  next?: { u: number; id: string };
}

/**
 * Skills (and optionally tombstones) in one stable order, (updated_at, skill_id) ascending, so that
 * keyset pages never shift: an edited skill moves to the end of the stream instead of shifting
 * the rows behind it. Tombstones sort by deleted_at in the same stream.
 */
export function createSkillLister(db: Db, options: PlannerOptions = {}): (params: ListParams) => ListResult {
  const plan = createListPlanner(db, options);
  return (params) => {
    const planned = plan(params);
    if (!planned) return { items: [], total: 0 };
    const rows = planned.rows();
    const hasMore = rows.length > params.pageSize;
    const kept = hasMore ? rows.slice(0, params.pageSize) : rows;
    const last = kept.at(-1);
    return {
      items: kept.map(toItem),
      total: planned.total(),
      ...(hasMore && last ? { next: { u: last.u, id: last.k } } : {}),
    };
  };
}

function toItem(row: ListRow): ListItem {
  return { kind: row.deleted === 1 ? 'deleted' : 'skill', json: row.doc };
}
