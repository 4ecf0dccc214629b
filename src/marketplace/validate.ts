import { jsonDepthExceeds, MAX_JSON_DEPTH } from './json-depth.ts';
import type { RemoteCategory, RemoteSkill, SkillTombstone } from '../contract/wire-types.ts';

// Pure shape checks of what the platform sends (HTTP pages and WebSocket messages go through the
// same ones). A value that fails is reported with the reason and dropped; it never reaches the store.
// Every check is total and deterministic: the same value always passes or always fails, whatever
// its shape (null, a number, an array, 100,000 levels of nesting).

export type Checked<T> = { ok: true; value: T } | { ok: false; reason: string };

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isString = (v: unknown): v is string => typeof v === 'string';
const isStringArray = (v: unknown): v is string[] => Array.isArray(v) && v.every(isString);
/**
 * An ISO 8601 date-time with a time zone, as spec 000 sends. Date.parse alone is too lenient (V8
 * reads "1" or "May 5" as dates), which would let a garbled time reorder the cache.
 */
const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})$/;
const isTime = (v: unknown): v is string => isString(v) && ISO_TIME.test(v) && Number.isFinite(Date.parse(v));
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
  // Deeper metadata could not be stored and listed again (json-depth.ts).
  if (v.metadata !== undefined && jsonDepthExceeds(v.metadata)) return { ok: false, reason: `skill ${v.skill_id}: metadata nests deeper than ${MAX_JSON_DEPTH} levels` };
  if (v.average_rating !== undefined && (typeof v.average_rating !== 'number' || !Number.isFinite(v.average_rating))) {
    return { ok: false, reason: `skill ${v.skill_id}: average_rating is not a number` };
  }
  if (v.rating_count !== undefined && (!Number.isSafeInteger(v.rating_count) || (v.rating_count as number) < 0)) {
    return { ok: false, reason: `skill ${v.skill_id}: rating_count is not a count` };
  }
  if (v.created_at !== undefined && v.created_at !== null && !isTime(v.created_at)) return { ok: false, reason: `skill ${v.skill_id}: created_at is not a time` };
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

/** The envelope of one GET /api/v1/skills page, its entries not yet checked. */
export interface ListingEnvelope {
  skills: unknown[];
  deleted: unknown[];
  /** null at the end of a cursor listing; undefined when the platform has no cursor support. */
  nextCursor: string | null | undefined;
  page: number | undefined;
  totalPages: number | undefined;
  total: number;
}

const MAX_CURSOR = 4096;
const isCount = (v: unknown): v is number => Number.isSafeInteger(v) && (v as number) >= 0;

/**
 * The fields paging goes by, checked before any entry is: a page whose envelope is wrong cannot be
 * trusted to say where the listing goes next or how long it is, so it fails as a whole (`invalid`).
 * `total` is required (spec 000): it is what tells a listing that ended early from a complete one.
 */
export function checkListingEnvelope(body: unknown): Checked<ListingEnvelope> {
  if (!isObject(body)) return { ok: false, reason: 'the listing is not an object' };
  if (!Array.isArray(body.skills)) return { ok: false, reason: 'skills is not a list' };
  if (body.deleted !== undefined && !Array.isArray(body.deleted)) return { ok: false, reason: 'deleted is not a list' };
  if (!isCount(body.total)) return { ok: false, reason: 'total is missing or not a count' };
  if (body.page !== undefined && (!isCount(body.page) || body.page < 1)) return { ok: false, reason: 'page is not a page number' };
  if (body.total_pages !== undefined && !isCount(body.total_pages)) return { ok: false, reason: 'total_pages is not a count' };
  const cursor = body.next_cursor;
  if (cursor !== undefined && cursor !== null && !(isString(cursor) && cursor.length > 0 && cursor.length <= MAX_CURSOR)) {
    return { ok: false, reason: 'next_cursor is neither null nor a cursor' };
  }
  return {
    ok: true,
    value: {
      skills: body.skills,
      deleted: (body.deleted as unknown[] | undefined) ?? [],
      nextCursor: cursor as string | null | undefined,
      page: body.page as number | undefined,
      totalPages: body.total_pages as number | undefined,
      total: body.total,
    },
  };
}
