/** Cached rows live this long after the sync that last saw them (spec 002: 24-hour TTL). */
export const CACHE_TTL_MS = 24 * 60 * 60 * 1000;

/** ISO 8601 → epoch ms; throws on text that is not a time, so bad data never lands as NaN. */
export function toMillis(iso: string, field: string): number {
  const ms = Date.parse(iso);
  if (!Number.isFinite(ms)) throw new TypeError(`${field} is not an ISO time: ${JSON.stringify(iso).slice(0, 60)}`);
  return ms;
}

export function toIso(ms: number | null | undefined): string | null {
  return ms === null || ms === undefined ? null : new Date(ms).toISOString();
}
