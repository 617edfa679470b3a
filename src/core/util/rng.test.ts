import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { createRng, hexId, hexIdGrouped, macFor } from './rng';

/** hexId and macFor as they were written on top of createRng: the reference the fast paths must equal. */
function hexIdRef(seed: number, n: number, ...labels: (string | number)[]): string {
  const rng = createRng(seed, 'hex', ...labels);
  let out = '';
  while (out.length < n) out += rng.u32().toString(16).padStart(8, '0');
  return out.slice(0, n);
}

function macForRef(seed: number, ...labels: (string | number)[]): string {
  const rng = createRng(seed, 'mac', ...labels);
  let out = '';
  for (let i = 0; i < 6; i++) {
    let b = rng.int(0, 255);
    if (i === 0) b = (b & 0xfe) | 0x02;
    out += (i ? ':' : '') + (b < 16 ? '0' : '') + b.toString(16);
  }
  return out;
}

const label = fc.oneof(fc.string(), fc.string({ unit: 'grapheme' }), fc.integer(), fc.double({ noNaN: false }));
const seed = fc.oneof(fc.integer(), fc.constant(0), fc.constant(-1), fc.constant(2 ** 32 + 5));

describe('hexId and macFor derive the same values as a generator from createRng', () => {
  it('hexId equals the createRng stream for any seed, length and labels', () => {
    fc.assert(fc.property(seed, fc.integer({ min: 0, max: 70 }), fc.array(label, { maxLength: 4 }), (s, n, labels) => hexId(s, n, ...labels) === hexIdRef(s, n, ...labels)), { numRuns: 2000 });
  });

  it('macFor equals the createRng stream and is a locally administered unicast MAC', () => {
    fc.assert(
      fc.property(seed, fc.array(label, { maxLength: 4 }), (s, labels) => {
        const mac = macFor(s, ...labels);
        return mac === macForRef(s, ...labels) && /^[0-9a-f][26ae](:[0-9a-f]{2}){5}$/.test(mac);
      }),
      { numRuns: 2000 },
    );
  });

  it('hexIdGrouped is hexId cut into groups joined by dashes', () => {
    fc.assert(
      fc.property(seed, fc.array(fc.integer({ min: 1, max: 20 }), { minLength: 1, maxLength: 6 }), fc.array(label, { maxLength: 3 }), (s, groups, labels) => {
        const h = hexIdRef(s, groups.reduce((a, b) => a + b, 0), ...labels);
        const parts: string[] = [];
        let at = 0;
        for (const g of groups) parts.push(h.slice(at, (at += g)));
        return hexIdGrouped(s, groups, ...labels) === parts.join('-');
      }),
      { numRuns: 1000 },
    );
  });

  it('keeps the ids the rest of the suite pins (examples)', () => {
    expect(hexId(42, 64, 'sandbox', 'default/a')).toBe(hexIdRef(42, 64, 'sandbox', 'default/a'));
    expect(macFor(0, 'node-1', 'flannel.1')).toBe(macForRef(0, 'node-1', 'flannel.1'));
  });
});
