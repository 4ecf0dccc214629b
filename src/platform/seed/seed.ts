import type { Db } from '../db/open.ts';
import { createChanges, NO_BROADCAST } from '../db/seq.ts';
import { createPrng } from './prng.ts';
import { CATEGORIES } from './vocabulary.ts';
import { bulkLoad } from './bulk-load.ts';
import { averageRating } from '../db/rows.ts';
import { generateRatings, generateSkill, SEED_CLOCK_BASE } from './generate.ts';

export interface SeedResult {
  /** False when the database already had skills: seeding never mixes into an existing catalog. */
  seeded: boolean;
  skills: number;
  ratings: number;
  categories: number;
  ms: number;
}

/** Rating users are drawn from a pool that grows with the catalog, as a real audience would. */
const userPoolFor = (n: number): number => Math.max(50, Math.floor(n / 4));

/**
 * Fills an empty database with a deterministic catalog: the same `count` gives byte-identical
 * rows (ids, text, timestamps, ratings). One bulk-load transaction and prepared statements keep
 * 100,000 skills within seconds.
 */
export function seedCatalog(db: Db, count: number, now: () => number = Date.now): SeedResult {
  const started = now();
  const existing = db.prepare('SELECT count(*) FROM skills').pluck().get() as number;
  if (existing > 0) return { seeded: false, skills: existing, ratings: 0, categories: 0, ms: 0 };
  const rng = createPrng(count);
  const insertCategory = db.prepare(
    'INSERT OR IGNORE INTO categories (name, description, icon_url, created_at, updated_at) VALUES (?, ?, ?, ?, ?)',
  );
  const insertSkill = db.prepare(
    `INSERT INTO skills (skill_id, name, description, version, code, command, python_packages, npm_packages, tags,
       metadata, category, rating_sum, rating_count, average_rating, created_at, updated_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const insertRating = db.prepare(
    `INSERT INTO ratings (rating_id, skill_ref, user_id, rating, comment, created_at, updated_at)
     VALUES (?, ?, ?, ?, ?, ?, ?)`,
  );
  let ratingRows = 0;
  bulkLoad(db, () => {
    for (const [name, description] of CATEGORIES) {
      insertCategory.run(name, description, `https://icons.example.com/${name}.svg`, SEED_CLOCK_BASE, SEED_CLOCK_BASE);
    }
    const names = CATEGORIES.map(([name]) => name);
    const pool = userPoolFor(count);
    for (let i = 0; i < count; i++) {
      const s = generateSkill(rng, i, count, names);
      const ratings = generateRatings(rng, s, pool);
      const sum = ratings.reduce((acc, r) => acc + r.rating, 0);
      const { lastInsertRowid } = insertSkill.run(s.skill_id, s.name, s.description, s.version, s.code, s.command,
        JSON.stringify(s.python_packages), JSON.stringify(s.npm_packages), JSON.stringify(s.tags),
        JSON.stringify(s.metadata), s.category, sum, ratings.length, averageRating(sum, ratings.length), s.created_at, s.updated_at);
      for (const r of ratings) {
        insertRating.run(r.rating_id, lastInsertRowid, r.user_id, r.rating, r.comment, r.created_at, r.updated_at);
      }
      ratingRows += ratings.length;
    }
    db.exec('UPDATE categories SET skill_count = (SELECT count(*) FROM skills s WHERE s.category = categories.name)');
  });
  // One seq for the whole import, without a message: a client sees the gap and catches up,
  // and every ETag issued before the import stops matching.
  createChanges(db, () => NO_BROADCAST, () => undefined).bump();
  db.pragma('optimize');
  return { seeded: true, skills: count, ratings: ratingRows, categories: CATEGORIES.length, ms: now() - started };
}
