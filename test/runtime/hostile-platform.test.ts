import { describe, expect, it } from 'vitest';
import { waitFor } from 'xstate';
import { createAgent, type Agent } from '../../src/runtime/create-agent.ts';
import { createAgentMetrics } from '../../src/runtime/metrics.ts';
import { syncErrorsView } from '../../src/http/views/sync-errors.ts';
import { buildApp } from '../../src/http/app.ts';
import { INSTANCE_TOKEN, startSeededPlatform } from '../support/platform.ts';
import { startHostilePlatform, type HostilePlatform, type HostileScript } from '../support/hostile-platform.ts';
import { agentConfig } from '../support/config.ts';
import { useTempDir } from '../support/temp-dir.ts';
import { useCleanups } from '../support/cleanups.ts';

// The agent against a platform that answers badly on purpose (issue 14, items 1 and 3). Each case
// seeds the cache with a real full sync of 250 skills, then has the platform answer one listing
// badly, and checks: the cache is unchanged, the sync ended as `invalid` after a bounded number of
// requests, the failure shows in the errors list, the metric and the status, and the agent then
// syncs normally again once the platform behaves.

const SKILLS = 250;
const ADMIN_TOKEN = 'hostile-suite-admin-token-0123';
const PAGE = 100;
const isListing = (method: string, url: URL) => method === 'GET' && url.pathname === '/api/v1/skills';
const listingRequests = (hostile: HostilePlatform) => hostile.seen.filter((s) => s.startsWith('GET /api/v1/skills?')).length;
const nested = (open: string, inner: string, close: string, levels: number) => `${open.repeat(levels)}${inner}${close.repeat(levels)}`;
const envelope = (skills: string, extra: Record<string, unknown>) =>
  `{"skills":[${skills}],"page":1,"page_size":${PAGE},"total":${SKILLS},"total_pages":3${Object.entries(extra).map(([k, v]) => `,"${k}":${JSON.stringify(v)}`).join('')}}`;

/** One line per cached skill: what a wrongly reconciled or overwritten row would change. */
function cacheRows(agent: Agent): string[] {
  return (agent.store.db.prepare('SELECT skill_id, version, updated_at, name, skill_data FROM skill_cache ORDER BY skill_id').all() as Record<string, unknown>[])
    .map((r) => JSON.stringify(r));
}

