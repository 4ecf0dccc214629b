// The decision behind GET /health/sync (spec 002 "Sync-Specific Health Check"), as a pure function
// of what the store and the actors report, with the time passed in.
//
//   healthy    last successful sync younger than `freshMs`, the last sync did not fail, and the
//              WebSocket is open (or disabled by configuration / by an operator)
//   degraded   still serving a current enough cache, but: polling only (the WebSocket is connecting,
//              backing off, in fallback or suspended), or the last sync failed, or the last success
//              is older than `freshMs` but younger than `staleMs`, or no sync has succeeded yet
//              since start-up but start-up was less than `staleMs` ago
//   unhealthy  no successful sync for `staleMs` (or none ever, `staleMs` after start-up), or the
//              platform refused the token (syncCycle `unauthorized`: only an operator can fix that)
//   local-only always healthy: there is nothing to sync with
//
// freshMs = max(30 min, 2 × sync interval); staleMs = max(60 min, 4 × sync interval). With the
// default 15 min interval that is the spec's 30 min, and one missed hour before a probe fails.

export type SyncHealthStatus = 'healthy' | 'degraded' | 'unhealthy';

export interface SyncHealthInput {
  now: number;
  /** When the agent (its shell) started: the grace period for the very first sync. */
  startedAt: number;
  localOnly: boolean;
  syncIntervalMs: number;
  /** The syncCycle's state value (idle, syncing, retrying, failed, unauthorized). */
  syncState: string | null;
  lastSyncAt: number | null;
  lastSuccessfulSyncAt: number | null;
  /** The last sync ended in failure (sync_state.last_error is set). */
  lastSyncFailed: boolean;
  websocket: {
    /** ATOM_SAAS_WS_ENABLED. */
    enabled: boolean;
    /** The connection's state as operators know it: open, connecting, backingOff, fallback, disabled... */
    state: string | null;
    connected: boolean;
  };
}

export interface SyncHealth {
  status: SyncHealthStatus;
  minutesSinceLastSync: number | null;
  minutesSinceLastSuccess: number | null;
  checks: {
    sync_fresh: boolean;
    last_sync_ok: boolean;
    authorized: boolean;
    websocket_ok: boolean;
  };
  /** Why the status is not healthy, in words; empty when healthy. */
  reasons: string[];
}

const MINUTE = 60_000;

export function syncThresholds(syncIntervalMs: number): { freshMs: number; staleMs: number } {
  return { freshMs: Math.max(30 * MINUTE, 2 * syncIntervalMs), staleMs: Math.max(60 * MINUTE, 4 * syncIntervalMs) };
}

const minutesBetween = (from: number | null, to: number): number | null =>
  from === null ? null : Math.max(0, Math.floor((to - from) / MINUTE));

/** States where the connection is deliberately off: not a health problem. */
const WEBSOCKET_OFF = new Set(['disabled']);

export function syncHealth(input: SyncHealthInput): SyncHealth {
  const { now } = input;
  const minutesSinceLastSync = minutesBetween(input.lastSyncAt, now);
  const minutesSinceLastSuccess = minutesBetween(input.lastSuccessfulSyncAt, now);
  if (input.localOnly) {
    return {
      status: 'healthy', minutesSinceLastSync, minutesSinceLastSuccess,
      checks: { sync_fresh: true, last_sync_ok: true, authorized: true, websocket_ok: true }, reasons: [],
    };
  }
  const { freshMs, staleMs } = syncThresholds(input.syncIntervalMs);
  // Never synced: the age counts from start-up, so a fresh agent gets the same grace as a stale one.
  const age = now - (input.lastSuccessfulSyncAt ?? input.startedAt);
  const authorized = input.syncState !== 'unauthorized';
  const websocketOk = !input.websocket.enabled || input.websocket.connected || WEBSOCKET_OFF.has(input.websocket.state ?? '');
  const checks = {
    sync_fresh: input.lastSuccessfulSyncAt !== null && age < freshMs,
    last_sync_ok: !input.lastSyncFailed,
    authorized,
    websocket_ok: websocketOk,
  };

  const unhealthy: string[] = [];
  if (!authorized) unhealthy.push('the platform refused the API token (rotate ATOM_SAAS_API_TOKEN and send sync.trigger)');
  if (age >= staleMs) {
    unhealthy.push(input.lastSuccessfulSyncAt === null
      ? `no successful sync in the ${Math.round(staleMs / MINUTE)} min since start-up`
      : `no successful sync for ${Math.floor(age / MINUTE)} min (limit ${Math.round(staleMs / MINUTE)} min)`);
  }
  if (unhealthy.length > 0) return { status: 'unhealthy', minutesSinceLastSync, minutesSinceLastSuccess, checks, reasons: unhealthy };

  const degraded: string[] = [];
  if (input.lastSuccessfulSyncAt === null) degraded.push('no successful sync yet');
  else if (age >= freshMs) degraded.push(`last successful sync ${Math.floor(age / MINUTE)} min ago (fresh under ${Math.round(freshMs / MINUTE)} min)`);
  if (input.lastSyncFailed) degraded.push('the last sync failed');
  if (!websocketOk) degraded.push(`WebSocket ${input.websocket.state ?? 'not connected'}: polling only`);
  return { status: degraded.length > 0 ? 'degraded' : 'healthy', minutesSinceLastSync, minutesSinceLastSuccess, checks, reasons: degraded };
}
