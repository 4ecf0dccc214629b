import type { RemoteSkill } from '../contract/wire-types.ts';

export type ConflictType = 'content' | 'version' | 'delete';

/** What the cache knows of a skill that a remote change now touches. */
export interface LocalSide {
  locallyEdited: boolean;
  /** The remote version the local edit started from. */
  baseVersion: string | null;
  baseUpdatedAt: number | null;
  /** The base itself, when known: a change that leaves its content alone is no conflict. */
  base?: RemoteSkill | null;
}

/** The fields a person edits; ratings and timestamps move on their own and never conflict. */
export const CONTENT_FIELDS = ['name', 'description', 'version', 'code', 'command', 'python_packages', 'npm_packages', 'tags', 'metadata', 'category'] as const;

export function sameContent(a: RemoteSkill, b: RemoteSkill): boolean {
  return CONTENT_FIELDS.every((field) => JSON.stringify(a[field]) === JSON.stringify(b[field]));
}

/** A remote change: a newer version of the skill, or its deletion. */
export type RemoteChange = { kind: 'update'; skill: RemoteSkill } | { kind: 'delete'; deletedAt: number };

/**
 * A conflict exists when a remote update or delete arrives for a skill edited locally since its
 * last synced version. `version`: the remote bumped the version; `content`: it changed the skill
 * without a version bump; `delete`: it removed the skill. Replays of the base version are no conflict.
 */
export function detectConflict(local: LocalSide | undefined, change: RemoteChange): ConflictType | null {
  if (!local?.locallyEdited) return null;
  if (change.kind === 'delete') return 'delete';
  const updatedAt = Date.parse(change.skill.updated_at);
  if (local.baseUpdatedAt !== null && updatedAt <= local.baseUpdatedAt) return null;
  // A newer remote version that differs from the base only in ratings (the platform moves
  // updated_at when a rating lands) touches nothing the local edit changed.
  if (local.base && sameContent(local.base, change.skill)) return null;
  return change.skill.version !== local.baseVersion ? 'version' : 'content';
}
