// Junk at every endpoint: whatever arrives, the platform answers with a status below 500 and a
// JSON error body, and stays healthy. Real app, real SQLite file; inject skips the socket only.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { FastifyInstance } from 'fastify';
import { buildPlatformApp } from '../../src/platform/app.ts';
import { openPlatformDb } from '../../src/platform/db/open.ts';
import { seedCatalog } from '../../src/platform/seed/seed.ts';
import { ADMIN_TOKEN, DEV_TOKEN, cleanupTempDirs, tempDbPath } from './helpers.ts';

let app: FastifyInstance;
/** Every seeded skill id: random DELETEs remove some, ratings and reads pick among the rest. */
let knownSkills: string[] = [];
const knownSkill = fc.nat().map((i) => knownSkills[i % knownSkills.length] as string);
const knownSkillPath = () => '/api/v1/skills/KNOWN';

beforeAll(async () => {
  const dbPath = tempDbPath();
  const db = openPlatformDb(dbPath);
  seedCatalog(db, 60);
  knownSkills = db.prepare('SELECT skill_id FROM skills').pluck().all() as string[];
  db.close();
  app = buildPlatformApp({ db: dbPath, adminToken: ADMIN_TOKEN, rateLimit: { limit: 1_000_000 }, push: false });
  app.platform.store.tokens.register(DEV_TOKEN, 'fuzz', 'fuzz');
  await app.ready();
});
afterAll(async () => {
  await app.close();
  cleanupTempDirs();
});

const junkText = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'grapheme', maxLength: 20 }),
  fc.constantFrom('', ' ', '-1', '0', '1', '1e309', '99999999999999999999', 'NaN', 'null', 'true', '[]', '{}',
    '%', '%zz', '%00', '..', '../..', '"', "'", '\\', 'OR 1=1', '*', 'NEAR(a b)', '2026-01-01T00:00:00Z', 'W/"x"'),
);
const segment = fc.oneof(fc.uuid(), junkText.map(encodeURIComponent), fc.constantFrom('%zz', '%', '..', '%2F'));
const path = fc.oneof(
  fc.constantFrom('/api/v1/skills', '/api/v1/categories', '/api/v1/ratings', '/api/v1/tokens', '/health', '/metrics', '/api/v1', '/'),
  segment.map((s) => `/api/v1/skills/${s}`),
  segment.map((s) => `/api/v1/skills/${s}/install`),
  segment.map((s) => `/api/v1/categories/${s}`),
  segment.map((s) => `/api/v1/tokens/${s}`),
  fc.constant('/api/v1/skills/KNOWN'),
  fc.array(segment, { maxLength: 4 }).map((parts) => `/${parts.join('/')}`),
);
const queryKey = fc.oneof(
  fc.constantFrom('query', 'category', 'page', 'page_size', 'updated_since', 'cursor', 'include_deleted', 'token'),
  junkText,
);
const query = fc.array(fc.tuple(queryKey, junkText), { maxLength: 5 }).map((pairs) =>
  pairs.length === 0 ? '' : `?${pairs.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join('&')}`);
/** Mostly valid with one or two bad fields: the interesting inputs sit just beside the valid ones. */
const mostly = <T, U>(valid: fc.Arbitrary<T>, junk: fc.Arbitrary<U>) =>
  fc.oneof({ weight: 4, arbitrary: valid }, { weight: 1, arbitrary: junk });
