/**
 * The Internet checksum (RFC 1071) and the IPv4 pseudo-header that TCP and UDP checksums
 * cover (RFC 793 §3.1, RFC 768). Read first: RFC 1071 §4.1 for the reference algorithm.
 */
import type { Ipv4Address } from '../datapath/packet';
import { ipv4ToBytes } from './bytes';

/** Addresses of the enclosing IPv4 header, which TCP and UDP checksums also cover. */
export interface PseudoHeader {
  src: Ipv4Address;
  dst: Ipv4Address;
}

/**
 * One's-complement sum of 16-bit big-endian words over the chunks, folded to 16 bits but not
 * complemented. Each chunk is padded with a zero byte if its length is odd, so pass chunks
 * whose lengths are even except possibly the last.
 */
export function onesComplementSum(chunks: readonly Uint8Array[]): number {
  let sum = 0;
  for (const c of chunks) {
    for (let i = 0; i + 1 < c.length; i += 2) sum += (c[i]! << 8) | c[i + 1]!;
    if (c.length % 2 === 1) sum += c[c.length - 1]! << 8;
    // Fold often enough that `sum` never leaves the safe-integer range.
    sum = (sum & 0xffff) + Math.floor(sum / 0x10000);
  }
  while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
  return sum;
}

/** The Internet checksum over the chunks: the complement of their one's-complement sum. */
export function internetChecksum(chunks: readonly Uint8Array[]): number {
  return ~onesComplementSum(chunks) & 0xffff;
}

/** The 12-byte IPv4 pseudo-header: src, dst, zero, protocol, upper-layer length. */
export function pseudoHeader(ph: PseudoHeader, protocol: number, length: number): Uint8Array {
  const b = new Uint8Array(12);
  b.set(ipv4ToBytes(ph.src), 0);
  b.set(ipv4ToBytes(ph.dst), 4);
  b[9] = protocol;
  b[10] = (length >>> 8) & 0xff;
  b[11] = length & 0xff;
  return b;
}

/**
 * The TCP or UDP checksum of `segment` (header with its checksum field zeroed or not: the
 * caller decides) under the pseudo-header. Verifying a received segment: the sum over the
 * segment as received is 0xffff exactly when the checksum is right, see `checksumOk`.
 */
export function transportChecksum(ph: PseudoHeader, protocol: number, segment: Uint8Array): number {
  return internetChecksum([pseudoHeader(ph, protocol, segment.length), segment]);
}

/** True when the chunks, checksum field included, sum to 0xffff (RFC 1071 §1 (4)). */
export function checksumOk(chunks: readonly Uint8Array[]): boolean {
  return onesComplementSum(chunks) === 0xffff;
}
