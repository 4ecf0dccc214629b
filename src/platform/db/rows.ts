// Row shapes as stored and the API objects of spec 000 they map to. Times are stored as epoch ms.

import type { RemoteSkill } from '../../contract/wire-types.ts';

export interface SkillRow {
  id: number;
  skill_id: string;
  name: string;
  description: string;
  version: string;
  code: string;
  command: string;
  python_packages: string;
  npm_packages: string;
  tags: string;
  metadata: string;
  category: string;
  rating_sum: number;
  rating_count: number;
  average_rating: number;
  created_at: number;
  updated_at: number;
}

/** A skill exactly as spec 000 lists it: the wire type the agent reads, with created_at always set. */
export type Skill = RemoteSkill & { created_at: string };

export interface CategoryRow {
  name: string;
  description: string;
  icon_url: string | null;
  skill_count: number;
  created_at: number;
  updated_at: number;
}

export interface Category {
  name: string;
  description: string;
  skill_count: number;
  icon_url: string | null;
  created_at: string;
  updated_at: string;
}

export interface Tombstone {
  skill_id: string;
  deleted_at: string;
}

export const SKILL_COLUMNS =
  'id, skill_id, name, description, version, code, command, python_packages, npm_packages, tags, metadata, category, rating_sum, rating_count, average_rating, created_at, updated_at';

/** Epoch ms → the same ISO 8601 text as Date#toISOString, computed by SQLite. */
export function isoSql(expr: string): string {
  return `strftime('%Y-%m-%dT%H:%M:%fZ', ${expr} / 1000.0, 'unixepoch')`;
}

/**
 * A skill as spec 000 JSON, built by SQLite: listings send these strings as they are instead of
 * decoding 17 columns per row into objects and serializing them again (a third of the time of a
 * 100-skill page). The field list here is the allow-list; tests hold it equal to SkillSchema and
 * to skillFromRow's output.
 */
export function skillJsonSql(a: string): string {
  return `json_object('skill_id', ${a}.skill_id, 'name', ${a}.name, 'description', ${a}.description,
    'version', ${a}.version, 'code', ${a}.code, 'command', ${a}.command,
    'python_packages', json(${a}.python_packages), 'npm_packages', json(${a}.npm_packages),
    'tags', json(${a}.tags), 'metadata', json(${a}.metadata), 'category', ${a}.category,
    'average_rating', ${a}.average_rating, 'rating_count', ${a}.rating_count,
    'created_at', ${isoSql(`${a}.created_at`)}, 'updated_at', ${isoSql(`${a}.updated_at`)})`;
}

export function iso(ms: number): string {
  return new Date(ms).toISOString();
}

/** Two decimals, as spec 000 shows (4.5, 4.7); 0 when unrated. */
export function averageRating(sum: number, count: number): number {
  return count === 0 ? 0 : Math.round((sum / count) * 100) / 100;
}

export function skillFromRow(row: SkillRow): Skill {
  return {
    skill_id: row.skill_id,
    name: row.name,
    description: row.description,
    version: row.version,
    code: row.code,
    command: row.command,
    python_packages: JSON.parse(row.python_packages) as string[],
    npm_packages: JSON.parse(row.npm_packages) as string[],
    tags: JSON.parse(row.tags) as string[],
    metadata: JSON.parse(row.metadata) as Record<string, unknown>,
    category: row.category,
    average_rating: row.average_rating,
    rating_count: row.rating_count,
    created_at: iso(row.created_at),
    updated_at: iso(row.updated_at),
  };
}

export function categoryFromRow(row: CategoryRow): Category {
  return {
    name: row.name,
    description: row.description,
    skill_count: row.skill_count,
    icon_url: row.icon_url,
    created_at: iso(row.created_at),
    updated_at: iso(row.updated_at),
  };
}

/**
 * The next updated_at of a row: now, but always at least 1 ms after the previous value, so that
 * updated_at strictly increases per row even when two writes land in the same millisecond
 * (or the clock steps back), and keyset cursors never see a row move backwards.
 */
export function nextTimestamp(now: number, previous: number): number {
  return Math.max(now, previous + 1);
}
