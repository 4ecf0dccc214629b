import { describe, expect, it } from 'vitest';
import { cacheCounts } from '../../../src/http/views/cache-counts.ts';
import type { Agent } from '../../../src/runtime/create-agent.ts';

function countingAgent() {
  const reads = { n: 0 };
  let skills = 10;
  const agent = { store: { skills: { count: () => (reads.n += 1, skills) }, categories: { count: () => 3 } } } as unknown as Agent;
  return { agent, reads, setSkills: (n: number) => (skills = n) };
}

describe('cache counts for the status route', () => {
  it('reads the tables at most once a second and shares the answer', () => {
    const { agent, reads, setSkills } = countingAgent();
    expect(cacheCounts(agent, 1000)).toEqual({ skills_count: 10, categories_count: 3 });
    setSkills(11);
    expect(cacheCounts(agent, 1999).skills_count).toBe(10);
    expect(reads.n).toBe(1);
    expect(cacheCounts(agent, 2000).skills_count).toBe(11);
    expect(reads.n).toBe(2);
  });

  it('reads again when the clock goes back, and keeps agents apart', () => {
    const first = countingAgent();
    const second = countingAgent();
    cacheCounts(first.agent, 5000);
    cacheCounts(first.agent, 4000);
    expect(first.reads.n).toBe(2);
    second.setSkills(99);
    expect(cacheCounts(second.agent, 4000).skills_count).toBe(99);
  });
});
