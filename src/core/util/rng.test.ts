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

/** createRng as it was first written (labels joined, closures over the state): the reference for the class. */
function createRngRef(seed: number, ...labels: (string | number)[]): { u32(): number; next(): number; int(min: number, max: number): number } {
  const key = labels.join('\u0000');
  const s = seed >>> 0;
  let a = (s ^ 0x9e3779b9) >>> 0;
  let b = (s + 0x85ebca6b) >>> 0;
  let c = (s ^ 0xc2b2ae35) >>> 0;
  for (let i = 0; i < key.length; i++) {
    const ch = key.charCodeAt(i);
    a = Math.imul(a ^ ch, 0x01000193) >>> 0;
    b = Math.imul(b ^ ch, 0x01000193) >>> 0;
    c = Math.imul(c ^ ch, 0x01000193) >>> 0;
  }
  let d = s;
  const u32 = (): number => {
    a >>>= 0;
    b >>>= 0;
    c >>>= 0;
    d >>>= 0;
    let t = (a + b) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    d = (d + 1) | 0;
    t = (t + d) | 0;
    c = (c + t) | 0;
    return t >>> 0;
  };
  for (let i = 0; i < 12; i++) u32();
  return { u32, next: () => u32() / 4294967296, int: (min, max) => min + Math.floor((u32() / 4294967296) * (max - min + 1)) };
}

describe('createRng', () => {
  it('draws the same numbers as the joined-key closure generator, for any seed, labels and mix of draws', () => {
    const draw = fc.oneof(fc.constant<['u32']>(['u32']), fc.constant<['next']>(['next']), fc.tuple(fc.constant<'int'>('int'), fc.integer({ min: -70000, max: 70000 }), fc.integer({ min: 0, max: 70000 })));
    fc.assert(
      fc.property(seed, fc.array(label, { maxLength: 4 }), fc.array(draw, { maxLength: 40 }), (s, labels, draws) => {
        const r = createRng(s, ...labels);
        const ref = createRngRef(s, ...labels);
        for (const d of draws) {
          const [got, want] = d[0] === 'int' ? [r.int(d[1], d[1] + d[2]), ref.int(d[1], d[1] + d[2])] : [r[d[0]](), ref[d[0]]()];
          if (got !== want) return false;
        }
        return true;
      }),
      { numRuns: 2000 },
    );
  });

  it('keeps the stream every flow starts from (example)', () => {
    const r = createRng(1, 'flow', 3);
    const ref = createRngRef(1, 'flow', 3);
    expect([r.int(1, 65535), r.int(32768, 60999), r.u32()]).toEqual([ref.int(1, 65535), ref.int(32768, 60999), ref.u32()]);
  });
});
