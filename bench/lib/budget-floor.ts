import { Agent, request } from 'undici';

// The budget floor: the least time any client needs to list a catalog at the platform's limits.
// A minimal client asks for the categories, then pages of 1000 by cursor, one after the other,
// parses each page and keeps nothing; on a 429 it waits exactly the Retry-After and asks again.
// Whatever the agent does on top (validation, conflicts, SQLite, checkpoints) it cannot beat this.

export interface FloorResult {
  ms: number;
  skills: number;
  requests: number;
  throttled: number;
}

/** `maxPages` stops the listing early: the floor for the part of a sync that was left. */
export async function budgetFloor(url: string, token: string, options: { pageSize?: number; maxPages?: number } = {}): Promise<FloorResult> {
  const pageSize = options.pageSize ?? 1000;
  const maxPages = options.maxPages ?? Infinity;
  let pages = 0;
  const dispatcher = new Agent({ connections: 2 });
  let requests = 0;
  let throttled = 0;
  const get = async (path: string): Promise<any> => {
    for (;;) {
      requests += 1;
      const res = await request(`${url}${path}`, { dispatcher, headers: { authorization: `Bearer ${token}` } });
      if (res.statusCode === 429) {
        throttled += 1;
        const wait = Number(res.headers['retry-after'] ?? 60);
        await res.body.dump();
        await new Promise((resolve) => setTimeout(resolve, wait * 1000));
        continue;
      }
      if (res.statusCode !== 200) throw new Error(`floor client: ${path}: HTTP ${res.statusCode}`);
      return res.body.json();
    }
  };
  const started = performance.now();
  await get('/api/v1/categories');
  let skills = 0;
  let cursor: string | null = null;
  do {
    const page: { skills: unknown[]; next_cursor: string | null } = await get(`/api/v1/skills?page_size=${pageSize}${cursor ? `&cursor=${cursor}` : ''}`);
    skills += page.skills.length;
    cursor = page.next_cursor;
    pages += 1;
  } while (cursor && pages < maxPages);
  const ms = performance.now() - started;
  await dispatcher.close();
  return { ms, skills, requests, throttled };
}

/** Requests the platform has answered so far, all or only 429s (its own /metrics: no token, no budget). */
export async function platformRequests(url: string, only429 = false): Promise<number> {
  const res = await request(`${url}/metrics`);
  const text = await res.body.text();
  let total = 0;
  for (const line of text.split('\n')) {
    if (!line.startsWith('atom_saas_api_requests_total{') || !line.includes('endpoint="/api/v1/')) continue;
    if (!only429 || line.includes('status="429"')) total += Number(line.split(' ').pop());
  }
  return total;
}

export const platform429s = (url: string): Promise<number> => platformRequests(url, true);
