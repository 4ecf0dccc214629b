import type { Database } from 'better-sqlite3';
import type { SyncKind } from '../../machines/syncCycle.ts';

/** The one sync_state row: checkpoint of the running sync plus lifetime counters. */
export interface SyncState {
  deviceId: string;
  status: string;
  syncKind: SyncKind | null;
  syncStartedAt: number | null;
  cursor: string | null;
  page: number | null;
  pagesDone: number;
  skillsDone: number;
  highWaterUpdatedAt: number | null;
  highWaterSeq: number;
  /** Number of the current (or last) full sync; its pages stamp the rows they list with it. */
  fullSyncId: number;
  lastSyncAt: number | null;
  lastSuccessfulSyncAt: number | null;
  lastFullSyncAt: number | null;
  lastError: string | null;
  totalSyncs: number;
  successfulSyncs: number;
  failedSyncs: number;
}

/** Progress saved with each page, in the page's transaction. */
export interface SyncCheckpoint {
  cursor: string | null;
  page: number | null;
  pagesDone: number;
  skillsDone: number;
  /** Newest remote updated_at seen so far; only ever moves forward. */
  highWaterUpdatedAt: number | null;
}

const COLUMNS = `device_id AS deviceId, status, sync_kind AS syncKind, sync_started_at AS syncStartedAt, cursor, page,
  pages_done AS pagesDone, skills_done AS skillsDone, high_water_updated_at AS highWaterUpdatedAt,
  high_water_seq AS highWaterSeq, full_sync_id AS fullSyncId, last_sync_at AS lastSyncAt, last_successful_sync_at AS lastSuccessfulSyncAt,
  last_full_sync_at AS lastFullSyncAt, last_error AS lastError, total_syncs AS totalSyncs,
  successful_syncs AS successfulSyncs, failed_syncs AS failedSyncs`;

export function createSyncStateRepository(db: Database) {
  const select = db.prepare<[], SyncState>(`SELECT ${COLUMNS} FROM sync_state LIMIT 1`);
  const begin = db.prepare(`
    UPDATE sync_state SET status = 'syncing', sync_kind = @kind, sync_started_at = @now,
      cursor = NULL, page = NULL, pages_done = 0, skills_done = 0, last_error = NULL,
      full_sync_id = full_sync_id + iif(@kind = 'full', 1, 0)
  `);
  const checkpoint = db.prepare(`
    UPDATE sync_state SET cursor = @cursor, page = @page, pages_done = @pagesDone, skills_done = @skillsDone,
      high_water_updated_at = max(coalesce(high_water_updated_at, 0), coalesce(@highWaterUpdatedAt, 0))
  `);
  const finish = db.prepare(`
    UPDATE sync_state SET
      status = iif(@ok, 'idle', 'failed'),
      last_full_sync_at = iif(@ok AND sync_kind = 'full', @now, last_full_sync_at),
      sync_kind = NULL, sync_started_at = NULL, cursor = NULL, page = NULL,
      last_sync_at = @now,
      last_successful_sync_at = iif(@ok, @now, last_successful_sync_at),
      last_error = @error,
      total_syncs = total_syncs + 1,
      successful_syncs = successful_syncs + iif(@ok, 1, 0),
      failed_syncs = failed_syncs + iif(@ok, 0, 1)
  `);
  const seq = db.prepare<[number]>('UPDATE sync_state SET high_water_seq = max(high_water_seq, ?)');

  return {
    get(): SyncState {
      const row = select.get();
      if (!row) throw new Error('sync_state row missing: the database was not migrated');
      return row;
    },
    /**
     * Starts a sync. A sync of the same kind that was interrupted (crash, kill -9) is resumed
     * from its checkpoint instead: returns the state to resume from.
     */
    beginOrResume(kind: SyncKind, now: number): { resumed: boolean; state: SyncState } {
      const current = this.get();
      if (current.status === 'syncing' && current.syncKind === kind && current.syncStartedAt !== null) {
        return { resumed: true, state: current };
      }
      begin.run({ kind, now });
      return { resumed: false, state: this.get() };
    },
    saveCheckpoint(cp: SyncCheckpoint): void {
      checkpoint.run(cp);
    },
    finish(outcome: { ok: boolean; error?: string }, now: number): void {
      finish.run({ ok: outcome.ok ? 1 : 0, now, error: outcome.ok ? null : (outcome.error ?? 'unknown error') });
    },
    /** Last applied WebSocket seq; never moves back. */
    advanceSeq(value: number): void {
      seq.run(value);
    },
  };
}

export type SyncStateRepository = ReturnType<typeof createSyncStateRepository>;
