import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { JOURNAL_PAYLOAD_LIMIT, journalPayload, pseudonymise, sanitizeContext } from '../../src/runtime/sanitize.ts';

const TOKEN = 'tok_live_0123456789abcdef';

describe('the one sanitiser of actor context, journal events and traces', () => {
  it('masks secret-named keys, scrubs known secrets and tokens in URLs, hashes user ids, drops stacks and functions', () => {
    const error = Object.assign(new Error(`GET https://api.example/v1?api_token=${TOKEN} failed (Bearer ${TOKEN})`), { kind: 'transient', status: 503 });
    const { value, json } = journalPayload({
      type: 'xstate.error.actor.uploadRatings',
      error,
      ratings: [{ userId: 'alice@example.com', skillId: 's1' }],
      user_id: 42,
      apiToken: TOKEN,
      callback: () => 1,
    }, [TOKEN]);
    expect(json).not.toContain(TOKEN);
    expect(json).not.toContain('alice@example.com');
    expect(json).not.toContain('stack');
    expect(value).toMatchObject({
      type: 'xstate.error.actor.uploadRatings',
      error: { type: 'Error', kind: 'transient', status: 503 },
      ratings: [{ userId: pseudonymise('alice@example.com'), skillId: 's1' }],
      user_id: pseudonymise('42'),
      apiToken: '***',
    });
    expect(value).not.toHaveProperty('callback');
  });

  it('is idempotent, so a replayed context sanitised again reads as the recorded one', () => {
    fc.assert(fc.property(fc.string(), fc.dictionary(fc.string(), fc.jsonValue()), (userId, rest) => {
      const once = sanitizeContext({ ...rest, userId }, [TOKEN]);
      expect(sanitizeContext(once, [TOKEN])).toEqual(once);
    }));
  });

  it('cuts a payload past the bound to its type and a marker, and a context to the marker', () => {
    const big = 'x'.repeat(JOURNAL_PAYLOAD_LIMIT);
    expect(journalPayload({ type: 'xstate.done.actor.runSync', output: big }, []).value).toEqual({ type: 'xstate.done.actor.runSync', truncated: true });
    expect(journalPayload({ notes: big }, []).value).toEqual({ truncated: true });
    fc.assert(fc.property(fc.jsonValue(), (payload) => {
      expect(journalPayload({ type: 't', payload }, []).json.length).toBeLessThanOrEqual(JOURNAL_PAYLOAD_LIMIT);
    }));
  });
});
