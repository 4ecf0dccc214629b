import { Type } from 'typebox';

// The TypeBox schema of a skill on the wire (spec 000), shared by the reference platform's responses
// and the agent's local API, so both allow exactly the same fields out.

const Metadata = Type.Record(Type.String(), Type.Unknown());

/** A skill exactly as spec 000 lists it: the allow-list of what a skill response carries. */
export const SkillSchema = Type.Object({
  skill_id: Type.String(),
  name: Type.String(),
  description: Type.String(),
  version: Type.String(),
  code: Type.String(),
  command: Type.String(),
  python_packages: Type.Array(Type.String()),
  npm_packages: Type.Array(Type.String()),
  tags: Type.Array(Type.String()),
  metadata: Metadata,
  category: Type.String(),
  average_rating: Type.Number(),
  rating_count: Type.Integer(),
  created_at: Type.String(),
  updated_at: Type.String(),
});
