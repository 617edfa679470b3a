import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { IPv4, IPv4CidrRange, IPv4Prefix, Validator } from 'ip-num';
import { dottedQuadToInt, intToIpv4, ipv4ToInt, isIPv4, parseCidr, subnetAt } from './ip';

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

describe('isIPv4', () => {
  it("agrees with ip-num's validator on every octet value in every position, and on arbitrary strings", () => {
    const octets = [...Array.from({ length: 300 }, (_, i) => String(i)), '00', '01', '010', '+1', '-1', ' 1', '1 ', '', 'a', '1e2', '0x1', '٣', '２'];
    for (const o of octets)
      for (let pos = 0; pos < 4; pos++) {
        const parts = ['10', '0', '0', '1'];
        parts[pos] = o;
        const s = parts.join('.');
        expect(isIPv4(s), s).toBe(Validator.isValidIPv4String(s)[0]);
      }
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.ipV4(), fc.ipV4Extended(), fc.array(fc.oneof(fc.nat({ max: 999 }).map(String), fc.string({ maxLength: 3 })), { minLength: 1, maxLength: 6 }).map((a) => a.join('.'))), (s) => isIPv4(s) === Validator.isValidIPv4String(s)[0]),
      { numRuns: 5000 },
    );
  });
});

describe('dottedQuadToInt', () => {
  it('reads exactly the strings isIPv4 accepts, to the number ipv4ToInt gives', () => {
    const strings = fc.oneof(fc.string(), fc.ipV4(), fc.ipV4Extended(), fc.array(fc.oneof(fc.nat({ max: 999 }).map(String), fc.constantFrom('0', '00', '01', '255', '256', ''), fc.string({ maxLength: 3 })), { minLength: 1, maxLength: 6 }).map((a) => a.join('.')));
    fc.assert(
      fc.property(strings, (s) => {
        const n = dottedQuadToInt(s);
        expect(n !== undefined, s).toBe(isIPv4(s));
        if (n !== undefined) expect(n).toBe(ipv4ToInt(s));
      }),
      { numRuns: 5000 },
    );
    expect(dottedQuadToInt('255.255.255.255')).toBe(0xffffffff);
  });
});
