// Wire types of the Atom SaaS platform API (spec 000): what the platform sends and the agent receives.

/** A skill as GET /api/v1/skills and the `skill_update` message carry it. */
export interface RemoteSkill {
  skill_id: string;
  name: string;
  description: string;
  version: string;
  code: string;
  command: string;
  python_packages: string[];
  npm_packages: string[];
  tags: string[];
  metadata: Record<string, unknown>;
  category: string;
  average_rating: number;
  rating_count: number;
  created_at?: string;
  updated_at: string;
}

/** A category as GET /api/v1/categories and the `category_update` message carry it. */
export interface RemoteCategory {
  name: string;
  description: string;
  skill_count: number;
  icon_url?: string | null;
  created_at?: string;
  updated_at?: string;
}

/** A deletion seen by an incremental sync (`include_deleted=true`) or a `skill_delete` message. */
export interface SkillTombstone {
  skill_id: string;
  deleted_at: string;
}

/** The `rating_update` message's data: a rating and the skill's new aggregate. */
export interface RatingUpdate {
  skill_id: string;
  rating: number;
  average_rating: number;
  rating_count: number;
  updated_at: string;
}
