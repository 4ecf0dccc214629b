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
