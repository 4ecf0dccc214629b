import { createHash } from 'node:crypto';

/** Where a keyset page ends, and what it was a page of. Opaque to clients (base64url JSON). */
export interface Cursor {
  /** updated_at (epoch ms) of the last item returned. */
  u: number;
  /** skill_id of the last item returned. */
  id: string;
  /** The page number the next page gets, for the `page` field of the response (page_size may change between pages; the keyset position is what counts). */
  p: number;
  /** Fingerprint of the filters: a cursor only continues the listing it came from. */
  f: string;
}

export interface CursorFilters {
  query?: string | undefined;
  category?: string | undefined;
  updated_since?: string | undefined;
  include_deleted?: boolean | undefined;
}

export function filterFingerprint(filters: CursorFilters): string {
  const key = JSON.stringify([filters.query ?? '', filters.category ?? null, filters.updated_since ?? null,
    filters.include_deleted === true]);
  return createHash('sha256').update(key).digest('base64url').slice(0, 12);
}

export function encodeCursor(cursor: Cursor): string {
  return Buffer.from(JSON.stringify(cursor), 'utf8').toString('base64url');
}

/** The cursor a client sent back, or undefined when it is not one of ours (the route answers 400). */
export function decodeCursor(text: string): Cursor | undefined {
  if (!/^[A-Za-z0-9_-]+$/.test(text)) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
  } catch {
    return undefined;
  }
  if (value === null || typeof value !== 'object') return undefined;
  const c = value as Record<string, unknown>;
  const valid =
    Number.isSafeInteger(c.u) &&
    typeof c.id === 'string' && c.id.length <= 64 &&
    Number.isSafeInteger(c.p) && (c.p as number) >= 1 &&
    typeof c.f === 'string' && c.f.length <= 32;
  return valid ? { u: c.u as number, id: c.id as string, p: c.p as number, f: c.f as string } : undefined;
}
