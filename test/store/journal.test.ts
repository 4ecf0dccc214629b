import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { openStore } from '../../src/store/index.ts';
import { useTempDir } from '../support/temp-dir.ts';

const T0 = Date.parse('2026-03-01T00:00:00Z');

describe('the transition journal as traces read it', () => {
  const tempDir = useTempDir();

  it('keeps event and context JSON, lists a time range oldest first and each actor where it stood before it', () => {
    const store = openStore(join(tempDir(), 'atom.db'));
    const row = (i: number, actorId: string, to: string) =>
      store.journal.append({ at: T0 + i * 1000, actorId, eventType: `e${i}`, fromState: 'x', toState: to, event: JSON.stringify({ type: `e${i}`, n: i }), context: JSON.stringify({ i }) });
    row(0, 'a', 'a0');
    row(1, 'b', 'b1');
    row(2, 'a', 'a2');
    row(3, 'b', 'b3');
    row(4, 'a', 'a4');
    const slice = store.journal.between(T0 + 2000, T0 + 3000, 100);
    expect(slice.map((r) => r.eventType)).toEqual(['e2', 'e3']);
    expect(JSON.parse(slice[0]!.event!)).toEqual({ type: 'e2', n: 2 });
    expect(JSON.parse(slice[1]!.context!)).toEqual({ i: 3 });
    expect(store.journal.between(T0, T0 + 10_000, 2).map((r) => r.eventType)).toEqual(['e0', 'e1']);
    const before = store.journal.lastBefore(T0 + 2500).sort((x, y) => x.actorId.localeCompare(y.actorId));
    expect(before.map((r) => [r.actorId, r.toState, r.context])).toEqual([['a', 'a2', '{"i":2}'], ['b', 'b1', '{"i":1}']]);
    expect(store.journal.lastBefore(T0)).toEqual([]);
    store.close();
  });
});
