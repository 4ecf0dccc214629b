// Times as people read them: local date-times and "in 12 s" / "3 min ago", with the raw value kept
// for a title attribute. Pure (no DOM), so the Node tests import it as the page does.

// Context fields named `…At` / `…Until` hold epoch milliseconds (`connectedAt`, `nextSyncAt`,
// `throttledUntil`, `retryAt`, `fallbackUntil`…). A number outside these years is a count, not a time.
const TIME_KEY = /(?:At|Until)$/;
const EARLIEST = Date.UTC(2000, 0, 1);
const LATEST = Date.UTC(2100, 0, 1);

export function isEpochMs(value) {
  return Number.isInteger(value) && value >= EARLIEST && value < LATEST;
}

/** Whether a context field holds a point in time the page should show as a date. */
export function isTimeField(key, value) {
  return TIME_KEY.test(key) && isEpochMs(value);
}

const pad = (n, width = 2) => String(n).padStart(width, '0');

/** `2026-12-07 05:12:03`, local time. */
export function formatDateTime(ms) {
  const d = new Date(ms);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${formatClock(ms, false)}`;
}

/** `05:12:03.045` (or `05:12:03` without milliseconds), local time. */
export function formatClock(ms, withMs = true) {
  const d = new Date(ms);
  const clock = `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
  return withMs ? `${clock}.${pad(d.getMilliseconds(), 3)}` : clock;
}

const UNITS = [
  [86_400_000, 'd'],
  [3_600_000, 'h'],
  [60_000, 'min'],
  [1_000, 's'],
];

/** `in 12 s`, `3 min ago`, `now` (under a second): `ms` seen from `now`, both epoch ms. */
export function formatRelative(ms, now) {
  const delta = ms - now;
  const size = Math.abs(delta);
  if (size < 1_000) return 'now';
  const [unit, name] = UNITS.find(([length]) => size >= length);
  const count = Math.floor(size / unit);
  return delta > 0 ? `in ${count} ${name}` : `${count} ${name} ago`;
}

/** What a page element shows for a point in time, and the raw value for its title. */
export function describeTime(ms, now) {
  return {
    text: `${formatDateTime(ms)} (${formatRelative(ms, now)})`,
    title: `${ms} (epoch ms) · ${new Date(ms).toISOString()}`,
    iso: new Date(ms).toISOString(),
  };
}

/** `datetime-local` input value (local, to the second) ↔ epoch ms; '' is no bound (null). */
export function toLocalInput(ms) {
  return ms === null ? '' : formatDateTime(ms).replace(' ', 'T');
}

export function fromLocalInput(text) {
  if (!text) return null;
  const ms = new Date(text).getTime(); // a date-time without zone is local time
  return Number.isNaN(ms) ? null : ms;
}

/**
 * An event's payload as title text, one field a line, its times readable with the raw value kept:
 * `resumeAt: 2026-12-07 05:25:29 (in 12 s; 1796621129542)`.
 */
export function describeFields(fields, now) {
  return Object.entries(fields).map(([key, value]) => {
    if (isTimeField(key, value)) return `${key}: ${formatDateTime(value)} (${formatRelative(value, now)}; ${value})`;
    return `${key}: ${JSON.stringify(value)}`;
  }).join('\n');
}
