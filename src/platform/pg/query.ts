import type pg from 'pg';

/** A pool or one transaction's client: reads run on either. */
export type Queryable = Pick<pg.Pool, 'query'> | Pick<pg.PoolClient, 'query'>;

export async function first<T extends pg.QueryResultRow>(q: Queryable, sql: string, params: unknown[] = []): Promise<T | undefined> {
  const { rows } = await (q as pg.Pool).query<T>(sql, params);
  return rows[0];
}
