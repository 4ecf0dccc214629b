import type { Database } from 'better-sqlite3';
import type { RemoteSkill, SkillTombstone } from '../contract/wire-types.ts';
import { CACHE_TTL_MS, toMillis } from './time.ts';
import { readStoredSkill, toStoredJson } from './stored-json.ts';

/** A cached skill with its sync bookkeeping. `remote` is the platform's version as last synced. */
export interface CachedSkill {
  skillId: string;
  remote: RemoteSkill;
  updatedAt: number;
  origin: 'remote' | 'local';
  syncedAt: number;
  expiresAt: number;
  locallyEdited: boolean;
  /** The local edit, when locallyEdited. */
  local: RemoteSkill | null;
  editedAt: number | null;
  /** The remote version the local edit started from. */
  base: RemoteSkill | null;
  baseVersion: string | null;
  baseUpdatedAt: number | null;
}

interface SkillRow {
  skill_id: string;
  name: string;
  description: string;
  version: string;
  category: string;
  average_rating: number;
  rating_count: number;
  skill_data: string;
  updated_at: number;
  origin: 'remote' | 'local';
  synced_at: number;
  expires_at: number;
  locally_edited: 0 | 1;
  local_data: string | null;
  edited_at: number | null;
  base_data: string | null;
  base_version: string | null;
  base_updated_at: number | null;
}

export type UpsertOutcome = 'inserted' | 'updated' | 'unchanged';

/** What conflict detection needs to know of a cached skill. */
export interface EditState {
  updatedAt: number;
  locallyEdited: boolean;
  baseVersion: string | null;
  baseUpdatedAt: number | null;
}

