import type { SyncKind, SyncRunResult } from '../../machines/syncCycle.ts';
import type { ConflictStrategy } from '../conflicts/index.ts';
import type { PlatformClient, SkillListing, SkillPageQuery } from '../marketplace/http/client.ts';
import type { Store, SyncState } from '../store/index.ts';
import { toIso } from '../store/time.ts';
import { reconcileEditedDeletions } from './apply-remote.ts';
import type { Clock } from '../policy/clock.ts';
import { invalidListing, listedPage } from './listing-failure.ts';
import { isTainted, listingProblem, observePage, startListing } from './listing-guard.ts';
import { createPageWriter } from './page-writer.ts';

export interface SyncProgress {
  kind: SyncKind;
  pagesDone: number;
  skillsDone: number;
  /** Skills the listing reported when the sync started (a full sync's denominator). */
  total: number | null;
  resumed: boolean;
}

export interface SyncRunnerDeps {
  store: Store;
  client: PlatformClient;
  clock: Clock;
  pageSize: number;
  strategy: () => ConflictStrategy;
  onProgress?: (progress: SyncProgress) => void;
  /** Entries the platform sent that failed validation (dropped, counted by the caller). */
  onRejected?: (reasons: string[]) => void;
  /** High-water WebSocket seq the platform reported with a sync's first page. */
  onHighWaterSeq?: (seq: number) => void;
}

/**
 * One sync run, as the syncCycle chart's `runSync` actor: categories, then skill pages (page n+1
 * is fetched while page n is written, in short transactions, the last with the checkpoint), then
 * for a full sync the reconciliation of deletions. An interrupted full sync resumes from its checkpoint.
 * Failures propagate as PlatformError values; the chart decides about retries.
 */
