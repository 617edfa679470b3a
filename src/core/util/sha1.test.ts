import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { createHash } from 'node:crypto';
import { sha1HexPrefix } from './sha1';
import { sha1Hex } from './hash';

const ref = (s: string) => createHash('sha1').update(s, 'utf8').digest('hex');

describe('sha1HexPrefix', () => {
  it('is SHA-1 (FIPS 180-4 examples, and every length around the block boundaries)', () => {
    expect(sha1HexPrefix('abc')).toBe('a9993e364706816aba3e25717850c26c9cd0d89d');
    expect(sha1HexPrefix('')).toBe('da39a3ee5e6b4b0d3255bfef95601890afd80709');
    expect(sha1HexPrefix('abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq')).toBe('84983e441c3bd26ebaae4aa1f95129e5e54670f1');
    for (let n = 0; n < 200; n++) expect(sha1HexPrefix('x'.repeat(n)), `length ${n}`).toBe(ref('x'.repeat(n)));
  });

  it('agrees with node:crypto on any string (UTF-8, lone surrogates included) and any prefix length', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.string({ unit: 'grapheme' }), fc.string({ unit: 'binary' })), fc.integer({ min: 0, max: 40 }), (s, d) => sha1HexPrefix(s, d) === ref(s).slice(0, d)),
      { numRuns: 3000 },
    );
  });

  it('sha1Hex is the whole digest', () => {
    expect(sha1Hex('default.web')).toBe(ref('default.web'));
  });
});
