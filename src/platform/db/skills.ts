import { randomUUID } from 'node:crypto';
import type { Db } from './open.ts';
import type { Changes, Emit } from './seq.ts';
import type { CategoryRepo } from './categories.ts';
import { iso, nextTimestamp, skillFromRow, SKILL_COLUMNS, type Skill, type SkillRow, type Tombstone } from './rows.ts';
import { bumpVersion } from '../version-bump.ts';

/** What a publisher sends; the platform owns ratings and timestamps. */
export interface SkillInput {
  skill_id?: string;
  name: string;
  description?: string;
  version?: string;
  code?: string;
  command?: string;
  python_packages?: string[];
  npm_packages?: string[];
  tags?: string[];
  metadata?: Record<string, unknown>;
  category: string;
}

export type SkillPatch = Partial<Omit<SkillInput, 'skill_id'>>;

export type SkillResult =
  | { kind: 'ok'; skill: Skill }
  | { kind: 'notFound' }
  | { kind: 'conflict' }
  | { kind: 'unknownCategory'; category: string };

export type DeleteResult = { kind: 'ok'; tombstone: Tombstone } | { kind: 'notFound' };

export interface SkillRepo {
  get(skillId: string): Skill | undefined;
  /** The ids among `skillIds` that name a live skill (not deleted), in no particular order. */
  existing(skillIds: readonly string[]): string[];
  create(input: SkillInput): SkillResult;
  update(skillId: string, patch: SkillPatch): SkillResult;
  remove(skillId: string): DeleteResult;
  /** Re-reads a skill and emits skill_update; used by mutations that change its representation. */
  emitSkill(emit: Emit, skillId: string): Skill | undefined;
}

export function createSkillRepo(db: Db, changes: Changes, categories: CategoryRepo, now: () => number): SkillRepo {
  const get = db.prepare<[string], SkillRow>(`SELECT ${SKILL_COLUMNS} FROM skills WHERE skill_id = ?`);
  // One statement for the whole batch: the ids travel as one JSON array.
  const existingOf = db.prepare<[string], { skill_id: string }>('SELECT skill_id FROM skills WHERE skill_id IN (SELECT value FROM json_each(?))');
  const insert = db.prepare(
    `INSERT INTO skills (skill_id, name, description, version, code, command, python_packages, npm_packages,
       tags, metadata, category, created_at, updated_at)
     VALUES (@skill_id, @name, @description, @version, @code, @command, @python_packages, @npm_packages,
       @tags, @metadata, @category, @created_at, @updated_at)`,
  );
  const update = db.prepare(
    `UPDATE skills SET name = @name, description = @description, version = @version, code = @code,
       command = @command, python_packages = @python_packages, npm_packages = @npm_packages, tags = @tags,
       metadata = @metadata, category = @category, updated_at = @updated_at WHERE skill_id = @skill_id`,
  );
  const remove = db.prepare('DELETE FROM skills WHERE skill_id = ?');
  const tombstoneOf = db.prepare<[string], { deleted_at: number }>('SELECT deleted_at FROM tombstones WHERE skill_id = ?');
  const dropTombstone = db.prepare('DELETE FROM tombstones WHERE skill_id = ?');
  const putTombstone = db.prepare(
    'INSERT OR REPLACE INTO tombstones (skill_id, category, deleted_at) VALUES (?, ?, ?)',
  );

  const read = (skillId: string): Skill | undefined => {
    const row = get.get(skillId);
    return row ? skillFromRow(row) : undefined;
  };
  const emitSkill = (emit: Emit, skillId: string): Skill | undefined => {
    const skill = read(skillId);
    if (skill) emit('skill_update', { ...skill }, skill.updated_at);
    return skill;
  };

  return {
    get: read,
    existing: (skillIds) => (skillIds.length === 0 ? [] : existingOf.all(JSON.stringify(skillIds)).map((row) => row.skill_id)),
    emitSkill,
    create: (input) =>
      changes.mutate((emit) => {
        if (!categories.exists(input.category)) return { kind: 'unknownCategory', category: input.category } as const;
        const skillId = (input.skill_id ?? randomUUID()).toLowerCase();
        if (get.get(skillId)) return { kind: 'conflict' } as const;
        const t = now();
        // Re-publishing a deleted id resurrects it, later than its tombstone in the sync order.
        const tomb = tombstoneOf.get(skillId);
        if (tomb) dropTombstone.run(skillId);
        insert.run({
          skill_id: skillId,
          name: input.name,
          description: input.description ?? '',
          version: input.version ?? '1.0.0',
          code: input.code ?? '',
          command: input.command ?? '',
          python_packages: JSON.stringify(input.python_packages ?? []),
          npm_packages: JSON.stringify(input.npm_packages ?? []),
          tags: JSON.stringify(input.tags ?? []),
          metadata: JSON.stringify(input.metadata ?? {}),
          category: input.category,
          created_at: t,
          updated_at: tomb ? nextTimestamp(t, tomb.deleted_at) : t,
        });
        const skill = emitSkill(emit, skillId) as Skill;
        categories.emitCount(emit, input.category);
        return { kind: 'ok', skill } as const;
      }),
    update: (skillId, patch) =>
      changes.mutate((emit) => {
        const row = get.get(skillId);
        if (!row) return { kind: 'notFound' } as const;
        const category = patch.category ?? row.category;
        if (category !== row.category && !categories.exists(category)) {
          return { kind: 'unknownCategory', category } as const;
        }
        update.run({
          skill_id: skillId,
          name: patch.name ?? row.name,
          description: patch.description ?? row.description,
          version: patch.version ?? bumpVersion(row.version),
          code: patch.code ?? row.code,
          command: patch.command ?? row.command,
          python_packages: patch.python_packages ? JSON.stringify(patch.python_packages) : row.python_packages,
          npm_packages: patch.npm_packages ? JSON.stringify(patch.npm_packages) : row.npm_packages,
          tags: patch.tags ? JSON.stringify(patch.tags) : row.tags,
          metadata: patch.metadata ? JSON.stringify(patch.metadata) : row.metadata,
          category,
          updated_at: nextTimestamp(now(), row.updated_at),
        });
        const skill = emitSkill(emit, skillId) as Skill;
        if (category !== row.category) {
          categories.emitCount(emit, row.category);
          categories.emitCount(emit, category);
        }
        return { kind: 'ok', skill } as const;
      }),
    remove: (skillId) =>
      changes.mutate((emit) => {
        const row = get.get(skillId);
        if (!row) return { kind: 'notFound' } as const;
        // After the row's last updated_at, so the tombstone sorts after every version of the skill.
        const deletedAt = nextTimestamp(now(), row.updated_at);
        remove.run(skillId);
        putTombstone.run(skillId, row.category, deletedAt);
        const tombstone = { skill_id: skillId, deleted_at: iso(deletedAt) };
        emit('skill_delete', { ...tombstone }, tombstone.deleted_at);
        categories.emitCount(emit, row.category);
        return { kind: 'ok', tombstone } as const;
      }),
  };
}
