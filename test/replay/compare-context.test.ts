import { describe, expect, it } from 'vitest';
import { contextDifference } from '../../src/replay/compare-context.ts';

describe('contextDifference', () => {
  it('names the first field that differs, by path, with both values', () => {
    expect(contextDifference({ a: 1, lastError: { kind: 'auth' } }, { a: 1, lastError: { kind: 'transient' } }))
      .toEqual({ path: 'context.lastError.kind', expected: '"auth"', actual: '"transient"' });
    expect(contextDifference({ pending: [1, 2] }, { pending: [1] })).toEqual({ path: 'context.pending.length', expected: '2', actual: '1' });
    expect(contextDifference({ queued: 'full' }, {})).toEqual({ path: 'context.queued', expected: '"full"', actual: 'nothing' });
  });

  it('leaves times and deadlines out, at any depth', () => {
    expect(contextDifference({ nextSyncAt: 1, fallbackUntil: 2, last: { finishedAt: 3 } }, { nextSyncAt: 9, fallbackUntil: null, last: { finishedAt: 4 } })).toBeUndefined();
  });
});
