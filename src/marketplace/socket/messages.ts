import type { RatingUpdate, RemoteCategory, RemoteSkill, SkillTombstone } from '../../contract/wire-types.ts';
import { checkCategory, checkSkill, checkTombstone, type Checked } from '../validate.ts';

// Server → agent WebSocket messages (spec 000 "Message Types", plus the platform's `seq`), parsed and
// validated as a pure function. Whatever fails is dropped with a reason and counted by the caller.

export type InboundMessage =
  | { type: 'skill_update'; data: RemoteSkill; seq: number | null }
  | { type: 'category_update'; data: RemoteCategory; seq: number | null }
  | { type: 'rating_update'; data: RatingUpdate; seq: number | null }
  | { type: 'skill_delete'; data: SkillTombstone; seq: number | null }
  | { type: 'ping'; seq: null };

export type DropReason = 'too_large' | 'malformed' | 'unknown_type' | 'invalid' | 'rate_limited';

export type ParsedMessage = { ok: true; message: InboundMessage } | { ok: false; reason: DropReason; detail: string };

/** Spec 000 "Rate Limiting (WebSocket)": 1 MB per message. */
export const MAX_MESSAGE_BYTES = 1024 * 1024;

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

export function checkRatingUpdate(value: unknown): Checked<RatingUpdate> {
  if (!isObject(value)) return { ok: false, reason: 'rating_update data is not an object' };
  const { skill_id, rating, average_rating, rating_count, updated_at } = value;
  if (typeof skill_id !== 'string' || skill_id.length === 0 || skill_id.length > 128) return { ok: false, reason: 'rating_update: skill_id missing or invalid' };
  if (typeof rating !== 'number' || !Number.isInteger(rating) || rating < 1 || rating > 5) return { ok: false, reason: `rating_update ${skill_id}: rating must be an integer from 1 to 5` };
  if (typeof average_rating !== 'number' || !(average_rating >= 0 && average_rating <= 5)) return { ok: false, reason: `rating_update ${skill_id}: average_rating must be within 0..5` };
  if (typeof rating_count !== 'number' || !Number.isInteger(rating_count) || rating_count < 0) return { ok: false, reason: `rating_update ${skill_id}: rating_count must be a non-negative integer` };
  if (typeof updated_at !== 'string' || !Number.isFinite(Date.parse(updated_at))) return { ok: false, reason: `rating_update ${skill_id}: updated_at is not a time` };
  return { ok: true, value: { skill_id, rating, average_rating, rating_count, updated_at } };
}

/** Parses one frame. Total: any bytes give a message or a drop reason, never a throw. */
export function parseMessage(frame: string | Buffer, maxBytes = MAX_MESSAGE_BYTES): ParsedMessage {
  const size = typeof frame === 'string' ? Buffer.byteLength(frame) : frame.length;
  if (size > maxBytes) return { ok: false, reason: 'too_large', detail: `${size} bytes` };
  let value: unknown;
  try {
    value = JSON.parse(typeof frame === 'string' ? frame : frame.toString('utf8'));
  } catch {
    return { ok: false, reason: 'malformed', detail: 'not JSON' };
  }
  if (!isObject(value) || typeof value.type !== 'string') return { ok: false, reason: 'malformed', detail: 'no message type' };
  if (value.type === 'ping') return { ok: true, message: { type: 'ping', seq: null } };
  const seq = value.seq === undefined || value.seq === null ? null : value.seq;
  if (seq !== null && (typeof seq !== 'number' || !Number.isSafeInteger(seq) || seq < 0)) return { ok: false, reason: 'invalid', detail: 'seq is not a non-negative integer' };
  const checked = (() => {
    switch (value.type) {
      case 'skill_update': return checkSkill(value.data);
      case 'category_update': return checkCategory(value.data);
      case 'rating_update': return checkRatingUpdate(value.data);
      case 'skill_delete': return checkTombstone(value.data);
      default: return undefined;
    }
  })();
  if (checked === undefined) return { ok: false, reason: 'unknown_type', detail: String(value.type).slice(0, 40) };
  if (!checked.ok) return { ok: false, reason: 'invalid', detail: checked.reason };
  return { ok: true, message: { type: value.type, data: checked.value, seq } as InboundMessage };
}
