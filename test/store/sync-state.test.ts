import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { openStore } from '../../src/store/index.ts';
import { useTempDir } from '../support/temp-dir.ts';

const T0 = Date.parse('2026-03-01T00:00:00Z');

describe('sync counters', () => {
  const tempDir = useTempDir();

  it('count successes and failures and clear the checkpoint when a sync ends', () => {
    const store = openStore(join(tempDir(), 'atom.db'));
    store.syncState.beginOrResume('full', T0);
    store.syncState.finish({ ok: true }, T0 + 10);
    store.syncState.beginOrResume('incremental', T0 + 20);
    store.syncState.finish({ ok: false, error: 'timeout' }, T0 + 30);
    expect(store.syncState.get()).toMatchObject({
      status: 'failed', totalSyncs: 2, successfulSyncs: 1, failedSyncs: 1, lastError: 'timeout',
      lastSyncAt: T0 + 30, lastSuccessfulSyncAt: T0 + 10, lastFullSyncAt: T0 + 10, cursor: null, syncKind: null,
    });
    store.syncState.advanceSeq(42);
    store.syncState.advanceSeq(7);
    expect(store.syncState.get().highWaterSeq).toBe(42);
    store.close();
  });
});
