import { describe, expect, it } from 'vitest';
import { nextConflictState } from '../../src/conflicts/row-lifecycle.ts';

describe('conflict row lifecycle', () => {
  it('detected → resolved automatically, or → awaitingOperator → resolved by an operator', () => {
    expect(nextConflictState('detected', 'conflict.autoResolved')).toBe('resolved');
    expect(nextConflictState('detected', 'conflict.queued')).toBe('awaitingOperator');
    expect(nextConflictState('awaitingOperator', 'conflict.resolve')).toBe('resolved');
  });

  it('refuses what the chart does not allow', () => {
    expect(nextConflictState('resolved', 'conflict.resolve')).toBeUndefined();
    expect(nextConflictState('detected', 'conflict.resolve')).toBeUndefined();
    expect(nextConflictState('awaitingOperator', 'conflict.queued')).toBeUndefined();
  });
});