export function createSyncRunner(deps: SyncRunnerDeps) {
  const { store, client, clock } = deps;
  const writePage = createPageWriter(store, deps.strategy);
  // The incremental listing's ETag: an unchanged catalog answers 304 without a query.
  let incrementalEtag: { since: string; etag: string } | undefined;

  async function syncCategories(): Promise<void> {
    const { categories, rejected } = await client.listCategories();
    if (rejected.length) deps.onRejected?.(rejected);
    const now = clock.now();
    store.transaction(() => {
      for (const category of categories) store.categories.upsert(category, now);
    });
  }

  /**
   * Pages through a listing from `first`, writing each page with the checkpoint of the next. A
   * `sweep` (see fullSync) writes its pages and nothing of the sync's own bookkeeping: no checkpoint,
   * no ETag, no progress, no push seq.
   */
  async function pageThrough(kind: SyncKind, first: SkillPageQuery, start: { pagesDone: number; skillsDone: number; resumed: boolean; fullSyncId?: number; sweep?: boolean }) {
    let { pagesDone, skillsDone } = start;
    let deleted = 0;
    let total: number | null = null;
    // A full sync stamps the rows it lists (its reconciliation goes by them).
    const { fullSyncId } = start;
    const guardOptions = { pageSize: first.pageSize, requireComplete: kind === 'full', start: { pages: pagesDone, rows: skillsDone } };
    let guard = startListing(guardOptions);
    let request: SkillPageQuery = first;
    let pending: Promise<SkillListing> | undefined = client.listSkills(first);
    while (pending) {
      const page = await pending;
      pending = undefined;
      if (page.notModified) break;
      const observed = observePage(guard, listedPage(page), request, guardOptions);
      guard = observed.state;
      const firstPage = pagesDone === start.pagesDone && !start.sweep;
      if (firstPage && page.highWaterSeq !== undefined) deps.onHighWaterSeq?.(page.highWaterSeq);
      if (firstPage && page.etag && first.updatedSince) incrementalEtag = { since: first.updatedSince, etag: page.etag };
      total ??= page.total;
      const next = observed.verdict.stop === null ? nextQuery(first, page) : undefined;
      const problem = observed.verdict.stop ?? (next && !isTainted(guard) ? null : listingProblem(guard, guardOptions));
      // A full sync's checkpoint never passes a page it could not trust: a resumed run reads that page again.
      const checkpointed = !start.sweep && (kind !== 'full' || problem === null);
      if (next) {
        request = next;
        pending = client.listSkills(next);
        // If writing this page throws, the prefetch is abandoned: keep its failure from going unhandled.
        pending.catch(() => {});
      }
      if (page.rejected.length) deps.onRejected?.(page.rejected);
      pagesDone += 1;
      skillsDone += page.skills.length;
      const checkpoint = { cursor: next?.cursor ?? null, page: next?.cursor ? null : (next?.page ?? null), pagesDone, skillsDone };
      const parts = splitRows(page.skills);
      for (const [index, skills] of parts.entries()) {
        const last = index === parts.length - 1;
        deleted += writePage(last ? { skills, tombstones: page.deleted, checkpoint: checkpointed ? checkpoint : undefined, fullSyncId } : { skills, fullSyncId }, clock.now()).deleted;
        // Between transactions, other work gets its turn: on the main thread the HTTP shell, and on
        // either thread the other connection waiting for the write lock. Without this, prefetched
        // pages (whose promises are often settled already) would chain through the microtask queue.
        await new Promise<void>((resolve) => setImmediate(resolve));
      }
      if (!start.sweep) deps.onProgress?.({ kind, pagesDone, skillsDone, total, resumed: start.resumed });
      // The page's valid rows are in; a listing that is not clean now ends the sync before any reconciliation.
      if (observed.verdict.stop !== null || (!next && problem !== null)) {
        // A 304 to the same query next time must not pass this listing off as read.
        incrementalEtag = undefined;
        throw invalidListing(problem!);
      }
    }
    return { pagesDone, skillsDone, deleted };
  }

  /**
   * The cached remote skills full sync `fullSyncId` did not list and the platform no longer has. Not
   * listed and last heard of before the sync began: gone. Not listed but heard of since (a WebSocket
   * update, a catch-up, or the same instant on a clock that did not move): the listing may have passed
   * it before it was published, so the platform is asked, in batches of 1000 ids per request.
   */
  async function goneUpstream(fullSyncId: number, startedAt: number) {
    const candidates = store.skills.notListedBy(fullSyncId);
    const recent = candidates.filter((candidate) => candidate.syncedAt >= startedAt);
    const existing = recent.length ? await client.existingSkills(recent.map((c) => c.skillId)) : new Set<string>();
    return candidates.filter((candidate) => candidate.syncedAt < startedAt || !existing.has(candidate.skillId));
  }

  async function fullSync(state: SyncState, resumed: boolean): Promise<SyncRunResult> {
    const startedAt = state.syncStartedAt ?? clock.now();
    // A resumed sync whose checkpoint has no next page had finished paging: only reconciliation is left.
    const pagingDone = resumed && state.pagesDone > 0 && state.cursor === null && state.page === null;
    const first: SkillPageQuery = { pageSize: deps.pageSize, ...(resumed && state.cursor ? { cursor: state.cursor } : { page: resumed ? (state.page ?? 1) : 1 }) };
    const paged = pagingDone
      ? { pagesDone: state.pagesDone, skillsDone: state.skillsDone, deleted: 0 }
      : await pageThrough('full', first, { pagesDone: resumed ? state.pagesDone : 0, skillsDone: resumed ? state.skillsDone : 0, resumed, fullSyncId: state.fullSyncId });
    // A resumed sync trusts the rows an earlier attempt listed, but the platform may have deleted
    // some since, while the socket that would have said so was down; and the resumed pages carry the
    // high-water mark past those tombstones, so no later catch-up would bring them. So it also reads
    // what changed since the sync began, tombstones included (one short listing; nothing is
    // checkpointed by it: a run that fails here sweeps again when resumed).
    const swept = resumed && state.pagesDone > 0
      ? await pageThrough('incremental', { pageSize: deps.pageSize, updatedSince: new Date(startedAt - SWEEP_SKEW_MARGIN_MS).toISOString(), includeDeleted: true }, { pagesDone: 0, skillsDone: 0, resumed, sweep: true })
      : { deleted: 0 };
    const gone = await goneUpstream(state.fullSyncId, startedAt);
    const now = clock.now();
    const removed = store.transaction(() => {
      // Edited skills the platform no longer has are delete conflicts; the others simply go.
      reconcileEditedDeletions(store, gone.filter((s) => s.locallyEdited).map((s) => s.skillId), deps.strategy(), now);
      let count = 0;
      for (const skill of gone) if (!skill.locallyEdited && store.skills.removeGoneUpstream(skill.skillId)) count += 1;
      store.syncState.finish({ ok: true }, now);
      return count;
    });
    return { kind: 'full', skills: paged.skillsDone, pages: paged.pagesDone, deleted: paged.deleted + swept.deleted + removed };
  }

  async function incrementalSync(state: SyncState): Promise<SyncRunResult> {
    // Restart from the high-water mark even after a crash: pages already written advanced it, and
    // the listing is inclusive, so nothing is skipped (rows at exactly that instant come again, harmlessly).
    const since = toIso(state.highWaterUpdatedAt) ?? new Date(0).toISOString();
    const etag = incrementalEtag?.since === since ? incrementalEtag.etag : undefined;
    const paged = await pageThrough('incremental', { pageSize: deps.pageSize, updatedSince: since, includeDeleted: true, ifNoneMatch: etag }, { pagesDone: 0, skillsDone: 0, resumed: false });
    store.syncState.finish({ ok: true }, clock.now());
    return { kind: 'incremental', skills: paged.skillsDone, pages: paged.pagesDone, deleted: paged.deleted };
  }

  return {
    async run(kind: SyncKind): Promise<SyncRunResult> {
      const { resumed, state } = store.syncState.beginOrResume(kind, clock.now());
      await syncCategories();
      return kind === 'full' ? fullSync(state, resumed) : incrementalSync(state);
    },
  };
}

