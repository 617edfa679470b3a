// sortedByName against the stable built-in sort it replaces in iptables-save's chain order.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { sortedByName } from './sort-by-name';

interface Item {
  name: string;
  id: number;
}

/** The order it must give: Array.prototype.sort (stable) comparing names with `<`. */
function reference(items: readonly Item[]): Item[] {
  return [...items].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

const piece = fc.constantFrom('A', 'a', 'Z', '0', '-', '_', 'KUBE-', 'SEP-', 'SVC-', 'É', '\uffff', '\ud83d', '\ude00', '\u0001');
const name = fc.array(piece, { maxLength: 8 }).map((xs) => xs.join(''));
const items = (n: fc.Arbitrary<string>, maxLength: number) =>
  fc.array(n, { maxLength, size: 'max' }).map((names) => names.map((x, id): Item => ({ name: x, id })));

describe('sortedByName', () => {
  it('orders as the stable built-in sort does, equal names kept in their order', () => {
    fc.assert(
      fc.property(items(name, 400), (xs) => {
        const before = [...xs];
        expect(sortedByName(xs)).toEqual(reference(xs));
        expect(xs).toEqual(before);
      }),
      { numRuns: 500 },
    );
  });

  it('orders many names that share long prefixes (the kube-proxy shape)', () => {
    const hashed = fc
      .tuple(fc.constantFrom('KUBE-SEP-', 'KUBE-SVC-', 'KUBE-FW-', 'KUBE-'), fc.array(fc.constantFrom('A', 'B', 'C', '2', '7'), { maxLength: 6 }))
      .map(([p, h]) => p + h.join(''));
    fc.assert(
      fc.property(items(hashed, 2000), (xs) => {
        expect(sortedByName(xs)).toEqual(reference(xs));
      }),
      { numRuns: 100 },
    );
  });

  it('keeps the order of many equal names, the longest ones included', () => {
    fc.assert(
      fc.property(fc.uniqueArray(name, { minLength: 1, maxLength: 4 }), fc.array(fc.nat(), { minLength: 20, maxLength: 200 }), (names, picks) => {
        const xs = picks.map((k, id): Item => ({ name: names[k % names.length]!, id }));
        expect(sortedByName(xs)).toEqual(reference(xs));
      }),
      { numRuns: 300 },
    );
  });

  it('sorts names holding NUL as the built-in sort does (they go to it)', () => {
    const withNul = fc.oneof(name, fc.tuple(fc.constantFrom('', 'A', 'KUBE-'), name).map(([x, y]) => `${x}\u0000${y}`));
    fc.assert(
      fc.property(items(withNul, 60), (xs) => {
        expect(sortedByName(xs)).toEqual(reference(xs));
      }),
      { numRuns: 300 },
    );
  });

  it('sorts very long names as the built-in sort does (they go to it)', () => {
    const long = fc.oneof(name, fc.tuple(fc.constantFrom('A', 'B'), fc.string({ minLength: 250, maxLength: 300 })).map(([x, y]) => x + y));
    fc.assert(
      fc.property(items(long, 40), (xs) => {
        expect(sortedByName(xs)).toEqual(reference(xs));
      }),
      { numRuns: 100 },
    );
  });
});
