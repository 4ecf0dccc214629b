import { Type } from 'typebox';
import { CategoryName } from './skill.ts';

export const CategorySchema = Type.Object({
  name: Type.String(),
  description: Type.String(),
  skill_count: Type.Integer(),
  icon_url: Type.Union([Type.String(), Type.Null()]),
  created_at: Type.String(),
  updated_at: Type.String(),
});

export const CategoryListResponse = Type.Object({ categories: Type.Array(CategorySchema) });

const IconUrl = Type.Union([Type.String({ maxLength: 2048, pattern: '^https?://' }), Type.Null()]);

export const CategoryCreateBody = Type.Object({
  name: CategoryName,
  description: Type.Optional(Type.String({ maxLength: 2000 })),
  icon_url: Type.Optional(IconUrl),
});

export const CategoryUpdateBody = Type.Object({
  description: Type.Optional(Type.String({ maxLength: 2000 })),
  icon_url: Type.Optional(IconUrl),
});

export const CategoryParams = Type.Object({ name: CategoryName });
