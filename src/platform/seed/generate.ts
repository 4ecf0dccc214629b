import type { Skill } from '../db/rows.ts';
import type { Prng } from './prng.ts';
import {
  AUTHORS, COMMENTS, LICENSES, NPM_PACKAGES, OBJECTS, PYTHON_PACKAGES, QUALIFIERS, TAGS, VERBS,
} from './vocabulary.ts';

/** 2026-01-01T00:00:00Z: seeded timestamps never depend on when the seed ran. */
export const SEED_CLOCK_BASE = Date.UTC(2026, 0, 1);
const DAY = 86_400_000;
/** Skills are created over this span after the base, then edited within EDIT_SPAN. */
const CREATE_SPAN = 240 * DAY;
const EDIT_SPAN = 30 * DAY;

/** A generated skill before ratings: the spec shape with times as epoch ms. */
export type SeedSkill = Omit<Skill, 'average_rating' | 'rating_count' | 'created_at' | 'updated_at'> & {
  created_at: number;
  updated_at: number;
};

export interface SeedRating {
  rating_id: string;
  user_id: string;
  rating: number;
  comment: string | null;
  created_at: number;
  updated_at: number;
}

/** The i-th of `total` skills; spread evenly over the creation span so the catalog has a history. */
export function generateSkill(rng: Prng, i: number, total: number, categories: readonly string[]): SeedSkill {
  const verb = rng.pick(VERBS);
  const object = rng.pick(OBJECTS);
  const qualifier = rng.pick(QUALIFIERS);
  const name = [verb, object, qualifier].filter(Boolean).join(' ');
  const category = rng.pick(categories);
  const command = rng.next() < 0.6 ? 'python' : rng.next() < 0.8 ? 'node' : 'bash';
  const fn = `${verb}_${object}`.toLowerCase().replace(/[^a-z0-9]+/g, '_');
  const tags = rng.sample(TAGS, rng.int(2, 5));
  const created = SEED_CLOCK_BASE + Math.floor((i / Math.max(total, 1)) * CREATE_SPAN) + rng.int(0, 3_600_000);
  const updated = rng.next() < 0.4 ? created : created + rng.int(1, EDIT_SPAN);
  return {
    skill_id: rng.uuid(),
    name,
    description: `${verb} ${object.toLowerCase()}${qualifier ? ` ${qualifier.toLowerCase()}` : ''}. ` +
      `Handles ${rng.pick(TAGS)} and ${rng.pick(TAGS)} cases; part of the ${category} collection.`,
    version: `${rng.int(0, 3)}.${rng.int(0, 12)}.${rng.int(0, 20)}`,
    code: codeFor(command, fn, object),
    command,
    python_packages: command === 'python' ? rng.sample(PYTHON_PACKAGES, rng.int(0, 4)) : [],
    npm_packages: command === 'node' ? rng.sample(NPM_PACKAGES, rng.int(0, 4)) : [],
    tags,
    metadata: {
      author: rng.pick(AUTHORS),
      license: rng.pick(LICENSES),
      documentation_url: `https://docs.example.com/skills/${fn}`,
      examples: [
        {
          description: `${verb} one ${object.toLowerCase()}`,
          input: { source: `${object.toLowerCase().replace(/ /g, '-')}-${rng.int(1, 999)}` },
          output: { success: true },
        },
      ],
    },
    category,
    created_at: created,
    updated_at: updated,
  };
}

/** Most skills have a few ratings, a few have many: ratings cluster around 4. */
export function generateRatings(rng: Prng, skill: SeedSkill, userPool: number): SeedRating[] {
  const count = Math.floor(rng.next() ** 3 * 13);
  const firstUser = rng.int(0, userPool - 1);
  const out: SeedRating[] = [];
  for (let k = 0; k < count; k++) {
    // Consecutive users in a ring: distinct within a skill, as the (skill, user) key requires.
    const user = (firstUser + k) % userPool;
    const at = skill.created_at + rng.int(0, Math.max(0, skill.updated_at - skill.created_at));
    out.push({
      rating_id: rng.uuid(),
      user_id: `user-${user}@example.com`,
      rating: Math.min(5, Math.max(1, Math.round(4 + (rng.next() - 0.6) * 3))),
      comment: rng.pick(COMMENTS),
      created_at: at,
      updated_at: at,
    });
  }
  return out;
}

function codeFor(command: string, fn: string, object: string): string {
  if (command === 'python') {
    return [
      `def ${fn}(source, options=None):`,
      `    """${object}: read the input, apply the options, return a result dict."""`,
      '    options = options or {}',
      '    items = source if isinstance(source, list) else [source]',
      '    results = [dict(item=i, ok=True) for i in items]',
      "    return {'success': True, 'count': len(results), 'results': results}",
      '',
    ].join('\n');
  }
  if (command === 'node') {
    const camel = fn.replace(/_([a-z0-9])/g, (_m, c: string) => c.toUpperCase());
    return [
      `export async function ${camel}(source, options = {}) {`,
      `  // ${object}: read the input, apply the options, return a result object.`,
      '  const items = Array.isArray(source) ? source : [source];',
      '  const results = items.map((item) => ({ item, ok: true }));',
      '  return { success: true, count: results.length, results };',
      '}',
      '',
    ].join('\n');
  }
  return [`#!/usr/bin/env bash`, `# ${object}: process each argument`, 'set -euo pipefail', 'for item in "$@"; do', '  echo "ok $item"', 'done', ''].join('\n');
}
