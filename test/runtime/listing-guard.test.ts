import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  listingProblem, observePage, pageLimit, startListing,
  type ListedPage, type ListingGuardOptions, type ListingGuardState, type PageRequest,
} from '../../src/runtime/listing-guard.ts';

/** Feeds pages to the guard until it stops or a page names no next one; returns how it ended. */
function run(pages: Iterable<{ page: ListedPage; request: PageRequest }>, options: ListingGuardOptions, maxPages = 100_000) {
  let state: ListingGuardState = startListing(options);
  let count = 0;
  for (const { page, request } of pages) {
    count += 1;
    const observed = observePage(state, page, request, options);
    state = observed.state;
    if (observed.verdict.stop !== null) return { stopped: observed.verdict.stop, pages: count, state };
    const hasNext = page.nextCursor !== undefined ? page.nextCursor !== null : page.page < page.totalPages;
    if (!hasNext) return { stopped: null, problem: listingProblem(state, options), pages: count, state };
    if (count >= maxPages) break;
  }
  return { stopped: 'not stopped', pages: count, state };
}

/**
 * An honest platform: `size` rows, `grow` more appended while it pages (writes land at the end of
 * an (updated_at, id) listing), pages of min(pageSize, clamp) rows, by cursor or by page number.
 */
function* honest(size: number, grow: number, pageSize: number, clamp: number, byCursor: boolean) {
  const per = Math.min(pageSize, clamp);
  let total = size;
  let offset = 0;
  for (let n = 1; ; n += 1) {
    const rows = Math.max(0, Math.min(per, total - offset));
    offset += rows;
    const more = offset < total;
    const page: ListedPage = {
      rows, rejected: [], total,
      nextCursor: byCursor ? (more ? `c${n}` : null) : undefined,
      page: n, totalPages: Math.ceil(total / per),
    };
    yield { page, request: byCursor ? (n === 1 ? { page: 1 } : { cursor: `c${n - 1}` }) : { page: n } };
    if (!more) return;
    if (grow > 0) {
      const added = Math.min(grow, per);
      total += added;
      grow -= added;
    }
  }
}

describe('the listing guard', () => {
  it('lets every honest listing through, clean, whatever its size, page size, clamp, paging or growth while it pages', () => {
    fc.assert(fc.property(
      fc.integer({ min: 0, max: 3000 }), fc.integer({ min: 1, max: 200 }), fc.integer({ min: 1, max: 300 }), fc.boolean(), fc.nat({ max: 100 }),
      (size, pageSize, clamp, byCursor, growShare) => {
        const grow = Math.floor((size * growShare) / 100);
        const options = { pageSize, requireComplete: true };
        const result = run(honest(size, grow, pageSize, clamp, byCursor), options);
        expect(result.stopped).toBeNull();
        expect(result.problem).toBeNull();
      },
    ));
  });

  it('stops any listing that never ends within pageLimit(first total, first page rows) pages', () => {
    const hostilePage = fc.record({
      rows: fc.nat({ max: 300 }),
      total: fc.nat({ max: 1000 }),
      cursor: fc.oneof(fc.constant('same'), fc.string({ minLength: 1, maxLength: 3 }), fc.uuid()),
      page: fc.integer({ min: 1, max: 5 }),
      totalPages: fc.constantFrom(1e9, 10, 3),
    });
    fc.assert(fc.property(
      fc.integer({ min: 1, max: 200 }), fc.boolean(), fc.array(hostilePage, { minLength: 1, maxLength: 20 }),
      (pageSize, byCursor, cycle) => {
        const options = { pageSize, requireComplete: true };
        function* forever() {
          for (let n = 1; ; n += 1) {
            const p = cycle[(n - 1) % cycle.length]!;
            // Every page names a next one: the listing would never end on its own.
            const page: ListedPage = { rows: p.rows, rejected: [], total: p.total, nextCursor: byCursor ? `${p.cursor}` : undefined, page: byCursor ? p.page : n, totalPages: Math.max(p.totalPages, n + 1) };
            yield { page, request: byCursor ? (n === 1 ? { page: 1 } : { cursor: `${cycle[(n - 2) % cycle.length]!.cursor}` }) : { page: n } };
          }
        }
        const result = run(forever(), options);
        expect(result.stopped).toEqual(expect.stringMatching(/^the listing /));
        const first = cycle[0]!;
        expect(result.pages).toBeLessThanOrEqual(pageLimit(first.total, Math.max(1, first.rows)));
      },
    ));
  });

  it('stops at once on a repeated cursor, or an empty page that names a next one', () => {
    const options = { pageSize: 100, requireComplete: true };
    const repeat = run([
      { page: { rows: 100, rejected: [], total: 250, nextCursor: 'a', page: 1, totalPages: 3 }, request: { page: 1 } },
      { page: { rows: 100, rejected: [], total: 250, nextCursor: 'a', page: 2, totalPages: 3 }, request: { cursor: 'a' } },
    ], options);
    expect(repeat).toMatchObject({ stopped: 'the listing repeated a cursor on page 2', pages: 2 });
    const empty = run([{ page: { rows: 0, rejected: [], total: 250, nextCursor: 'b', page: 1, totalPages: 3 }, request: { page: 1 } }], options);
    expect(empty).toMatchObject({ stopped: expect.stringMatching(/empty page 1/), pages: 1 });
    const numbered = run([
      { page: { rows: 100, rejected: [], total: 250, nextCursor: undefined, page: 1, totalPages: 1e9 }, request: { page: 1 } },
      { page: { rows: 100, rejected: [], total: 250, nextCursor: undefined, page: 2, totalPages: 1e9 }, request: { page: 2 } },
      { page: { rows: 100, rejected: [], total: 250, nextCursor: undefined, page: 3, totalPages: 1e9 }, request: { page: 3 } },
    ], options);
    expect(numbered).toMatchObject({ stopped: expect.stringMatching(/page 4 of 1000000000, past what its total of 250 allows/), pages: 3 });
  });

  it('finds a full listing that ended early, or that carried any invalid entry, not clean', () => {
    const early = run([{ page: { rows: 100, rejected: [], total: 250, nextCursor: null, page: 1, totalPages: 3 }, request: { page: 1 } }], { pageSize: 100, requireComplete: true });
    expect(early).toMatchObject({ stopped: null, problem: 'the listing ended after 100 of its 250 entries' });
    // An incremental listing deletes nothing by absence: ending short is not a problem there.
    expect(run([{ page: { rows: 100, rejected: [], total: 250, nextCursor: null, page: 1, totalPages: 3 }, request: { page: 1 } }], { pageSize: 100, requireComplete: false }))
      .toMatchObject({ problem: null });
    fc.assert(fc.property(fc.integer({ min: 1, max: 500 }), fc.integer({ min: 1, max: 50 }), fc.boolean(), (size, pageSize, complete) => {
      const pages = [...honest(size, 0, pageSize, pageSize, true)];
      const bad = pages[Math.floor(pages.length / 2)]!;
      bad.page = { ...bad.page, rejected: ['skill is not an object'] };
      const result = run(pages, { pageSize, requireComplete: complete });
      expect(result.problem).toMatch(/carried 1 invalid entry \(first: skill is not an object\)/);
    }));
  });
});
