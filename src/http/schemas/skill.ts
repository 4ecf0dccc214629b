import { Type } from 'typebox';
import type { RemoteSkill } from '../../contract/wire-types.ts';
import type { CachedSkill } from '../../store/index.ts';
import { iso } from './common.ts';
import { SkillSchema } from '../../contract/skill-schema.ts';

/**
 * A skill in the spec's wire shape (spec 000), as the cache holds it: the platform's allow-list of
 * skill fields, except that a skill imported locally may lack created_at.
 */
export const SkillFields = {
  ...SkillSchema.properties,
  created_at: Type.Optional(Type.String()),
};

export const Skill = Type.Object(SkillFields);
export const NullableSkill = Type.Union([Skill, Type.Null()]);

/** A skill of the local marketplace: the effective version (the local edit if any) and where it stands. */
export const LocalSkill = Type.Object({
  ...SkillFields,
  origin: Type.Union([Type.Literal('remote'), Type.Literal('local')]),
  locally_edited: Type.Boolean(),
  edited_at: Type.Union([Type.String(), Type.Null()]),
  synced_at: Type.String(),
});

/** What a local Atom sees of a cached skill: its local edit when there is one, else the remote version. */
export function localSkillDto(cached: CachedSkill) {
  const effective: RemoteSkill = cached.local ?? cached.remote;
  return {
    ...effective,
    origin: cached.origin,
    locally_edited: cached.locallyEdited,
    edited_at: iso(cached.editedAt),
    synced_at: iso(cached.syncedAt)!,
  };
}
