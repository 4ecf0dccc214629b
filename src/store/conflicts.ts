import type { Database } from 'better-sqlite3';
import type { RemoteSkill } from '../contract/wire-types.ts';
import type { ConflictType } from '../conflicts/detect.ts';
import { readStoredSkill, toStoredJson } from './stored-json.ts';

export type ConflictState = 'detected' | 'awaitingOperator' | 'resolved';

export interface ConflictRecord {
  id: number;
  skillId: string;
  conflictType: ConflictType;
  state: ConflictState;
  resolved: boolean;
  strategy: string | null;
  resolvedBy: 'auto' | 'operator' | null;
  base: RemoteSkill | null;
  local: RemoteSkill | null;
  /** null when the remote side deleted the skill. */
  remote: RemoteSkill | null;
  result: RemoteSkill | null;
  detectedAt: number;
  resolvedAt: number | null;
}

export interface ConflictFilter {
  resolved?: boolean;
  conflictType?: ConflictType;
  skillId?: string;
  limit: number;
  offset: number;
}

interface ConflictRow {
  id: number;
  skill_id: string;
  conflict_type: ConflictType;
  state: ConflictState;
  resolved: 0 | 1;
  strategy: string | null;
  resolved_by: 'auto' | 'operator' | null;
  base_data: string | null;
  local_data: string | null;
  remote_data: string | null;
  result_data: string | null;
  detected_at: number;
  resolved_at: number | null;
}

// The sides of a conflict are skills like the cache's: the same nesting limit on write, the same
// flattening of an over-nested row an older version wrote (stored-json.ts).
const json = (value: unknown): string | null => (value === null || value === undefined ? null : toStoredJson(value, 'conflict side'));
const parse = (text: string | null): RemoteSkill | null => (text ? (readStoredSkill(text) ?? null) : null);

export function createConflictRepository(db: Database) {
  const insert = db.prepare(`
    INSERT INTO conflict_log (skill_id, conflict_type, state, base_data, local_data, remote_data, detected_at)
    VALUES (@skill_id, @conflict_type, 'detected', @base_data, @local_data, @remote_data, @detected_at)
  `);
  const selectOne = db.prepare<[number], ConflictRow>('SELECT * FROM conflict_log WHERE id = ?');
  const setState = db.prepare<[ConflictState, number]>('UPDATE conflict_log SET state = ? WHERE id = ? AND resolved = 0');
  const resolve = db.prepare(`
    UPDATE conflict_log SET state = 'resolved', resolved = 1, strategy = @strategy, resolved_by = @resolved_by,
      result_data = @result_data, resolved_at = @resolved_at
    WHERE id = @id AND resolved = 0
  `);
  const updateRemote = db.prepare<[string | null, number]>('UPDATE conflict_log SET remote_data = ? WHERE id = ? AND resolved = 0');
  const unresolvedCount = db.prepare<[], { n: number }>('SELECT count(*) AS n FROM conflict_log WHERE resolved = 0');
  const openForSkill = db.prepare<[string], ConflictRow>(
    'SELECT * FROM conflict_log WHERE skill_id = ? AND resolved = 0 ORDER BY id DESC LIMIT 1',
  );

  return {
    record(input: { skillId: string; conflictType: ConflictType; base: RemoteSkill | null; local: RemoteSkill | null; remote: RemoteSkill | null }, now: number): number {
      const result = insert.run({
        skill_id: input.skillId,
        conflict_type: input.conflictType,
        base_data: json(input.base),
        local_data: json(input.local),
        remote_data: json(input.remote),
        detected_at: now,
      });
      return Number(result.lastInsertRowid);
    },
    get(id: number): ConflictRecord | undefined {
      const row = selectOne.get(id);
      return row ? toRecord(row) : undefined;
    },
    /** The open conflict of a skill, if any: a newer remote change joins it rather than opening a second one. */
    openForSkill(skillId: string): ConflictRecord | undefined {
      const row = openForSkill.get(skillId);
      return row ? toRecord(row) : undefined;
    },
    /** A newer remote change of a skill whose conflict still waits for an operator replaces the remote side. */
    updateRemote(id: number, remote: RemoteSkill | null): boolean {
      return updateRemote.run(json(remote), id).changes > 0;
    },
    setState(id: number, state: Exclude<ConflictState, 'resolved'>): boolean {
      return setState.run(state, id).changes > 0;
    },
    /** Idempotent: resolving an already resolved conflict changes nothing and returns false. */
    resolve(id: number, input: { strategy: string; resolvedBy: 'auto' | 'operator'; result: RemoteSkill | null }, now: number): boolean {
      return resolve.run({ id, strategy: input.strategy, resolved_by: input.resolvedBy, result_data: json(input.result), resolved_at: now }).changes > 0;
    },
    unresolvedCount(): number {
      return unresolvedCount.get()?.n ?? 0;
    },
    list(filter: ConflictFilter): { items: ConflictRecord[]; total: number } {
      const where: string[] = [];
      const params: Record<string, unknown> = { limit: filter.limit, offset: filter.offset };
      if (filter.resolved !== undefined) { where.push('resolved = @resolved'); params.resolved = filter.resolved ? 1 : 0; }
      if (filter.conflictType) { where.push('conflict_type = @conflict_type'); params.conflict_type = filter.conflictType; }
      if (filter.skillId) { where.push('skill_id = @skill_id'); params.skill_id = filter.skillId; }
      const clause = where.length ? `WHERE ${where.join(' AND ')}` : '';
      const rows = db.prepare(`SELECT * FROM conflict_log ${clause} ORDER BY id DESC LIMIT @limit OFFSET @offset`).all(params) as ConflictRow[];
      const { limit: _l, offset: _o, ...countParams } = params;
      const total = (db.prepare(`SELECT count(*) AS n FROM conflict_log ${clause}`).get(countParams) as { n: number }).n;
      return { items: rows.map(toRecord), total };
    },
  };
}

export type ConflictRepository = ReturnType<typeof createConflictRepository>;

function toRecord(row: ConflictRow): ConflictRecord {
  return {
    id: row.id,
    skillId: row.skill_id,
    conflictType: row.conflict_type,
    state: row.state,
    resolved: row.resolved === 1,
    strategy: row.strategy,
    resolvedBy: row.resolved_by,
    base: parse(row.base_data),
    local: parse(row.local_data),
    remote: parse(row.remote_data),
    result: parse(row.result_data),
    detectedAt: row.detected_at,
    resolvedAt: row.resolved_at,
  };
}
