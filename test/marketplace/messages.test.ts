import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { parseMessage } from '../../src/marketplace/socket/messages.ts';
import { makeSkill } from '../support/skills.ts';

const msg = (value: unknown) => JSON.stringify(value);
const T = '2026-03-01T00:00:00.000Z';

describe('parseMessage', () => {
  it('accepts the four spec message types and ping, with or without seq', () => {
    expect(parseMessage(msg({ type: 'skill_update', data: makeSkill(1), timestamp: T, seq: 7 }))).toMatchObject({ ok: true, message: { type: 'skill_update', seq: 7 } });
    expect(parseMessage(msg({ type: 'category_update', data: { name: 'automation', description: 'd', skill_count: 3, updated_at: T } }))).toMatchObject({ ok: true, message: { seq: null } });
    expect(parseMessage(msg({ type: 'rating_update', data: { skill_id: 's', rating: 5, average_rating: 4.5, rating_count: 2, updated_at: T }, seq: 8 }))).toMatchObject({ ok: true });
    expect(parseMessage(msg({ type: 'skill_delete', data: { skill_id: 's', deleted_at: T }, seq: 9 }))).toMatchObject({ ok: true });
    expect(parseMessage(msg({ type: 'ping', timestamp: T }))).toEqual({ ok: true, message: { type: 'ping', seq: null } });
  });

  it('drops with a reason: malformed JSON, unknown types, a rating of 7, missing fields, oversize frames', () => {
    expect(parseMessage('{not json')).toMatchObject({ ok: false, reason: 'malformed' });
    expect(parseMessage(msg({ data: {} }))).toMatchObject({ ok: false, reason: 'malformed' });
    expect(parseMessage(msg({ type: 'skill_teleport', data: {} }))).toMatchObject({ ok: false, reason: 'unknown_type' });
    expect(parseMessage(msg({ type: 'rating_update', data: { skill_id: 's', rating: 7, average_rating: 4, rating_count: 1, updated_at: T } }))).toMatchObject({ ok: false, reason: 'invalid', detail: expect.stringMatching(/1 to 5/) });
    expect(parseMessage(msg({ type: 'skill_update', data: { skill_id: 'x' } }))).toMatchObject({ ok: false, reason: 'invalid' });
    expect(parseMessage(msg({ type: 'skill_update', data: makeSkill(1), seq: -1 }))).toMatchObject({ ok: false, reason: 'invalid' });
    expect(parseMessage(Buffer.alloc(2 * 1024 * 1024, 32))).toMatchObject({ ok: false, reason: 'too_large' });
  });

  it('is total: any text yields a message or a drop reason, never a throw', () => {
    const frames = fc.oneof(
      fc.string(),
      fc.json(),
      fc.record({ type: fc.constantFrom('skill_update', 'category_update', 'rating_update', 'skill_delete', 'ping', 'x'), data: fc.anything(), seq: fc.anything() }).map((v) => JSON.stringify(v)),
    );
    fc.assert(
      fc.property(frames, (frame) => {
        const parsed = parseMessage(frame);
        expect(typeof parsed.ok).toBe('boolean');
        if (!parsed.ok) expect(['too_large', 'malformed', 'unknown_type', 'invalid', 'rate_limited']).toContain(parsed.reason);
      }),
      { numRuns: 2000 },
    );
  });

  it('accepts exactly the ratings 1..5 in rating_update', () => {
    fc.assert(
      fc.property(fc.oneof(fc.integer({ min: -10, max: 15 }), fc.double()), (rating) => {
        const parsed = parseMessage(msg({ type: 'rating_update', data: { skill_id: 's', rating, average_rating: 3, rating_count: 1, updated_at: T } }));
        expect(parsed.ok).toBe(Number.isInteger(rating) && rating >= 1 && rating <= 5);
      }),
    );
  });
});

describe('parseMessage, properties over well-formed messages', () => {
  const time = fc.integer({ min: 0, max: Date.UTC(9999, 11, 31) }).map((ms) => new Date(ms).toISOString());
  const id = fc.string({ minLength: 1, maxLength: 128 });
  const text = fc.string({ maxLength: 40 });
  const skill = fc.record({
    skill_id: id, name: fc.string({ minLength: 1, maxLength: 40 }), description: text, version: text, code: text, command: text,
    python_packages: fc.array(text, { maxLength: 3 }), npm_packages: fc.array(text, { maxLength: 3 }), tags: fc.array(text, { maxLength: 3 }),
    metadata: fc.dictionary(text, fc.jsonValue(), { maxKeys: 3 }), category: text,
    average_rating: fc.double({ min: 0, max: 5, noNaN: true }), rating_count: fc.nat(), created_at: time, updated_at: time,
  });
  const category = fc.record({ name: id, description: text, skill_count: fc.nat(), icon_url: fc.option(text, { nil: null }), created_at: time, updated_at: time });
  const rating = fc.record({ skill_id: id, rating: fc.integer({ min: 1, max: 5 }), average_rating: fc.double({ min: 0, max: 5, noNaN: true }), rating_count: fc.nat(), updated_at: time });
  const tombstone = fc.record({ skill_id: id, deleted_at: time });
  const message = fc.oneof(
    skill.map((data) => ({ type: 'skill_update', data })),
    category.map((data) => ({ type: 'category_update', data })),
    rating.map((data) => ({ type: 'rating_update', data })),
    tombstone.map((data) => ({ type: 'skill_delete', data })),
  );
  const seq = fc.oneof(fc.constant(undefined), fc.constant(null), fc.nat(), fc.constant(Number.MAX_SAFE_INTEGER));

  it('accepts every well-formed message of each type, data and seq unchanged', () => {
    fc.assert(
      fc.property(message, seq, time, (m, s, timestamp) => {
        // JSON first: -0 and other values JSON cannot carry are not on the wire either.
        const wire = JSON.parse(JSON.stringify({ ...m, timestamp, ...(s === undefined ? {} : { seq: s }) }));
        const parsed = parseMessage(JSON.stringify(wire));
        expect(parsed).toEqual({ ok: true, message: { type: m.type, data: wire.data, seq: s ?? null } });
      }),
      { numRuns: 500 },
    );
  });

  it('accepts seq exactly when it is absent, null or a non-negative safe integer', () => {
    const anySeq = fc.oneof(fc.integer(), fc.double(), fc.string({ maxLength: 5 }), fc.boolean(), fc.constant(2 ** 53), fc.constant(-1), fc.constant([1]));
    fc.assert(
      fc.property(tombstone, anySeq, (data, s) => {
        const parsed = parseMessage(JSON.stringify({ type: 'skill_delete', data, seq: s }));
        const wire = JSON.parse(JSON.stringify({ seq: s })).seq;
        const valid = wire === undefined || wire === null || (typeof wire === 'number' && Number.isSafeInteger(wire) && wire >= 0);
        expect(parsed.ok).toBe(valid);
        if (!parsed.ok) expect(parsed.reason).toBe('invalid');
      }),
    );
  });

  it('refuses a frame as too_large exactly when it is over the byte limit, multi-byte text included', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 60 }), fc.integer({ min: 1, max: 200 }), (body, limit) => {
        const frame = JSON.stringify({ type: 'ping', note: body });
        const tooLarge = (parsed: ReturnType<typeof parseMessage>) => !parsed.ok && parsed.reason === 'too_large';
        expect(tooLarge(parseMessage(frame, limit))).toBe(Buffer.byteLength(frame) > limit);
        expect(tooLarge(parseMessage(Buffer.from(frame), limit))).toBe(Buffer.byteLength(frame) > limit);
      }),
    );
  });
});
