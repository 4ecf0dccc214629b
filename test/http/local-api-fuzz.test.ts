// fast-check fuzz of the local API's bodies: deep nesting, prototype keys and odd Unicode (lone
// surrogates as JSON escapes, raw bytes that are not UTF-8). The shell must never answer 5xx, a
// refusal (4xx) must leave the store as it was, and whatever was accepted must still list.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { Agent } from '../../src/runtime/create-agent.ts';
import { makeSkill } from '../support/skills.ts';
import { useShells, type Request } from './helpers.ts';

const storeState = (agent: Agent) => JSON.stringify([
  agent.store.db.prepare('SELECT * FROM skill_cache ORDER BY skill_id').all(),
  agent.store.db.prepare('SELECT * FROM skill_rating').all(),
]);

/** A JSON string literal with odd content: lone surrogates, NUL, BOM, astral characters, escapes. */
const oddString: fc.Arbitrary<string> = fc.array(fc.oneof(
  fc.integer({ min: 0xd800, max: 0xdfff }).map((u) => `\\u${u.toString(16)}`),
  fc.constantFrom('\\u0000', '\\ufeff', '\\u2028', '😀', '\\ud83d\\ude00', 'é', '\\"', '\\\\', 'a', '%ff', '<script>'),
  fc.string({ maxLength: 5, unit: 'binary' }).map((s) => JSON.stringify(s).slice(1, -1)),
), { maxLength: 12 }).map((parts) => `"${parts.join('')}"`);

/** A JSON value nested `depth` levels (objects and arrays mixed), sometimes carrying a prototype key. */
const nestedValue: fc.Arbitrary<string> = fc.record({
  depth: fc.oneof(fc.integer({ min: 0, max: 70 }), fc.integer({ min: 900, max: 6_000 })),
  arrays: fc.boolean(),
  poison: fc.constantFrom('', '"__proto__":{"polluted":1},', '"constructor":{"prototype":{"polluted":1}},'),
  leaf: oddString,
}).map(({ depth, arrays, poison, leaf }) => {
  const open = arrays ? '[' : `{${poison}"k":`;
  const close = arrays ? ']' : '}';
  return open.repeat(depth) + leaf + close.repeat(depth);
});

/** The body of one local API write, as text, with its route. */
const write = (id: string): fc.Arbitrary<{ method: 'PATCH' | 'POST'; url: string; text: string }> => fc.oneof(
  fc.tuple(oddString, nestedValue, fc.constantFrom('', '"__proto__":{"x":1},')).map(([description, metadata, poison]) =>
    ({ method: 'PATCH' as const, url: `/api/skills/${id}`, text: `{${poison}"description":${description},"metadata":{"m":${metadata}}}` })),
  fc.tuple(oddString, oddString, fc.integer({ min: 0, max: 6 })).map(([user, comment, rating]) =>
    ({ method: 'POST' as const, url: `/api/skills/${id}/ratings`, text: `{"user_id":${user},"rating":${rating},"comment":${comment}}` })),
  fc.tuple(fc.integer({ min: 2, max: 1_000_000 }), oddString, nestedValue).map(([n, name, metadata]) => {
    const skill = JSON.stringify(makeSkill(n)).replace('{"author":"test"}', `{"m":${metadata}}`).replace('"name":"Skill', `"name":${name.slice(0, -1)} Skill`);
    return { method: 'POST' as const, url: '/api/skills/import', text: `{"skills":[${skill}]}` };
  }),
);

/** Some bodies go out with bytes that are not UTF-8 in place of an 'a'. */
const encode = (text: string, rawBytes: boolean): Buffer => {
  const buffer = Buffer.from(text, 'utf8');
  if (!rawBytes) return buffer;
  const at = buffer.indexOf('a');
  return at < 0 ? buffer : Buffer.concat([buffer.subarray(0, at), Buffer.from([0xff, 0xc0, 0x80]), buffer.subarray(at + 1)]);
};

async function expectStillListing(request: Request, id: string): Promise<void> {
  expect((await request({ method: 'GET', url: '/api/skills?page_size=100' })).statusCode).toBe(200);
  expect((await request({ method: 'GET', url: `/api/skills/${id}` })).statusCode).toBe(200);
  expect((await request({ method: 'GET', url: '/api/skills?query=Skill' })).statusCode).toBe(200);
}

describe('fuzzed local API bodies', () => {
  const shell = useShells();

  it('never answer 5xx; a refusal changes nothing; what is accepted still lists', async () => {
    const { request, agent } = await shell();
    const skill = makeSkill(1);
    agent.store.skills.upsert(skill, agent.clock.now(), 'local');
    const seen = { accepted: 0, refused: 0 };
    await fc.assert(fc.asyncProperty(write(skill.skill_id), fc.boolean(), async (body, rawBytes) => {
      const before = storeState(agent);
      const res = await request({ method: body.method, url: body.url, headers: { 'content-type': 'application/json' }, payload: encode(body.text, rawBytes) });
      expect(res.statusCode, `${body.method} ${body.url}: ${res.body}`).toBeLessThan(500);
      expect(Object.keys(res.json()).sort()).toEqual(expect.arrayContaining(res.statusCode >= 400 ? ['error', 'message'] : []));
      if (res.statusCode >= 400) {
        seen.refused += 1;
        expect(storeState(agent), `${body.method} ${body.url} was refused (${res.statusCode}) but wrote`).toBe(before);
      } else {
        seen.accepted += 1;
      }
      await expectStillListing(request, skill.skill_id);
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    }), { numRuns: 150 });
    // Both sides of the property were exercised.
    expect(seen.accepted).toBeGreaterThan(0);
    expect(seen.refused).toBeGreaterThan(0);
  });
});
