import { describe, expect, it } from 'vitest';
import { MIN_FREE_BYTES, readinessOf } from '../../../src/http/health/readiness.ts';

describe('readinessOf', () => {
  it('is ready with a reachable, migrated database and at least 1 GiB free', () => {
    expect(readinessOf({ databaseOk: true, migrationsApplied: true, freeBytes: MIN_FREE_BYTES })).toEqual({
      ready: true, database: 'connected', migrationsApplied: true, diskSpaceGb: 1, failing: [],
    });
  });

  it('names every failing check', () => {
    expect(readinessOf({ databaseOk: false, migrationsApplied: false, freeBytes: MIN_FREE_BYTES - 1 })).toMatchObject({
      ready: false, database: 'disconnected', diskSpaceGb: 1, failing: ['database', 'migrations', 'disk_space'],
    });
    expect(readinessOf({ databaseOk: true, migrationsApplied: true, freeBytes: null })).toMatchObject({ ready: false, diskSpaceGb: null, failing: ['disk_space'] });
  });
});
