import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { openStore } from '../../src/store/index.ts';
import { createJournalRepository } from '../../src/store/journal.ts';
import { useTempDir } from '../support/temp-dir.ts';

const T0 = Date.parse('2026-03-01T00:00:00Z');

describe('websocket_state, actor snapshots and the transition journal', () => {
  const tempDir = useTempDir();

  it('websocket_state writes the given fields and keeps the others', () => {
    const store = openStore(join(tempDir(), 'atom.db'));
    store.websocketState.save({ state: 'open', connected: true, connectedAt: T0, reconnectAttempts: 0 }, T0);
    store.websocketState.save({ state: 'backingOff', connected: false, lastDisconnectReason: 'heartbeat timeout', nextAttemptAt: T0 + 1000 }, T0 + 5);
    expect(store.websocketState.get()).toMatchObject({
      state: 'backingOff', connected: false, connectedAt: T0, lastDisconnectReason: 'heartbeat timeout',
      nextAttemptAt: T0 + 1000, fallbackToPolling: false, updatedAt: T0 + 5,
    });
    store.websocketState.save({ nextAttemptAt: null }, T0 + 6);
    expect(store.websocketState.get().nextAttemptAt).toBeNull();
    store.close();
  });

  it('snapshots round-trip per actor', () => {
    const store = openStore(join(tempDir(), 'atom.db'));
    store.snapshots.save('connection', 'connection', { value: 'open', context: { n: 1 } }, T0);
    store.snapshots.save('connection', 'connection', { value: 'backingOff', context: { n: 2 } }, T0 + 1);
    expect(store.snapshots.load('connection')).toEqual({ machine: 'connection', snapshot: { value: 'backingOff', context: { n: 2 } }, updatedAt: T0 + 1 });
    store.snapshots.remove('connection');
    expect(store.snapshots.load('connection')).toBeUndefined();
    store.close();
  });

  it('the journal stays bounded and lists newest first', () => {
    const store = openStore(join(tempDir(), 'atom.db'));
    const journal = createJournalRepository(store.db, 50);
    for (let i = 0; i < 200; i += 1) {
      journal.append({ at: T0 + i, actorId: i % 2 ? 'a' : 'b', eventType: `e${i}`, fromState: 'x', toState: 'y', event: null, context: null });
    }
    expect(journal.count()).toBeLessThanOrEqual(55);
    expect(journal.count()).toBeGreaterThanOrEqual(50);
    expect(journal.recent(2).map((e) => e.eventType)).toEqual(['e199', 'e198']);
    expect(journal.recent(2, 'b').map((e) => e.eventType)).toEqual(['e198', 'e196']);
    store.close();
  });
});