const ratingish = fc.record({
  skill_id: mostly(knownSkill, fc.oneof(fc.uuid(), junkText)),
  rating: mostly(fc.integer({ min: 1, max: 5 }), fc.oneof(fc.integer({ min: -2, max: 8 }), fc.double(), junkText, fc.constant(null))),
  user_id: mostly(fc.string({ minLength: 1, maxLength: 20 }), fc.oneof(junkText, fc.constant(undefined))),
  comment: mostly(fc.string({ maxLength: 50 }), fc.oneof(junkText, fc.constant(null), fc.constant(undefined))),
  updated_at: mostly(fc.constant(undefined), fc.oneof(fc.date({ noInvalidDate: true }).map((d) => d.toISOString()), junkText)),
  client_rating_id: mostly(fc.constant(undefined), junkText),
}, { requiredKeys: ['skill_id', 'rating', 'user_id'] });
const skillish = fc.record({
  name: mostly(fc.string({ minLength: 1, maxLength: 30 }), junkText),
  category: fc.oneof(fc.constantFrom('automation', 'files'), junkText),
  tags: fc.oneof(fc.array(junkText, { maxLength: 3 }), junkText), metadata: fc.oneof(fc.object(), junkText),
  skill_id: fc.oneof(fc.uuid(), junkText), version: junkText, instance_id: junkText,
}, { requiredKeys: [] });
const body = fc.oneof(
  fc.constant(undefined),
  fc.jsonValue().map((v) => JSON.stringify(v)),
  { weight: 3, arbitrary: ratingish.map((v) => JSON.stringify(v)) },
  skillish.map((v) => JSON.stringify(v)),
  junkText,
);
const headers = fc.record({
  authorization: fc.oneof(
    { weight: 5, arbitrary: fc.constantFrom(`Bearer ${DEV_TOKEN}`, `Bearer ${ADMIN_TOKEN}`) },
    { weight: 1, arbitrary: fc.constantFrom('', 'Bearer', 'Basic x', `bearer ${DEV_TOKEN}`) },
    { weight: 1, arbitrary: junkText.map((t) => `Bearer ${t.replace(/[^\x21-\x7e]/g, '')}`) },
  ),
  'content-type': mostly(fc.constant('application/json'),
    fc.constantFrom('text/plain', 'application/x-www-form-urlencoded', 'application/json; charset=latin1', 'nonsense')),
  'if-none-match': junkText.map((t) => t.replace(/[^\x20-\x7e]/g, '')),
}, { requiredKeys: ['authorization', 'content-type'] });
const anyMethod = fc.constantFrom('GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'HEAD', 'OPTIONS');
/** Real routes with their own methods most of the time, so junk reaches validation and handlers. */
const route = fc.oneof(
  { weight: 3, arbitrary: fc.tuple(fc.constantFrom('GET'), fc.constantFrom('/api/v1/skills', '/api/v1/categories')) },
  { weight: 3, arbitrary: fc.tuple(fc.constantFrom('POST'), fc.constantFrom('/api/v1/ratings', '/api/v1/skills', '/api/v1/tokens', '/api/v1/categories')) },
  { weight: 3, arbitrary: fc.tuple(fc.constant('POST'), fc.constant('/api/v1/ratings')) },
  { weight: 2, arbitrary: fc.tuple(fc.constantFrom('GET', 'PUT', 'DELETE'), fc.oneof(fc.constant(knownSkillPath()), segment.map((x) => `/api/v1/skills/${x}`))) },
  { weight: 2, arbitrary: fc.tuple(anyMethod, path) },
);

describe('fuzz: every endpoint, junk input', () => {
  it('never answers 5xx, always answers errors as JSON {error, message}, and stays healthy', async () => {
    const seen = new Map<number, number>();
    await fc.assert(
      fc.asyncProperty(route, knownSkill, query, headers, body, async ([m, rawPath], known, q, h, b) => {
        const p = rawPath.replace('KNOWN', known);
        const res = await app.inject({
          method: m as never, url: `${p}${q}`, headers: h,
          ...(b !== undefined && m !== 'GET' && m !== 'HEAD' ? { payload: b } : {}),
        });
        seen.set(res.statusCode, (seen.get(res.statusCode) ?? 0) + 1);
        if (res.statusCode >= 500) throw new Error(`${m} ${p}${q} → ${res.statusCode} ${res.body}`);
        if (res.statusCode >= 400 && m !== 'HEAD') {
          const parsed = JSON.parse(res.body) as { error?: unknown; message?: unknown };
          if (typeof parsed.error !== 'string' || typeof parsed.message !== 'string') {
            throw new Error(`${m} ${p}${q} → ${res.statusCode} without {error, message}: ${res.body}`);
          }
        }
      }),
      // fast-check prints the seed of a failing run; pass it back here to replay it.
      { numRuns: 1000 },
    );
    // The junk got past authentication and into the routes, not only bounced off the edges.
    for (const status of [200, 201, 400, 401, 404]) expect(seen.get(status) ?? 0).toBeGreaterThan(5);
    const health = await app.inject({ method: 'GET', url: '/health' });
    expect(health.statusCode).toBe(200);
  }, 30_000);
});