function sample(text: string, series: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

describe('the agent against a hostile platform', () => {
  const tempDir = useTempDir();
  const cleanups = useCleanups();

  async function seededAgent(syncThread: 'main' | 'worker' = 'main') {
    const dir = tempDir();
    const platform = await startSeededPlatform(dir, SKILLS);
    cleanups.push(() => platform.close());
    const hostile = await startHostilePlatform(platform.url);
    cleanups.push(() => hostile.close());
    const agent = createAgent({
      config: agentConfig(dir, {
        ATOM_SAAS_API_URL: hostile.url, ATOM_SAAS_API_TOKEN: INSTANCE_TOKEN, ATOM_SAAS_WS_ENABLED: 'false',
        ATOM_SAAS_SYNC_BATCH_SIZE: String(PAGE), ENABLE_SCHEDULER: 'false', ATOM_ADMIN_TOKEN: ADMIN_TOKEN,
      }),
      syncThread,
    });
    const metrics = createAgentMetrics(agent);
    // The shell owns the agent: closing it stops the agent.
    const shell = buildApp(agent, agent.config);
    cleanups.push(() => shell.close());
    cleanups.push(() => metrics.close());
    await agent.start();
    expect(agent.store.skills.count()).toBe(SKILLS);
    const syncCycle = agent.actors.syncCycle!;

    /** One sync (full unless told) against `script`; resolves once the cycle rests again. */
    async function syncAgainst(script: HostileScript | null, kind: 'sync.trigger' | 'sync.catchUp' = 'sync.trigger') {
      hostile.answerWith(script);
      syncCycle.send({ type: kind });
      // The bound on time: a sync that never ends fails here.
      return waitFor(syncCycle, (s) => s.matches('idle') || s.matches('failed'), { timeout: 20_000 });
    }

    /** The refusal every case must show: nothing deleted or changed, reported as invalid, everywhere. */
    async function expectRefused(before: string[], failures: number, message: RegExp) {
      const snapshot = syncCycle.getSnapshot();
      expect(snapshot.value).toBe('failed');
      expect(snapshot.context.lastError).toMatchObject({ kind: 'invalid', message: expect.stringMatching(message) });
      expect(cacheRows(agent)).toEqual(before);
      expect(sample(await metrics.registry.metrics(), 'atom_saas_sync_errors_total{type="skill",error="invalid"}')).toBe(failures);
      const errors = syncErrorsView(agent, 10, []);
      expect(errors.errors[0]).toMatchObject({ actor: 'syncCycle', event: 'xstate.error.actor.runSync', to: 'failed', error: { kind: 'invalid' } });
      expect(errors.last_sync_error).toMatch(/^invalid: /);
      expect(agent.store.syncState.get()).toMatchObject({ status: 'failed', failedSyncs: failures, successfulSyncs: 1 });
    }

    /** The process is up and the agent unharmed: an honest platform again, a full sync succeeds. */
    async function expectRecovers() {
      const snapshot = await syncAgainst(null);
      expect(snapshot.value).toBe('idle');
      expect(agent.store.skills.count()).toBe(SKILLS);
    }

    const firstPage = () => hostile.realPage(`page_size=${PAGE}&page=1`);
    /** The operator's view through the real HTTP shell. */
    const adminGet = async (url: string) => {
      const res = await shell.inject({ method: 'GET', url, headers: { authorization: `Bearer ${ADMIN_TOKEN}` } });
      expect(res.statusCode, res.body).toBe(200);
      return res.json();
    };
    return { agent, hostile, adminGet, syncAgainst, expectRefused, expectRecovers, firstPage, before: cacheRows(agent) };
  }

  it('entries that are not skills ([null, 5, "x", [], …]) delete nothing: the sync fails as invalid', async () => {
    const { hostile, adminGet, syncAgainst, expectRefused, expectRecovers, firstPage, before } = await seededAgent();
    const real = await firstPage();
    const junk = Array.from({ length: PAGE }, (_, i) => [null, 5, 'x', [], null][i % 5]);
    // Page 1 is junk and names the real page 2: the rest of the listing is real.
    await syncAgainst(({ method, url }) => (isListing(method, url) && !url.searchParams.has('cursor') ? { body: JSON.stringify({ ...real, skills: junk }) } : 'pass'));
    await expectRefused(before, 1, /100 invalid entries \(first: skill is not an object\); nothing was deleted/);
    expect(listingRequests(hostile)).toBe(3);
    expect(await adminGet('/api/admin/sync/status')).toMatchObject({ sync: { status: 'failed', failed_syncs: 1, successful_syncs: 1 }, cache: { skills_count: SKILLS } });
    expect(await adminGet('/api/admin/sync/errors')).toMatchObject({
      errors: [{ actor: 'syncCycle', to: 'failed', error: { kind: 'invalid', message: expect.stringMatching(/invalid entries/) } }],
      last_sync_error: expect.stringMatching(/^invalid: GET skills: the listing carried 100 invalid entries/),
    });
    await expectRecovers();
  });

  it('{"skills":[[[…100,000 levels…]]]} (or a million) is refused before it is parsed, as a whole page', async () => {
    const { hostile, syncAgainst, expectRefused, expectRecovers, before } = await seededAgent();
    await syncAgainst(({ method, url }) => (isListing(method, url) ? { body: `{"skills":[${nested('[', '', ']', 100_000)}]}` } : 'pass'));
    await expectRefused(before, 1, /the response nests deeper than 72 levels/);
    expect(listingRequests(hostile)).toBe(1);
    // Parsed, a million levels held the event loop over a second; refused unparsed, they cost a scan.
    await syncAgainst(({ method, url }) => (isListing(method, url) ? { body: envelope(nested('[', '', ']', 1_000_000), { next_cursor: null }) } : 'pass'));
    await expectRefused(before, 2, /the response nests deeper than 72 levels/);
    expect(listingRequests(hostile)).toBe(1);
    await expectRecovers();
  });

  it('right ids with wrong types (name: 123, updated_at: "yesterday", tags: "x") are refused the same way every run', async () => {
    const { syncAgainst, expectRefused, expectRecovers, firstPage, before } = await seededAgent();
    const real = await firstPage();
    const skills = real.skills.map((s: Record<string, unknown>, i: number) =>
      i === 0 ? { ...s, name: 123 } : i === 1 ? { ...s, updated_at: 'yesterday' } : i === 2 ? { ...s, tags: 'x' } : s);
    const script: HostileScript = ({ method, url }) => (isListing(method, url) && !url.searchParams.has('cursor') ? { body: JSON.stringify({ ...real, skills }) } : 'pass');
    for (const run of [1, 2, 3]) {
      await syncAgainst(script);
      await expectRefused(before, run, /3 invalid entries \(first: skill \S+: name missing\)/);
    }
    await expectRecovers();
  });

  it('metadata nested past 64 levels is dropped with its skill, which keeps what it had; past the response limit, the page goes', async () => {
    const { syncAgainst, expectRefused, expectRecovers, firstPage, before } = await seededAgent();
    const real = await firstPage();
    const skills = real.skills.map((s: Record<string, unknown>, i: number) => (i < 2 ? { ...s, version: '9.9.9', metadata: `@DEEP${i}@` } : s));
    const page = (levels: number) => JSON.stringify({ ...real, skills })
      .replace('"@DEEP0@"', nested('{"a":', '1', '}', 65))
      .replace('"@DEEP1@"', nested('{"a":', '1', '}', levels));
    // 65 levels of metadata: the page (68 deep) is read, the two skills are dropped, the rest written.
    await syncAgainst(({ method, url }) => (isListing(method, url) && !url.searchParams.has('cursor') ? { body: page(65) } : 'pass'));
    await expectRefused(before, 1, /2 invalid entries \(first: skill \S+: metadata nests deeper than 64 levels\)/);
    // 1,001 and 100,000 levels (SQLite's JSON functions refuse the first, JSON.stringify overflows on the second).
    for (const [run, levels] of [[2, 1_001], [3, 100_000]] as const) {
      await syncAgainst(({ method, url }) => (isListing(method, url) && !url.searchParams.has('cursor') ? { body: page(levels) } : 'pass'));
      await expectRefused(before, run, /the response nests deeper than 72 levels/);
    }
    await expectRecovers();
  });

  it('a listing that ends early (next_cursor: null after page 1, total 250) deletes nothing', async () => {
    const { hostile, syncAgainst, expectRefused, expectRecovers, firstPage, before } = await seededAgent();
    const real = await firstPage();
    await syncAgainst(({ method, url }) => (isListing(method, url) ? { body: JSON.stringify({ ...real, next_cursor: null }) } : 'pass'));
    await expectRefused(before, 1, /ended after 100 of its 250 entries/);
    expect(listingRequests(hostile)).toBe(1);
    await expectRecovers();
  });

  it('on the sync worker thread too: an early end and a looping cursor delete nothing and fail as invalid', async () => {
    const { hostile, syncAgainst, expectRefused, expectRecovers, firstPage, before } = await seededAgent('worker');
    const real = await firstPage();
    await syncAgainst(({ method, url }) => (isListing(method, url) ? { body: JSON.stringify({ ...real, next_cursor: null }) } : 'pass'));
    await expectRefused(before, 1, /ended after 100 of its 250 entries/);
    await syncAgainst(({ method, url }) => (isListing(method, url) ? { body: JSON.stringify({ ...real, next_cursor: 'again' }) } : 'pass'));
    await expectRefused(before, 2, /repeated a cursor on page 2/);
    expect(listingRequests(hostile)).toBe(2);
    await expectRecovers();
  });

  it('the same next_cursor forever ends the sync at the second page', async () => {
    const { hostile, syncAgainst, expectRefused, expectRecovers, firstPage, before } = await seededAgent();
    const real = await firstPage();
    await syncAgainst(({ method, url }) => (isListing(method, url) ? { body: JSON.stringify({ ...real, next_cursor: 'again' }) } : 'pass'));
    await expectRefused(before, 1, /repeated a cursor on page 2/);
    expect(listingRequests(hostile)).toBe(2);
    await expectRecovers();
  });

  it('empty pages that name a next cursor end the sync at the first of them', async () => {
    const { hostile, syncAgainst, expectRefused, expectRecovers, firstPage, before } = await seededAgent();
    const real = await firstPage();
    await syncAgainst(({ index, method, url }) => {
      if (!isListing(method, url)) return 'pass';
      return { body: JSON.stringify(url.searchParams.has('cursor') ? { ...real, skills: [], next_cursor: `empty-${index}` } : { ...real, next_cursor: 'empty-0' }) };
    });
    await expectRefused(before, 1, /empty page 2 that names a next page/);
    expect(listingRequests(hostile)).toBe(2);
    await expectRecovers();
  });

  it('total_pages: 1e9 on a page-numbered listing ends where total (250) says the listing ends', async () => {
    const { hostile, syncAgainst, expectRefused, expectRecovers, firstPage, before } = await seededAgent();
    const { next_cursor: _c, high_water_seq: _s, ...real } = await firstPage();
    await syncAgainst(({ method, url }) =>
      (isListing(method, url) ? { body: JSON.stringify({ ...real, page: Number(url.searchParams.get('page')), total_pages: 1e9 }) } : 'pass'));
    await expectRefused(before, 1, /names page 4 of 1000000000, past what its total of 250 allows/);
    expect(listingRequests(hostile)).toBe(3);
    await expectRecovers();
  });

  it('a listing far longer than its total (fresh cursors, full pages) ends within pageLimit requests', async () => {
    const { hostile, syncAgainst, expectRefused, expectRecovers, firstPage, before } = await seededAgent();
    const real = await firstPage();
    await syncAgainst(({ index, method, url }) => (isListing(method, url) ? { body: JSON.stringify({ ...real, next_cursor: `fresh-${index}` }) } : 'pass'));
    await expectRefused(before, 1, /went on past 800 rows while its total was 250/);
    // rowLimit(250, 100) = 2 × 250 + 2 × 100 = 700 rows: the 8th page of 100 passes it.
    expect(listingRequests(hostile)).toBe(8);
    await expectRecovers();
  });

  it('a redirect is refused as invalid, says where it points, and is not followed', async () => {
    const { hostile, syncAgainst, expectRefused, expectRecovers, before } = await seededAgent();
    await syncAgainst(({ method, url }) => (isListing(method, url) ? { status: 301, headers: { location: 'https://elsewhere.example/api/v1/skills' }, body: '' } : 'pass'));
    await expectRefused(before, 1, /HTTP 301: a redirect to https:\/\/elsewhere\.example\/api\/v1\/skills \(not followed/);
    expect(hostile.seen.some((s) => s.includes('elsewhere'))).toBe(false);
    await expectRecovers();
  });

  it('an incremental sync with invalid entries writes the valid rows, deletes nothing and fails as invalid', async () => {
    const { agent, syncAgainst, expectRecovers, firstPage } = await seededAgent();
    const real = await firstPage();
    await syncAgainst(({ method, url }) =>
      (isListing(method, url) ? { body: JSON.stringify({ ...real, skills: [null, ...real.skills.slice(0, 3)], total: 4, next_cursor: null, deleted: [{ skill_id: 5 }] }) } : 'pass'), 'sync.catchUp');
    expect(agent.actors.syncCycle!.getSnapshot().context.lastError).toMatchObject({ kind: 'invalid', message: expect.stringMatching(/2 invalid entries/) });
    expect(agent.store.skills.count()).toBe(SKILLS);
    await expectRecovers();
  });
});
