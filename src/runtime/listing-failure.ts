import type { SkillListing } from '../marketplace/http/client.ts';
import { PlatformError } from '../marketplace/http/platform-error.ts';
import type { ListedPage } from './listing-guard.ts';

/** What the listing guard reads of a page the client returned. */
export function listedPage(page: Extract<SkillListing, { notModified: false }>): ListedPage {
  return {
    rows: page.skills.length + page.deleted.length + page.rejected.length,
    rejected: page.rejected,
    total: page.total,
    nextCursor: page.nextCursor,
    page: page.page,
    totalPages: page.totalPages,
  };
}

/** A listing the agent could not read whole: the sync fails as `invalid` (not retried, nothing reconciled). */
export function invalidListing(reason: string): PlatformError {
  return new PlatformError({ kind: 'invalid', status: 200, message: `GET skills: ${reason}; nothing was deleted` });
}
