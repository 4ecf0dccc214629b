import { describe, expect, it } from 'vitest';
import { syncHealth, syncThresholds, type SyncHealthInput } from '../../../src/http/health/sync-health.ts';

const MIN = 60_000;
const NOW = Date.parse('2026-03-01T12:00:00Z');

const input = (over: Partial<SyncHealthInput> = {}): SyncHealthInput => ({
  now: NOW,
  startedAt: NOW - 120 * MIN,
  localOnly: false,
  syncIntervalMs: 15 * MIN,
  syncState: 'idle',
  lastSyncAt: NOW - 5 * MIN,
  lastSuccessfulSyncAt: NOW - 5 * MIN,
  lastSyncFailed: false,
  websocket: { enabled: true, state: 'open', connected: true },
  ...over,
});

describe('syncHealth', () => {
  it('is healthy with a recent success and an open WebSocket, and counts whole minutes', () => {
    const h = syncHealth(input({ lastSyncAt: NOW - 5 * MIN - 59_000 }));
    expect(h).toMatchObject({ status: 'healthy', minutesSinceLastSync: 5, minutesSinceLastSuccess: 5, reasons: [] });
    expect(h.checks).toEqual({ sync_fresh: true, last_sync_ok: true, authorized: true, websocket_ok: true });
  });

  it('is healthy with the WebSocket disabled by configuration or by an operator', () => {
    expect(syncHealth(input({ websocket: { enabled: false, state: null, connected: false } })).status).toBe('healthy');
    expect(syncHealth(input({ websocket: { enabled: true, state: 'disabled', connected: false } })).status).toBe('healthy');
  });

  it.each(['backingOff', 'fallback', 'suspended', 'connecting'])('is degraded while polling only (WebSocket %s)', (state) => {
    const h = syncHealth(input({ websocket: { enabled: true, state, connected: false } }));
    expect(h.status).toBe('degraded');
    expect(h.checks.websocket_ok).toBe(false);
    expect(h.reasons.join()).toContain(state);
  });

  it('is degraded when the last sync failed but the last success is recent', () => {
    expect(syncHealth(input({ lastSyncFailed: true })).status).toBe('degraded');
  });

  it('is degraded between 30 and 60 minutes after the last success, unhealthy from 60', () => {
    expect(syncHealth(input({ lastSuccessfulSyncAt: NOW - 29 * MIN })).status).toBe('healthy');
    expect(syncHealth(input({ lastSuccessfulSyncAt: NOW - 30 * MIN })).status).toBe('degraded');
    expect(syncHealth(input({ lastSuccessfulSyncAt: NOW - 59 * MIN })).status).toBe('degraded');
    const stale = syncHealth(input({ lastSuccessfulSyncAt: NOW - 60 * MIN }));
    expect(stale).toMatchObject({ status: 'unhealthy', checks: { sync_fresh: false } });
    expect(stale.reasons[0]).toMatch(/no successful sync for 60 min/);
  });

  it('scales the thresholds with long sync intervals (2× and 4× the interval)', () => {
    expect(syncThresholds(15 * MIN)).toEqual({ freshMs: 30 * MIN, staleMs: 60 * MIN });
    expect(syncThresholds(60 * MIN)).toEqual({ freshMs: 120 * MIN, staleMs: 240 * MIN });
    expect(syncHealth(input({ syncIntervalMs: 60 * MIN, lastSuccessfulSyncAt: NOW - 90 * MIN })).status).toBe('healthy');
  });

  it('gives a fresh agent the same grace: degraded until an hour after start-up without any success, then unhealthy', () => {
    const never = { lastSyncAt: null, lastSuccessfulSyncAt: null };
    expect(syncHealth(input({ ...never, startedAt: NOW - 10 * MIN }))).toMatchObject({ status: 'degraded', minutesSinceLastSync: null });
    const h = syncHealth(input({ ...never, startedAt: NOW - 60 * MIN }));
    expect(h.status).toBe('unhealthy');
    expect(h.reasons[0]).toMatch(/since start-up/);
  });

  it('is unhealthy when the platform refused the token, however recent the last success', () => {
    const h = syncHealth(input({ syncState: 'unauthorized', lastSyncFailed: true }));
    expect(h).toMatchObject({ status: 'unhealthy', checks: { authorized: false } });
  });

  it('is always healthy in local-only mode', () => {
    const h = syncHealth(input({ localOnly: true, syncState: null, lastSyncAt: null, lastSuccessfulSyncAt: null, startedAt: NOW - 1000 * MIN }));
    expect(h.status).toBe('healthy');
  });
});
