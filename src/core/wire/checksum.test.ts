import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  checksumOk,
  internetChecksum,
  onesComplementSum,
  pseudoHeader,
  transportChecksum,
} from './checksum';

/** Reference: RFC 1071 §4.1 literally, 32-bit accumulator folded at the end. */
function referenceChecksum(data: Uint8Array): number {
  let sum = 0;
  let i = 0;
  for (; i + 1 < data.length; i += 2) sum += data[i]! * 256 + data[i + 1]!;
  if (i < data.length) sum += data[i]! * 256;
  while (sum > 0xffff) sum = (sum % 0x10000) + Math.floor(sum / 0x10000);
  return 0xffff - sum;
}

describe('internet checksum', () => {
  it('matches the RFC 1071 §3 worked example', () => {
    const data = Uint8Array.of(0x00, 0x01, 0xf2, 0x03, 0xf4, 0xf5, 0xf6, 0xf7);
    expect(onesComplementSum([data])).toBe(0xddf2);
    expect(internetChecksum([data])).toBe(0x220d);
  });

  it('agrees with the reference over any bytes, however they are chunked at even offsets', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 3000 }), fc.nat(1500), (data, cut) => {
        const at = Math.min(data.length, cut * 2);
        expect(internetChecksum([data.subarray(0, at), data.subarray(at)])).toBe(
          referenceChecksum(data),
        );
      }),
    );
  });

  it('verifies data with its checksum appended', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 2, maxLength: 200 }).map((d) => d.subarray(0, d.length & ~1)),
        (data) => {
          const c = internetChecksum([data]);
          expect(checksumOk([data, Uint8Array.of(c >> 8, c & 0xff)])).toBe(true);
        },
      ),
    );
  });

  it('builds the IPv4 pseudo-header of RFC 768', () => {
    expect([...pseudoHeader({ src: '10.0.0.1', dst: '192.168.1.2' }, 17, 300)]).toEqual([
      10, 0, 0, 1, 192, 168, 1, 2, 0, 17, 1, 44,
    ]);
    const seg = Uint8Array.of(1, 2, 3);
    expect(transportChecksum({ src: '1.2.3.4', dst: '5.6.7.8' }, 6, seg)).toBe(
      referenceChecksum(Uint8Array.of(1, 2, 3, 4, 5, 6, 7, 8, 0, 6, 0, 3, 1, 2, 3)),
    );
  });
});
