// Paging guards of one skill listing (DESIGN.md "syncCycle": a full sync deletes only on a clean
// listing). Pure: the sync runner feeds it each page it receives and asks whether to go on. A
// platform that loops (the same cursor again, empty pages that name a next one, page numbers past
// what `total` allows, rows far beyond `total`) is stopped within a number of pages bounded by the
// listing's first `total`; a listing with invalid entries, or one that ended short of its `total`,
// is not clean, and a full sync reconciles deletions only on a clean one.

/** What the guard reads of one page. */
export interface ListedPage {
  /** Entries the page carried, valid or not (skills and tombstones). */
  rows: number;
  /** Reasons of the entries that failed validation. */
  rejected: readonly string[];
  total: number;
  /** As the platform reported it: null at the end, undefined when it pages by number. */
  nextCursor: string | null | undefined;
  /** The page number the platform says it answered. */
  page: number;
  totalPages: number;
}

/** Where the page came from: the cursor or page number the runner asked for. */
export interface PageRequest {
  cursor?: string;
  page?: number;
}

export interface ListingGuardOptions {
  /** The page size asked for. */
  pageSize: number;
  /** Full sync: the listing must reach its `total`, or it ended early. */
  requireComplete: boolean;
  /** Pages and rows a resumed listing had already received before this run. */
  start?: { pages: number; rows: number };
}

export interface ListingGuardState {
  readonly pages: number;
  readonly rows: number;
  /** The first page's total: what bounds the listing (a hostile platform can inflate later ones). */
  readonly firstTotal: number | null;
  readonly lastTotal: number | null;
  /** Rows of the first page that named a next one: the platform's effective page size. */
  readonly pageRows: number | null;
  readonly cursors: ReadonlySet<string>;
  readonly rejected: number;
  readonly firstRejection: string | null;
}

export type PageVerdict =
  /** Go on to the next page, if the page names one. */
  | { stop: null }
  /** The listing cannot be trusted to end: stop now, as `invalid`. */
  | { stop: string };

export function startListing(options: ListingGuardOptions): ListingGuardState {
  return {
    pages: options.start?.pages ?? 0,
    rows: options.start?.rows ?? 0,
    firstTotal: null,
    lastTotal: null,
    pageRows: null,
    cursors: new Set(),
    rejected: 0,
    firstRejection: null,
  };
}

/** Most rows a listing may carry: twice its first total plus two pages, room for writes made while it pages. */
export function rowLimit(firstTotal: number, pageSize: number): number {
  return 2 * firstTotal + 2 * pageSize;
}

/** Most pages a listing may take, given the platform's effective page size. */
export function pageLimit(firstTotal: number, pageRows: number): number {
  return 2 * Math.ceil(firstTotal / Math.max(1, pageRows)) + 2;
}

/** The state after `page` (received for `request`), and whether the listing must stop. */
export function observePage(state: ListingGuardState, page: ListedPage, request: PageRequest, options: ListingGuardOptions): { state: ListingGuardState; verdict: PageVerdict } {
  const pages = state.pages + 1;
  const rows = state.rows + page.rows;
  const firstTotal = state.firstTotal ?? page.total;
  const byCursor = page.nextCursor !== undefined;
  const hasNext = byCursor ? page.nextCursor !== null : page.page < page.totalPages;
  const pageRows = state.pageRows ?? (hasNext ? Math.max(1, page.rows) : null);
  // The set is carried over, not copied (a copy per page would cost O(pages²)): a state is consumed
  // by observing the next page, and only the returned state is used afterwards.
  const cursors = state.cursors as Set<string>;
  if (request.cursor !== undefined) cursors.add(request.cursor);
  const next: ListingGuardState = {
    pages, rows, firstTotal, lastTotal: page.total, pageRows, cursors,
    rejected: state.rejected + page.rejected.length,
    firstRejection: state.firstRejection ?? page.rejected[0] ?? null,
  };
  const stop = (reason: string) => ({ state: next, verdict: { stop: `the listing ${reason}` } });
  if (!byCursor && request.page !== undefined && page.page !== request.page) return stop(`answered page ${request.page} as page ${page.page}`);
  if (!hasNext) return { state: next, verdict: { stop: null } };
  if (page.rows === 0) return stop(`sent an empty page ${pages} that names a next page`);
  if (byCursor && cursors.has(page.nextCursor!)) return stop(`repeated a cursor on page ${pages}`);
  if (rows > rowLimit(firstTotal, options.pageSize)) return stop(`went on past ${rows} rows while its total was ${firstTotal}`);
  if (pages >= pageLimit(firstTotal, pageRows!)) return stop(`went on past ${pages} pages while its total was ${firstTotal}`);
  if (!byCursor && pages * pageRows! >= page.total) return stop(`names page ${page.page + 1} of ${page.totalPages}, past what its total of ${page.total} allows`);
  return { state: next, verdict: { stop: null } };
}

/**
 * Why a listing that ended (its last page named no next one) is not clean, or null when it is:
 * every entry was valid and, when required, it reached the total its last page reported.
 */
export function listingProblem(state: ListingGuardState, options: ListingGuardOptions): string | null {
  if (state.rejected > 0) return `the listing carried ${state.rejected} invalid entr${state.rejected === 1 ? 'y' : 'ies'} (first: ${state.firstRejection})`;
  if (options.requireComplete && state.lastTotal !== null && state.rows < state.lastTotal) {
    return `the listing ended after ${state.rows} of its ${state.lastTotal} entries`;
  }
  return null;
}

/** Whether entries of the listing so far failed validation (a full sync then reconciles nothing). */
export const isTainted = (state: ListingGuardState): boolean => state.rejected > 0;