export type SyncRunner = ReturnType<typeof createSyncRunner>;

/**
 * Rows written per transaction. The agent's own writes (journal, snapshots, WebSocket updates) wait
 * for the write lock while a part commits, on its event loop: parts of 25 keep that wait near 1 ms
 * where a page of 100 took 4–5 ms on a busy machine. Commits in WAL mode with synchronous=NORMAL do
 * not fsync, so the sync itself does not get measurably slower.
 */
const ROWS_PER_TRANSACTION = 25;

/** A page's rows in transaction-sized parts; always at least one part, so tombstones and the checkpoint are written. */
function splitRows<T>(rows: readonly T[]): (readonly T[])[] {
  const parts: (readonly T[])[] = [];
  for (let i = 0; i < rows.length; i += ROWS_PER_TRANSACTION) parts.push(rows.slice(i, i + ROWS_PER_TRANSACTION));
  return parts.length ? parts : [[]];
}

/**
 * How far before a resumed sync's start (the agent's clock) its sweep asks from: the platform stamps
 * deletions with its own clock, so a few minutes of skew between the two must not hide one. It costs
 * re-reading what changed in those minutes, once per resumed sync.
 */
const SWEEP_SKEW_MARGIN_MS = 5 * 60_000;

/** The query of the page after `page`: by cursor when the platform pages by cursor, else by number. */
function nextQuery(first: SkillPageQuery, page: Extract<SkillListing, { notModified: false }>): SkillPageQuery | undefined {
  const { cursor: _c, page: _p, ifNoneMatch: _e, ...filters } = first;
  if (page.nextCursor !== undefined) return page.nextCursor === null ? undefined : { ...filters, cursor: page.nextCursor };
  return page.page < page.totalPages ? { ...filters, page: page.page + 1 } : undefined;
}
