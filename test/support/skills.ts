import type { RemoteSkill } from '../../src/contract/wire-types.ts';

/** A valid remote skill; `n` makes ids and names distinct and stable. */
export function makeSkill(n: number, overrides: Partial<RemoteSkill> = {}): RemoteSkill {
  const id = `00000000-0000-4000-8000-${n.toString(16).padStart(12, '0')}`;
  return {
    skill_id: id,
    name: `Skill ${n}`,
    description: `Does thing ${n}`,
    version: '1.0.0',
    code: `def skill_${n}():\n    return ${n}`,
    command: 'python',
    python_packages: ['requests'],
    npm_packages: [],
    tags: ['demo', `t${n % 7}`],
    metadata: { author: 'test' },
    category: `cat-${n % 5}`,
    average_rating: 4,
    rating_count: 2,
    created_at: '2026-01-01T00:00:00.000Z',
    updated_at: '2026-01-15T10:30:00.000Z',
    ...overrides,
  };
}

export const iso = (ms: number): string => new Date(ms).toISOString();
