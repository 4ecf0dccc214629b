import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { stateString } from '../../src/runtime/actor-host.ts';
import { stateValueOf } from '../../src/replay/state-value.ts';

const name = fc.stringMatching(/^[a-zA-Z][a-zA-Z0-9]{0,8}$/);
// Compound states nest; parallel regions sit at the root (no chart nests them deeper).
const compound: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
  value: fc.oneof({ depthSize: 'small' }, name, fc.dictionary(name, tie('value'), { minKeys: 1, maxKeys: 1 })),
})).value;

describe('stateValueOf', () => {
  it('reads back the value stateString wrote', () => {
    fc.assert(fc.property(fc.oneof(compound, fc.dictionary(name, name, { minKeys: 2, maxKeys: 3 })), (value) => {
      expect(stateValueOf(stateString(value))).toEqual(value);
    }));
  });

  it('reads the journal strings of the charts', () => {
    expect(stateValueOf('idle')).toBe('idle');
    expect(stateValueOf('link.open')).toEqual({ link: 'open' });
    expect(stateValueOf('a.x,b.y')).toEqual({ a: 'x', b: 'y' });
  });
});
