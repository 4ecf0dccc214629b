import type { RemoteCategory, RemoteSkill, SkillTombstone } from './types.ts';

// Pure shape checks of what the platform sends (HTTP pages and WebSocket messages go through the
// same ones). A value that fails is reported with the reason and dropped; it never reaches the store.

export type Checked<T> = { ok: true; value: T } | { ok: false; reason: string };

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isString = (v: unknown): v is string => typeof v === 'string';
const isStringArray = (v: unknown): v is string[] => Array.isArray(v) && v.every(isString);
const isTime = (v: unknown): v is string => isString(v) && Number.isFinite(Date.parse(v));
const MAX_ID = 128;

export function checkSkill(value: unknown): Checked<RemoteSkill> {
  if (!isObject(value)) return { ok: false, reason: 'skill is not an object' };
  const v = value;
  if (!isString(v.skill_id) || v.skill_id.length === 0 || v.skill_id.length > MAX_ID) return { ok: false, reason: 'skill_id missing or invalid' };
  if (!isString(v.name) || v.name.length === 0) return { ok: false, reason: `skill ${v.skill_id}: name missing` };
  if (!isTime(v.updated_at)) return { ok: false, reason: `skill ${v.skill_id}: updated_at is not a time` };
  for (const field of ['description', 'version', 'code', 'command', 'category'] as const) {
    if (v[field] !== undefined && !isString(v[field])) return { ok: false, reason: `skill ${v.skill_id}: ${field} is not a string` };
  }
  for (const field of ['python_packages', 'npm_packages', 'tags'] as const) {
    if (v[field] !== undefined && !isStringArray(v[field])) return { ok: false, reason: `skill ${v.skill_id}: ${field} is not a list of strings` };
  }
  if (v.metadata !== undefined && !isObject(v.metadata)) return { ok: false, reason: `skill ${v.skill_id}: metadata is not an object` };
  for (const field of ['average_rating', 'rating_count'] as const) {
    if (v[field] !== undefined && (typeof v[field] !== 'number' || !Number.isFinite(v[field]))) {
      return { ok: false, reason: `skill ${v.skill_id}: ${field} is not a number` };
    }
  }
  // Missing optional fields get their empty values, so the cache always holds the full spec shape.
  return {
    ok: true,
    value: {
      skill_id: v.skill_id,
      name: v.name,
      description: (v.description as string | undefined) ?? '',
      version: (v.version as string | undefined) ?? '',
      code: (v.code as string | undefined) ?? '',
      command: (v.command as string | undefined) ?? '',
      python_packages: (v.python_packages as string[] | undefined) ?? [],
      npm_packages: (v.npm_packages as string[] | undefined) ?? [],
      tags: (v.tags as string[] | undefined) ?? [],
      metadata: (v.metadata as Record<string, unknown> | undefined) ?? {},
      category: (v.category as string | undefined) ?? '',
      average_rating: (v.average_rating as number | undefined) ?? 0,
      rating_count: (v.rating_count as number | undefined) ?? 0,
      ...(isTime(v.created_at) ? { created_at: v.created_at } : {}),
      updated_at: v.updated_at,
    },
  };
}

export function checkCategory(value: unknown): Checked<RemoteCategory> {
  if (!isObject(value)) return { ok: false, reason: 'category is not an object' };
  if (!isString(value.name) || value.name.length === 0 || value.name.length > MAX_ID) return { ok: false, reason: 'category name missing or invalid' };
  if (value.description !== undefined && !isString(value.description)) return { ok: false, reason: `category ${value.name}: description is not a string` };
  if (value.skill_count !== undefined && (typeof value.skill_count !== 'number' || !Number.isInteger(value.skill_count))) {
    return { ok: false, reason: `category ${value.name}: skill_count is not an integer` };
  }
  if (value.updated_at !== undefined && !isTime(value.updated_at)) return { ok: false, reason: `category ${value.name}: updated_at is not a time` };
  return {
    ok: true,
    value: {
      name: value.name,
      description: (value.description as string | undefined) ?? '',
      skill_count: (value.skill_count as number | undefined) ?? 0,
      icon_url: isString(value.icon_url) ? value.icon_url : null,
      ...(isTime(value.created_at) ? { created_at: value.created_at } : {}),
      ...(isTime(value.updated_at) ? { updated_at: value.updated_at } : {}),
    },
  };
}

export function checkTombstone(value: unknown): Checked<SkillTombstone> {
  if (!isObject(value)) return { ok: false, reason: 'tombstone is not an object' };
  if (!isString(value.skill_id) || value.skill_id.length === 0 || value.skill_id.length > MAX_ID) return { ok: false, reason: 'tombstone skill_id missing or invalid' };
  if (!isTime(value.deleted_at)) return { ok: false, reason: `tombstone ${value.skill_id}: deleted_at is not a time` };
  return { ok: true, value: { skill_id: value.skill_id, deleted_at: value.deleted_at } };
}

/** Keeps the values that pass `check`, and the reasons for those that did not. */
export function partition<T>(values: readonly unknown[], check: (v: unknown) => Checked<T>): { valid: T[]; rejected: string[] } {
  const valid: T[] = [];
  const rejected: string[] = [];
  for (const value of values) {
    const checked = check(value);
    if (checked.ok) valid.push(checked.value);
    else rejected.push(checked.reason);
  }
  return { valid, rejected };
}
