import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { pageModule, type TimeFormatModule } from './assets.ts';

const time = await pageModule<TimeFormatModule>('time-format.js');

// Local times are built with the local Date constructor, so the expectations hold in any time zone.
const local = (...parts: [number, number, number, number, number, number, number]) => new Date(...parts).getTime();

describe('time-format.js (the viewer page\'s times)', () => {
  it('shows epoch ms as a local date-time and a clock with milliseconds', () => {
    const ms = local(2026, 11, 7, 5, 2, 3, 45);
    expect(time.formatDateTime(ms)).toBe('2026-12-07 05:02:03');
    expect(time.formatClock(ms)).toBe('05:02:03.045');
    expect(time.formatClock(ms, false)).toBe('05:02:03');
  });

  it('says how far a time is from now, in the largest whole unit, future and past', () => {
    const now = local(2026, 11, 7, 5, 0, 0, 0);
    expect(time.formatRelative(now + 400, now)).toBe('now');
    expect(time.formatRelative(now - 999, now)).toBe('now');
    expect(time.formatRelative(now + 12_300, now)).toBe('in 12 s');
    expect(time.formatRelative(now - 12_300, now)).toBe('12 s ago');
    expect(time.formatRelative(now - 3 * 60_000 - 5_000, now)).toBe('3 min ago');
    expect(time.formatRelative(now + 2 * 3_600_000, now)).toBe('in 2 h');
    expect(time.formatRelative(now - 3 * 86_400_000, now)).toBe('3 d ago');
  });

  it('never rounds a time onto the wrong side of now', () => {
    fc.assert(fc.property(fc.integer({ min: -1e10, max: 1e10 }), (delta) => {
      const now = 1_800_000_000_000;
      const text = time.formatRelative(now + delta, now);
      if (Math.abs(delta) < 1000) return text === 'now';
      return delta > 0 ? text.startsWith('in ') : text.endsWith(' ago');
    }));
  });

  it('treats `…At` and `…Until` fields holding plausible epoch ms as times, and nothing else', () => {
    const ms = local(2026, 11, 7, 5, 2, 3, 0);
    for (const key of ['connectedAt', 'nextSyncAt', 'throttledUntil', 'retryAt', 'fallbackUntil', 'resumeAt']) expect(time.isTimeField(key, ms), key).toBe(true);
    expect(time.isTimeField('connectedAt', null)).toBe(false);
    expect(time.isTimeField('reconnectAttempts', 3)).toBe(false);
    expect(time.isTimeField('retryAt', 30_000)).toBe(false); // a duration-sized number is not a date
    expect(time.isTimeField('retryAt', String(ms))).toBe(false);
    expect(time.isTimeField('lastSeq', ms)).toBe(false);
  });

  it('keeps the raw value for the title, with the UTC instant', () => {
    const ms = Date.UTC(2026, 11, 7, 5, 2, 3, 45);
    const shown = time.describeTime(ms, ms - 12_000);
    expect(shown.text).toBe(`${time.formatDateTime(ms)} (in 12 s)`);
    expect(shown.title).toBe(`${ms} (epoch ms) · 2026-12-07T05:02:03.045Z`);
    expect(shown.iso).toBe('2026-12-07T05:02:03.045Z');
  });

  it('reads and writes datetime-local values as local time to the second; empty is no bound', () => {
    const ms = local(2026, 11, 7, 5, 2, 3, 0);
    expect(time.toLocalInput(ms)).toBe('2026-12-07T05:02:03');
    expect(time.fromLocalInput('2026-12-07T05:02:03')).toBe(ms);
    expect(time.fromLocalInput('2026-12-07T05:02')).toBe(ms - 3000);
    expect(time.fromLocalInput('')).toBeNull();
    expect(time.fromLocalInput('yesterday')).toBeNull();
    expect(time.toLocalInput(null)).toBe('');
  });

  it('writes an event\'s payload one field a line, its times readable and raw', () => {
    const at = local(2026, 11, 7, 5, 25, 17, 0);
    const text = time.describeFields({ type: 'sync.throttled', resumeAt: at + 12_000, attempt: 2, note: null }, at);
    expect(text).toBe(`type: "sync.throttled"\nresumeAt: 2026-12-07 05:25:29 (in 12 s; ${at + 12_000})\nattempt: 2\nnote: null`);
  });
});
