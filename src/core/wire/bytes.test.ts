import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  bytesToIpv4,
  bytesToMac,
  fromHex,
  ipv4ToBytes,
  macToBytes,
  toHex,
  utf8Encode,
} from './bytes';

describe('byte helpers', () => {
  it('round-trips MAC and IPv4 text', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 6, maxLength: 6 }), (b) => {
        expect([...macToBytes(bytesToMac(b))]).toEqual([...b]);
        expect([...ipv4ToBytes(bytesToIpv4(b))]).toEqual([...b.subarray(0, 4)]);
      }),
    );
  });

  it('encodes invalid addresses as zeros instead of throwing', () => {
    expect([...macToBytes('nope')]).toEqual([0, 0, 0, 0, 0, 0]);
    expect([...ipv4ToBytes('10.0.0.256')]).toEqual([0, 0, 0, 0]);
    expect([...ipv4ToBytes('10.0.0')]).toEqual([0, 0, 0, 0]);
  });

  it('encodes UTF-8 as TextEncoder does', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme' }), (s) => {
        expect([...utf8Encode(s)]).toEqual([...new TextEncoder().encode(s)]);
      }),
    );
    expect([...utf8Encode('\ud800')]).toEqual([0xef, 0xbf, 0xbd]);
  });

  it('reads hex fixtures with comments and rejects bad hex', () => {
    expect(toHex(fromHex('# a comment\n0a0B\n ff\n')!)).toBe('0a0bff');
    expect(fromHex('abc')).toBeNull();
    expect(fromHex('zz')).toBeNull();
  });
});
