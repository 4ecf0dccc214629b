import { createPrng } from '../seed/prng.ts';
import { CATEGORIES } from '../seed/vocabulary.ts';
import { averageRating } from '../db/rows.ts';
import { generateRatings, generateSkill, SEED_CLOCK_BASE } from '../seed/generate.ts';
import type { SeedResult } from '../seed/seed.ts';
import type { PostgresStore } from './store.ts';
import { searchLexemes } from './search.ts';

const BATCH = 500;

/**
 * The deterministic catalog of seed/seed.ts (same `count`, same rows) loaded into PostgreSQL in
 * one transaction, a few hundred rows per statement. Skipped when the catalog is not empty;
 * the advisory lock makes replicas started together with --seed load it once.
 */
export async function seedPostgres(store: PostgresStore, count: number, now: () => number = Date.now): Promise<SeedResult> {
  const started = now();
  return store.changes.transaction(async (tx) => {
    await tx.query('SELECT pg_advisory_xact_lock($1)', [0x73656564]); // "seed"
    const existing = Number((await tx.query<{ n: number }>('SELECT count(*) AS n FROM skills')).rows[0]?.n ?? 0);
    if (existing > 0) return { seeded: false, skills: existing, ratings: 0, categories: 0, ms: 0 };
    for (const [name, description] of CATEGORIES) {
      await tx.query(`INSERT INTO categories (name, description, icon_url, created_at, updated_at) VALUES ($1, $2, $3, $4, $4)
        ON CONFLICT (name) DO NOTHING`, [name, description, `https://icons.example.com/${name}.svg`, SEED_CLOCK_BASE]);
    }
    const rng = createPrng(count);
    const names = CATEGORIES.map(([name]) => name);
    const pool = Math.max(50, Math.floor(count / 4));
    let ratingRows = 0;
    for (let from = 0; from < count; from += BATCH) {
      const skills: unknown[][] = [];
      const ratings: unknown[][] = [];
      for (let i = from; i < Math.min(count, from + BATCH); i++) {
        const s = generateSkill(rng, i, count, names);
        const rs = generateRatings(rng, s, pool);
        const sum = rs.reduce((acc, r) => acc + r.rating, 0);
        const tags = JSON.stringify(s.tags);
        skills.push([s.skill_id, s.name, s.description, s.version, s.code, s.command, JSON.stringify(s.python_packages),
          JSON.stringify(s.npm_packages), tags, JSON.stringify(s.metadata), s.category, sum, rs.length,
          averageRating(sum, rs.length), s.created_at, s.updated_at, `{${searchLexemes(s.name, s.description, tags).map((w) => `"${w}"`).join(',')}}`]);
        for (const r of rs) ratings.push([r.rating_id, s.skill_id, r.user_id, r.rating, r.comment, r.created_at, r.updated_at]);
      }
      ratingRows += ratings.length;
      const columns = (rows: unknown[][], n: number) => Array.from({ length: n }, (_, c) => rows.map((r) => r[c]));
      await tx.query(`INSERT INTO skills (skill_id, name, description, version, code, command, python_packages, npm_packages, tags,
          metadata, category, rating_sum, rating_count, average_rating, created_at, updated_at, search)
        SELECT a, b, c, d, e, f, g, h, i, j, k, l, m, n, o, p, array_to_tsvector(q::text[]) FROM unnest(
          $1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[],
          $10::text[], $11::text[], $12::int[], $13::int[], $14::float8[], $15::bigint[], $16::bigint[], $17::text[])
          AS x(a, b, c, d, e, f, g, h, i, j, k, l, m, n, o, p, q)`, columns(skills, 17));
      if (ratings.length > 0) {
        await tx.query(`INSERT INTO ratings (rating_id, skill_ref, user_id, rating, comment, created_at, updated_at)
          SELECT x.a, s.id, x.c, x.d, x.e, x.f, x.g FROM unnest($1::text[], $2::text[], $3::text[], $4::int[], $5::text[],
            $6::bigint[], $7::bigint[]) AS x(a, b, c, d, e, f, g) JOIN skills s ON s.skill_id = x.b`, columns(ratings, 7));
      }
    }
    await tx.query('UPDATE categories SET skill_count = (SELECT count(*) FROM skills s WHERE s.category = categories.name)');
    // One seq for the whole import, without a message, as the SQLite seed does.
    await tx.query('UPDATE seq_counter SET value = value + 1');
    return { seeded: true, skills: count, ratings: ratingRows, categories: CATEGORIES.length, ms: now() - started };
  });
}
