import { Type, type Static } from 'typebox';
import { CONTENT_FIELDS, type ConflictType } from '../../conflicts/index.ts';
import type { RemoteSkill } from '../../contract/wire-types.ts';
import type { OperatorStrategy } from '../../../machines/conflicts.ts';
import type { ConflictRecord } from '../../store/index.ts';
import { iso, NullableString } from './common.ts';
import { NullableSkill } from './skill.ts';

/** The wire schema of a ConflictType (src/conflicts/detect.ts), which it must list exactly. */
export const ConflictTypeSchema = Type.Union([Type.Literal('content'), Type.Literal('version'), Type.Literal('delete')]);
type SchemaMatches = [Static<typeof ConflictTypeSchema>] extends [ConflictType] ? ([ConflictType] extends [Static<typeof ConflictTypeSchema>] ? true : false) : false;
const schemaMatches: SchemaMatches = true;
void schemaMatches;
/** The wire schema of the conflicts chart's OperatorStrategy, which it must list exactly. */
export const OperatorStrategySchema = Type.Union([Type.Literal('remote_wins'), Type.Literal('local_wins'), Type.Literal('merge')]);
type StrategyMatches = [Static<typeof OperatorStrategySchema>] extends [OperatorStrategy] ? ([OperatorStrategy] extends [Static<typeof OperatorStrategySchema>] ? true : false) : false;
const strategyMatches: StrategyMatches = true;
void strategyMatches;

const summaryFields = {
  id: Type.Integer(),
  skill_id: Type.String(),
  conflict_type: ConflictTypeSchema,
  state: Type.String(),
  resolved: Type.Boolean(),
  strategy: NullableString,
  resolved_by: NullableString,
  detected_at: Type.String(),
  resolved_at: NullableString,
};

export const ConflictSummary = Type.Object(summaryFields);

/** One content field on which the sides disagree; a side that does not exist (deleted, no base) is null. */
export const FieldDiff = Type.Object({ field: Type.String(), base: Type.Unknown(), local: Type.Unknown(), remote: Type.Unknown() });

export const ConflictDetail = Type.Object({
  ...summaryFields,
  base: NullableSkill,
  local: NullableSkill,
  remote: NullableSkill,
  result: NullableSkill,
  diff: Type.Array(FieldDiff),
});

export function conflictSummaryDto(c: ConflictRecord) {
  return {
    id: c.id,
    skill_id: c.skillId,
    conflict_type: c.conflictType,
    state: c.state,
    resolved: c.resolved,
    strategy: c.strategy,
    resolved_by: c.resolvedBy,
    detected_at: iso(c.detectedAt)!,
    resolved_at: iso(c.resolvedAt),
  };
}

export function conflictDetailDto(c: ConflictRecord) {
  return { ...conflictSummaryDto(c), base: c.base, local: c.local, remote: c.remote, result: c.result, diff: conflictDiff(c) };
}

/** The CONTENT_FIELDS on which local and remote (or either and the base) differ, side by side. */
export function conflictDiff(c: Pick<ConflictRecord, 'base' | 'local' | 'remote'>) {
  const value = (skill: RemoteSkill | null, field: (typeof CONTENT_FIELDS)[number]) => (skill ? (skill[field] ?? null) : null);
  const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
  return CONTENT_FIELDS.flatMap((field) => {
    const base = value(c.base, field);
    const local = value(c.local, field);
    const remote = value(c.remote, field);
    if (same(local, remote) && (c.base === null || (same(base, local) && same(base, remote)))) return [];
    return [{ field, base, local, remote }];
  });
}
