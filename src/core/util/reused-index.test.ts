import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { getIndex, setIndex, startIndex } from './reused-index';

/** Keys as routes make them (network · 64 + prefix), clustered so that probes collide, and a few huge ones. */
const key = fc.oneof(
  fc.integer({ min: 0, max: 40 }),
  fc.tuple(fc.integer({ min: 0, max: 0xffffffff }), fc.integer({ min: 0, max: 32 })).map(([n, p]) => n * 64 + p),
  fc.constantFrom(0, 0xffffffff * 64 + 32, 2 ** 53 - 1, 2 ** 32, 2 ** 32 + 1),
);

describe('reused index', () => {
  it('answers as a Map made afresh per call does, across calls that reuse and grow it', () => {
    const call = fc.array(fc.tuple(fc.boolean(), key, fc.integer({ min: 0, max: 1000 })), { maxLength: 700 });
    fc.assert(
      fc.property(fc.array(call, { minLength: 1, maxLength: 4 }), (calls) => {
        for (const ops of calls) {
          startIndex(ops.length);
          const m = new Map<number, number>();
          for (const [isSet, k, v] of ops) {
            if (isSet) {
              setIndex(k, v);
              m.set(k, v);
            } else expect(getIndex(k)).toBe(m.get(k));
          }
          for (const k of m.keys()) expect(getIndex(k)).toBe(m.get(k));
        }
      }),
      { numRuns: 300 },
    );
  });
});
