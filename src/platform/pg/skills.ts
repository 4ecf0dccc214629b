import { randomUUID } from 'node:crypto';
import type { DeleteResult, SkillInput, SkillPatch, SkillResult } from '../db/skills.ts';
import { iso, nextTimestamp, skillFromRow, SKILL_COLUMNS, type Skill, type SkillRow } from '../db/rows.ts';
import { bumpVersion } from '../version-bump.ts';
import type { PgChanges, PgEmit, Tx } from './changes.ts';
import type { PgCategoryRepo } from './categories.ts';
import { first, type Queryable } from './query.ts';
import { searchLexemes } from './search.ts';

/** At most this many ids in one look-up (the batched look-up route's limit). */
export const MAX_LOOKUP_IDS = 1000;

export interface PgSkillRepo {
  get(skillId: string): Promise<Skill | undefined>;
  create(input: SkillInput): Promise<SkillResult>;
  update(skillId: string, patch: SkillPatch): Promise<SkillResult>;
  remove(skillId: string): Promise<DeleteResult>;
  /** Which of `skillIds` exist (live skills), in the order asked; one index probe per id. */
  existing(skillIds: readonly string[]): Promise<string[]>;
}

const SELECT = `SELECT ${SKILL_COLUMNS} FROM skills`;

export function createPgSkillRepo(db: Queryable, changes: PgChanges, categories: PgCategoryRepo, now: () => number): PgSkillRepo {
  const read = async (q: Queryable, skillId: string): Promise<Skill | undefined> => {
    const row = await first<SkillRow>(q, `${SELECT} WHERE skill_id = $1`, [skillId]);
    return row ? skillFromRow(row) : undefined;
  };
  const emitSkill = async (tx: Tx, emit: PgEmit, skillId: string): Promise<Skill> => {
    const skill = (await read(tx, skillId)) as Skill;
    await emit('skill_update', { ...skill }, skill.updated_at);
    return skill;
  };

  return {
    get: (skillId) => read(db, skillId),
    async existing(skillIds) {
      const wanted = skillIds.slice(0, MAX_LOOKUP_IDS).map((id) => id.toLowerCase());
      const { rows } = await (db as Tx).query<{ skill_id: string }>('SELECT skill_id FROM skills WHERE skill_id = ANY($1::text[])', [wanted]);
      const found = new Set(rows.map((r) => r.skill_id));
      return wanted.filter((id) => found.has(id));
    },
    create: (input) => changes.mutate(async (tx, emit) => {
      if (!(await categories.exists(tx, input.category))) return { kind: 'unknownCategory', category: input.category } as const;
      const skillId = (input.skill_id ?? randomUUID()).toLowerCase();
      if (await first(tx, 'SELECT 1 FROM skills WHERE skill_id = $1', [skillId])) return { kind: 'conflict' } as const;
      const t = now();
      // Re-publishing a deleted id resurrects it, later than its tombstone in the sync order.
      const tomb = await first<{ deleted_at: number }>(tx, 'DELETE FROM tombstones WHERE skill_id = $1 RETURNING deleted_at', [skillId]);
      const name = input.name;
      const description = input.description ?? '';
      const tags = JSON.stringify(input.tags ?? []);
      await tx.query(
        `INSERT INTO skills (skill_id, name, description, version, code, command, python_packages, npm_packages,
           tags, metadata, category, created_at, updated_at, search)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, array_to_tsvector($14::text[]))`,
        [skillId, name, description, input.version ?? '1.0.0', input.code ?? '', input.command ?? '',
          JSON.stringify(input.python_packages ?? []), JSON.stringify(input.npm_packages ?? []), tags,
          JSON.stringify(input.metadata ?? {}), input.category, t, tomb ? nextTimestamp(t, tomb.deleted_at) : t,
          searchLexemes(name, description, tags)]);
      const skill = await emitSkill(tx, emit, skillId);
      await categories.emitCount(tx, emit, input.category);
      return { kind: 'ok', skill } as const;
    }),
    update: (skillId, patch) => changes.mutate(async (tx, emit) => {
      const row = await first<SkillRow>(tx, `${SELECT} WHERE skill_id = $1`, [skillId]);
      if (!row) return { kind: 'notFound' } as const;
      const category = patch.category ?? row.category;
      if (category !== row.category && !(await categories.exists(tx, category))) return { kind: 'unknownCategory', category } as const;
      const name = patch.name ?? row.name;
      const description = patch.description ?? row.description;
      const tags = patch.tags ? JSON.stringify(patch.tags) : row.tags;
      await tx.query(
        `UPDATE skills SET name = $2, description = $3, version = $4, code = $5, command = $6, python_packages = $7,
           npm_packages = $8, tags = $9, metadata = $10, category = $11, updated_at = $12, search = array_to_tsvector($13::text[])
         WHERE skill_id = $1`,
        [skillId, name, description, patch.version ?? bumpVersion(row.version), patch.code ?? row.code, patch.command ?? row.command,
          patch.python_packages ? JSON.stringify(patch.python_packages) : row.python_packages,
          patch.npm_packages ? JSON.stringify(patch.npm_packages) : row.npm_packages, tags,
          patch.metadata ? JSON.stringify(patch.metadata) : row.metadata, category, nextTimestamp(now(), row.updated_at),
          searchLexemes(name, description, tags)]);
      const skill = await emitSkill(tx, emit, skillId);
      if (category !== row.category) {
        await categories.emitCount(tx, emit, row.category);
        await categories.emitCount(tx, emit, category);
      }
      return { kind: 'ok', skill } as const;
    }),
    remove: (skillId) => changes.mutate(async (tx, emit) => {
      const row = await first<{ category: string; updated_at: number }>(tx, 'SELECT category, updated_at FROM skills WHERE skill_id = $1', [skillId]);
      if (!row) return { kind: 'notFound' } as const;
      // After the row's last updated_at, so the tombstone sorts after every version of the skill.
      const deletedAt = nextTimestamp(now(), row.updated_at);
      await tx.query('DELETE FROM skills WHERE skill_id = $1', [skillId]);
      await tx.query(`INSERT INTO tombstones (skill_id, category, deleted_at) VALUES ($1, $2, $3)
        ON CONFLICT (skill_id) DO UPDATE SET category = excluded.category, deleted_at = excluded.deleted_at`, [skillId, row.category, deletedAt]);
      const tombstone = { skill_id: skillId, deleted_at: iso(deletedAt) };
      await emit('skill_delete', { ...tombstone }, tombstone.deleted_at);
      await categories.emitCount(tx, emit, row.category);
      return { kind: 'ok', tombstone } as const;
    }),
  };
}