/** Skill cache access. Statements are prepared once; callers own transactions. */
export function createSkillRepository(db: Database) {
  // The data columns move only when the incoming version is newer; equal or older versions
  // (duplicates, out-of-order WebSocket messages, a replayed page) just refresh the expiry.
  // In an UPDATE every expression reads the old row, so `updated_at` below is the stored value.
  // A stored version SQLite cannot read (nested past its JSON limit by an older agent) is replaced by
  // any incoming one, even an equal or older version: that is how a good sync repairs such a row.
  const TAKES = '(excluded.updated_at > updated_at OR NOT json_valid(skill_data))';
  const upsert = db.prepare(`
    INSERT INTO skill_cache (skill_id, name, description, version, category, average_rating, rating_count,
                             skill_data, updated_at, origin, synced_at, expires_at)
    VALUES (@skill_id, @name, @description, @version, @category, @average_rating, @rating_count,
            @skill_data, @updated_at, @origin, @synced_at, @expires_at)
    ON CONFLICT(skill_id) DO UPDATE SET
      name           = iif(${TAKES}, excluded.name, name),
      description    = iif(${TAKES}, excluded.description, description),
      version        = iif(${TAKES}, excluded.version, version),
      category       = iif(${TAKES}, excluded.category, category),
      average_rating = iif(${TAKES}, excluded.average_rating, average_rating),
      rating_count   = iif(${TAKES}, excluded.rating_count, rating_count),
      skill_data     = iif(${TAKES}, excluded.skill_data, skill_data),
      origin         = iif(${TAKES}, excluded.origin, origin),
      updated_at     = iif(json_valid(skill_data), max(excluded.updated_at, updated_at), excluded.updated_at),
      synced_at      = max(excluded.synced_at, synced_at),
      expires_at     = max(excluded.expires_at, expires_at)
  `);
  const selectVersion = db.prepare<[string], { updated_at: number }>('SELECT updated_at FROM skill_cache WHERE skill_id = ?');
  const selectOne = db.prepare<[string], SkillRow>('SELECT * FROM skill_cache WHERE skill_id = ?');
  const removeIfNotEdited = db.prepare<[string, number]>(
    'DELETE FROM skill_cache WHERE skill_id = ? AND locally_edited = 0 AND updated_at <= ?',
  );
  const removeAny = db.prepare<[string]>('DELETE FROM skill_cache WHERE skill_id = ?');
  const markEdited = db.prepare(`
    UPDATE skill_cache SET
      locally_edited  = 1,
      local_data      = @local_data,
      edited_at       = @edited_at,
      base_data       = iif(locally_edited = 1, base_data, skill_data),
      base_version    = iif(locally_edited = 1, base_version, version),
      base_updated_at = iif(locally_edited = 1, base_updated_at, updated_at)
    WHERE skill_id = @skill_id
  `);
  const clearEdit = db.prepare<[string]>(`
    UPDATE skill_cache SET locally_edited = 0, local_data = NULL, edited_at = NULL,
      base_data = NULL, base_version = NULL, base_updated_at = NULL
    WHERE skill_id = ?
  `);
  const count = db.prepare<[], { n: number }>("SELECT count(*) AS n FROM skill_cache");
  const editState = db.prepare<[string], { updated_at: number; locally_edited: 0 | 1; base_version: string | null; base_updated_at: number | null }>(
    'SELECT updated_at, locally_edited, base_version, base_updated_at FROM skill_cache WHERE skill_id = ?',
  );
  const ratingSummary = db.prepare(`
    UPDATE skill_cache SET average_rating = @average_rating, rating_count = @rating_count, rating_updated_at = @at,
      skill_data = iif(json_valid(skill_data), json_set(skill_data, '$.average_rating', @average_rating, '$.rating_count', @rating_count), skill_data)
    WHERE skill_id = @skill_id AND coalesce(rating_updated_at, 0) < @at
  `);
  // One query for a whole page instead of one per skill: the ids go in as a JSON array.
  const editStates = db.prepare<[string], { skill_id: string; updated_at: number; locally_edited: 0 | 1; base_version: string | null; base_updated_at: number | null }>(
    'SELECT skill_id, updated_at, locally_edited, base_version, base_updated_at FROM skill_cache WHERE skill_id IN (SELECT value FROM json_each(?))',
  );
  // After a resolution that keeps the local edit, the remote version it now sits on is its new base.
  const rebase = db.prepare<[string]>(`
    UPDATE skill_cache SET base_data = skill_data, base_version = version, base_updated_at = updated_at
    WHERE skill_id = ? AND locally_edited = 1
  `);
  const toLocal = db.prepare<[string]>(`
    UPDATE skill_cache SET origin = 'local', skill_data = coalesce(local_data, skill_data) WHERE skill_id = ?
  `);
  const stampSeen = db.prepare<[number, string]>('UPDATE skill_cache SET full_sync_seen = ? WHERE skill_id = ?');
  const notListed = db.prepare<[number], { skill_id: string; synced_at: number; locally_edited: 0 | 1 }>(
    "SELECT skill_id, synced_at, locally_edited FROM skill_cache WHERE origin = 'remote' AND full_sync_seen IS NOT ?",
  );
  const removeUnedited = db.prepare<[string]>(
    "DELETE FROM skill_cache WHERE skill_id = ? AND origin = 'remote' AND locally_edited = 0",
  );
  /**
   * `known`: the row's current updated_at when the caller has just read it (null: no row), which
   * saves a second lookup per skill on the sync's hot path.
   */
  function upsertOne(skill: RemoteSkill, now: number, origin: 'remote' | 'local' = 'remote', known?: { updatedAt: number } | null): UpsertOutcome {
    const updatedAt = toMillis(skill.updated_at, `skill ${skill.skill_id} updated_at`);
    const before = known === undefined ? selectVersion.get(skill.skill_id) : known === null ? undefined : { updated_at: known.updatedAt };
    upsert.run({
      skill_id: skill.skill_id,
      name: skill.name,
      description: skill.description ?? '',
      version: skill.version ?? '',
      category: skill.category ?? '',
      average_rating: skill.average_rating ?? 0,
      rating_count: skill.rating_count ?? 0,
      skill_data: toStoredJson(skill, `skill ${skill.skill_id}`),
      updated_at: updatedAt,
      origin,
      synced_at: now,
      expires_at: now + CACHE_TTL_MS,
    });
    if (!before) return 'inserted';
    return updatedAt > before.updated_at ? 'updated' : 'unchanged';
  }

  return {
    /** Idempotent, never moves a row back in `updated_at`. */
    upsert: upsertOne,

    get(skillId: string): CachedSkill | undefined {
      const row = selectOne.get(skillId);
      return row ? toCachedSkill(row) : undefined;
    },

    count(): number {
      return count.get()?.n ?? 0;
    },

    /** What conflict detection needs, in one indexed lookup (this runs for every incoming skill). */
    editState(skillId: string): EditState | undefined {
      const row = editState.get(skillId);
      return row && { updatedAt: row.updated_at, locallyEdited: row.locally_edited === 1, baseVersion: row.base_version, baseUpdatedAt: row.base_updated_at };
    },

    /** editState for many skills at once (a sync page): skills not in the cache are absent from the map. */
    editStates(skillIds: readonly string[]): Map<string, EditState> {
      const out = new Map<string, EditState>();
      for (const row of editStates.all(JSON.stringify(skillIds))) {
        out.set(row.skill_id, { updatedAt: row.updated_at, locallyEdited: row.locally_edited === 1, baseVersion: row.base_version, baseUpdatedAt: row.base_updated_at });
      }
      return out;
    },

    /** A rating_update message: the new summary, unless a newer one is already applied. */
    applyRatingSummary(update: { skill_id: string; average_rating: number; rating_count: number; updated_at: string }): boolean {
      const at = toMillis(update.updated_at, `rating_update ${update.skill_id} updated_at`);
      return ratingSummary.run({ skill_id: update.skill_id, average_rating: update.average_rating, rating_count: update.rating_count, at }).changes > 0;
    },

    /** The local edit now builds on the remote version in the cache. */
    rebase(skillId: string): void {
      rebase.run(skillId);
    },

    /** The platform deleted it but local work keeps it: it becomes a local skill (no expiry, no reconciliation). */
    convertToLocal(skillId: string): void {
      toLocal.run(skillId);
    },

    /**
     * Applies a remote deletion unless the skill is edited locally (that is a `delete` conflict,
     * decided by the conflict resolver) or the cached version is newer than the deletion.
     */
    applyTombstone(tombstone: SkillTombstone): boolean {
      const deletedAt = toMillis(tombstone.deleted_at, `tombstone ${tombstone.skill_id} deleted_at`);
      return removeIfNotEdited.run(tombstone.skill_id, deletedAt).changes > 0;
    },

    /** Unconditional removal, for a resolved conflict that decided the skill goes. */
    remove(skillId: string): boolean {
      return removeAny.run(skillId).changes > 0;
    },

    /** Records a local edit. The base (remote version it started from) is kept across repeated edits. */
    markEdited(skillId: string, local: RemoteSkill, now: number): boolean {
      return markEdited.run({ skill_id: skillId, local_data: toStoredJson(local, `local edit of skill ${skillId}`), edited_at: now }).changes > 0;
    },

    /** Drops the local edit (after a conflict resolution folded it into the remote version). */
    clearEdit(skillId: string): void {
      clearEdit.run(skillId);
    },

    /** Marks the skills as listed by full sync `fullSyncId` (SyncState.fullSyncId): its reconciliation goes by them. */
    stampListed(fullSyncId: number, skillIds: readonly string[]): void {
      for (const skillId of skillIds) stampSeen.run(fullSyncId, skillId);
    },

    /** Remote skills the pages of full sync `fullSyncId` did not list: the candidates of its reconciliation. */
    notListedBy(fullSyncId: number): { skillId: string; syncedAt: number; locallyEdited: boolean }[] {
      return notListed.all(fullSyncId).map((r) => ({ skillId: r.skill_id, syncedAt: r.synced_at, locallyEdited: r.locally_edited === 1 }));
    },

    /** Removes a remote skill the platform no longer has, unless it is edited here (that is a delete conflict). */
    removeGoneUpstream(skillId: string): boolean {
      return removeUnedited.run(skillId).changes > 0;
    },

  };
}

export type SkillRepository = ReturnType<typeof createSkillRepository>;

function toCachedSkill(row: SkillRow): CachedSkill {
  return {
    skillId: row.skill_id,
    remote: readStoredSkill(row.skill_data) ?? fromColumns(row),
    updatedAt: row.updated_at,
    origin: row.origin,
    syncedAt: row.synced_at,
    expiresAt: row.expires_at,
    locallyEdited: row.locally_edited === 1,
    local: row.local_data ? (readStoredSkill(row.local_data) ?? null) : null,
    editedAt: row.edited_at,
    base: row.base_data ? (readStoredSkill(row.base_data) ?? null) : null,
    baseVersion: row.base_version,
    baseUpdatedAt: row.base_updated_at,
  };
}

/** The skill as far as the row's own columns tell, for a skill_data that does not parse at all. */
function fromColumns(row: SkillRow): RemoteSkill {
  return {
    skill_id: row.skill_id, name: row.name, description: row.description, version: row.version,
    code: '', command: '', python_packages: [], npm_packages: [], tags: [], metadata: {},
    category: row.category, average_rating: row.average_rating, rating_count: row.rating_count,
    updated_at: new Date(row.updated_at).toISOString(),
  };
}
