import type { Agent } from '../../runtime/create-agent.ts';

// `count(*)` over skill_cache walks the whole table: ~0.05 ms at rest, but ~1 ms and more while a sync
// writes (every page read consults the growing WAL). Status is polled (spec 004's runbooks, dashboards,
// load balancers), so the counts are read at most once per MAX_AGE_MS and shared.

const MAX_AGE_MS = 1000;

interface Counts {
  skills_count: number;
  categories_count: number;
}

const cached = new WeakMap<Agent, { at: number; counts: Counts }>();

/** The cache's sizes, at most a second old. */
export function cacheCounts(agent: Agent, now: number = performance.now()): Counts {
  const hit = cached.get(agent);
  if (hit && now - hit.at < MAX_AGE_MS && now >= hit.at) return hit.counts;
  const counts = { skills_count: agent.store.skills.count(), categories_count: agent.store.categories.count() };
  cached.set(agent, { at: now, counts });
  return counts;
}
