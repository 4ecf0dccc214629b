import { Type } from 'typebox';
import { IsoTime, Uuid } from './common.ts';
import { SkillSchema } from '../../../contract/skill-schema.ts';

export { SkillSchema };

const Strings = (maxItems: number, maxLength: number) =>
  Type.Array(Type.String({ minLength: 1, maxLength }), { maxItems });
const Metadata = Type.Record(Type.String(), Type.Unknown());
const CategoryName = Type.String({ pattern: '^[a-z0-9][a-z0-9_-]{0,63}$' });


export const TombstoneSchema = Type.Object({ skill_id: Type.String(), deleted_at: Type.String() });

export const SkillListQuery = Type.Object({
  query: Type.Optional(Type.String({ maxLength: 256 })),
  category: Type.Optional(Type.String({ maxLength: 64 })),
  page: Type.Optional(Type.Integer({ minimum: 1, maximum: 1_000_000 })),
  page_size: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000 })),
  updated_since: Type.Optional(IsoTime),
  cursor: Type.Optional(Type.String({ maxLength: 512 })),
  include_deleted: Type.Optional(Type.Boolean()),
});

export const SkillListResponse = Type.Object({
  skills: Type.Array(SkillSchema),
  page: Type.Integer(),
  page_size: Type.Integer(),
  total: Type.Integer(),
  total_pages: Type.Integer(),
  next_cursor: Type.Union([Type.String(), Type.Null()]),
  high_water_seq: Type.Integer(),
  deleted: Type.Optional(Type.Array(TombstoneSchema)),
});

export const RatingSchema = Type.Object({
  user_id: Type.String(),
  rating: Type.Integer(),
  comment: Type.Union([Type.String(), Type.Null()]),
  created_at: Type.String(),
  updated_at: Type.String(),
});

export const SkillDetailSchema = Type.Object({
  ...SkillSchema.properties,
  ratings: Type.Array(RatingSchema),
});

export const InstallBody = Type.Object({
  agent_id: Type.Optional(Type.String({ maxLength: 256 })),
  auto_install_deps: Type.Optional(Type.Boolean()),
});

export const InstallResponse = Type.Object({
  success: Type.Boolean(),
  skill_id: Type.String(),
  installed_at: Type.String(),
  dependencies_installed: Type.Array(Type.String()),
});

const skillFields = {
  name: Type.String({ minLength: 1, maxLength: 200 }),
  description: Type.Optional(Type.String({ maxLength: 10_000 })),
  version: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
  code: Type.Optional(Type.String({ maxLength: 500_000 })),
  command: Type.Optional(Type.String({ maxLength: 64 })),
  python_packages: Type.Optional(Strings(200, 200)),
  npm_packages: Type.Optional(Strings(200, 200)),
  tags: Type.Optional(Strings(50, 64)),
  metadata: Type.Optional(Metadata),
  category: CategoryName,
};

/** POST /api/v1/skills: a new skill; skill_id is generated unless given. */
export const SkillCreateBody = Type.Object({ skill_id: Type.Optional(Uuid), ...skillFields });

/** PUT /api/v1/skills/{id}: the fields to change; the rest stay, the version is bumped unless given. */
export const SkillUpdateBody = Type.Partial(Type.Object(skillFields));

export const DeleteSkillResponse = TombstoneSchema;

export { CategoryName };
