// The bridge plugin keeps one host-local state key string per node and network (bridge.ts,
// ipamKey): whatever names it is asked for, in any order and past its bounds, the key is the
// one formatting it afresh gives.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { ipamKey } from './bridge';

describe('host-local state key', () => {
  it('is host-local:NODE:NETWORK for any names, thousands over', () => {
    const name = fc.oneof(fc.constantFrom('node-1', 'node-2', 'cbr0', 'bridge', 'kubenet', ''), fc.string({ maxLength: 6 }), fc.nat(9999).map((n) => `n${n}`));
    fc.assert(
      fc.property(fc.array(fc.tuple(name, name), { minLength: 1, maxLength: 300 }), (pairs) => {
        for (const [node, network] of pairs) expect(ipamKey(node, network)).toBe(`host-local:${node}:${network}`);
      }),
      { numRuns: 100 },
    );
  });
});
