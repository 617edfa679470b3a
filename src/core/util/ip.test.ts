import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { IPv4, IPv4CidrRange, IPv4Prefix } from 'ip-num';
import { intToIpv4, parseCidr, subnetAt } from './ip';

/** subnetAt as it was written with ip-num's BigInt splitting: the integer version must agree. */
function subnetAtIpNum(text: string, newPrefix: number, index: number): string | null {
  const c = parseCidr(text)!;
  if (newPrefix < c.prefix || newPrefix > 32) return null;
  if (index < 0 || index >= 2 ** (newPrefix - c.prefix)) return null;
  const first = IPv4CidrRange.fromCidr(c.text).getFirst().getValue() + BigInt(index) * 2n ** BigInt(32 - newPrefix);
  return parseCidr(new IPv4CidrRange(new IPv4(first), new IPv4Prefix(BigInt(newPrefix))).toCidrString())!.text;
}

describe('subnetAt', () => {
  it('gives the block ip-num gives, for any CIDR, block size and index', () => {
    fc.assert(
      fc.property(fc.nat({ max: 2 ** 32 - 1 }), fc.integer({ min: 0, max: 32 }), fc.integer({ min: 0, max: 32 }), fc.integer({ min: -2, max: 2 ** 20 }), (addr, prefix, newPrefix, index) => {
        const text = `${intToIpv4(addr)}/${prefix}`;
        expect(subnetAt(parseCidr(text)!, newPrefix, index)?.text ?? null).toBe(subnetAtIpNum(text, newPrefix, index));
      }),
      { numRuns: 3000 },
    );
  });

  it('walks the /24s of a /16 in order', () => {
    const c = parseCidr('10.244.0.0/16')!;
    expect([0, 1, 255, 256].map((i) => subnetAt(c, 24, i)?.text ?? null)).toEqual(['10.244.0.0/24', '10.244.1.0/24', '10.244.255.0/24', null]);
  });
});
