import { describe, expect, it } from 'vitest';
import { and, not, or } from 'xstate';
import { escapeLabel, escapeName, guardLabel } from '../../src/viz/labels.ts';

describe('labels', () => {
  it('names guards as the chart wrote them', () => {
    expect(guardLabel(undefined)).toBeNull();
    expect(guardLabel('canRetry')).toBe('canRetry');
    expect(guardLabel({ type: 'isAuth' })).toBe('isAuth');
    expect(guardLabel(not('isLate'))).toBe('not isLate');
    expect(guardLabel(and(['a', or(['b', 'c'])]))).toBe('a and b or c');
    expect(guardLabel(() => true)).toBe('inline guard');
  });

  it('keeps out what ends a Mermaid label or name', () => {
    expect(escapeLabel('done: x; y\nz')).toBe('done∶ x, y z');
    expect(escapeName('say "hi"')).toBe("say 'hi'");
  });
});
