/**
 * SCTP (RFC 9260) over IPv4: the 12-byte common header (ports, verification tag, CRC32c) and
 * one chunk — INIT, INIT ACK (with the state cookie parameter a real one must carry) or ABORT —
 * which is all a trace of an association attempt needs. The checksum is CRC32c over the whole
 * packet with the checksum field zero, stored little-endian as the RFC's appendix does.
 */
import type { SctpHeader } from '../datapath/packet';
import { viewOf } from './bytes';
import type { ParseResult } from './result';
import { needBytes, wireError } from './result';

export const SCTP_COMMON_LEN = 12;
const CHUNK_TYPE = { INIT: 1, INIT_ACK: 2, ABORT: 6 } as const;
const CHUNK_BY_TYPE: Record<number, SctpHeader['chunk']> = { 1: 'INIT', 2: 'INIT_ACK', 6: 'ABORT' };

let table: Uint32Array | undefined;

/** CRC32c (Castagnoli, reflected polynomial 0x82F63B78). */
export function crc32c(b: Uint8Array): number {
  if (!table) {
    table = new Uint32Array(256);
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ 0x82f63b78 : c >>> 1;
      table[n] = c >>> 0;
    }
  }
  let crc = 0xffffffff;
  for (let i = 0; i < b.length; i++) crc = table[(crc ^ b[i]!) & 0xff]! ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

function chunkBytes(h: SctpHeader): Uint8Array {
  if (h.chunk === 'ABORT') return new Uint8Array([CHUNK_TYPE.ABORT, 0, 0, 4]);
  // INIT / INIT ACK fixed part: initiate tag, a_rwnd, outbound/inbound streams, initial TSN.
  const cookie = h.chunk === 'INIT_ACK' ? 12 : 0; // State Cookie parameter (type 7) with 8 bytes
  const out = new Uint8Array(20 + cookie);
  const v = viewOf(out);
  v.setUint8(0, CHUNK_TYPE[h.chunk]);
  v.setUint16(2, out.length);
  v.setUint32(4, (h.sport * 65536 + h.dport) >>> 0 || 1); // a deterministic, non-zero tag
  v.setUint32(8, 106496);
  v.setUint16(12, 10);
  v.setUint16(14, 10);
  v.setUint32(16, 1);
  if (cookie) {
    v.setUint16(20, 7);
    v.setUint16(22, 12);
  }
  return out;
}

/** Common header + the chunk, followed by `payload` (normally empty), with the CRC32c filled in. */
export function emitSctp(h: SctpHeader, payload: Uint8Array = new Uint8Array(0)): Uint8Array {
  const chunk = chunkBytes(h);
  const out = new Uint8Array(SCTP_COMMON_LEN + chunk.length + payload.length);
  const v = viewOf(out);
  v.setUint16(0, h.sport);
  v.setUint16(2, h.dport);
  v.setUint32(4, h.vtag >>> 0);
  out.set(chunk, SCTP_COMMON_LEN);
  out.set(payload, SCTP_COMMON_LEN + chunk.length);
  v.setUint32(8, crc32c(out), true);
  return out;
}

/** Parses the common header and first chunk; the checksum must verify. */
export function parseSctp(bytes: Uint8Array): ParseResult<SctpHeader> {
  const short = needBytes('sctp', bytes, SCTP_COMMON_LEN + 4);
  if (short) return short;
  const v = viewOf(bytes);
  const sum = v.getUint32(8, true);
  const copy = bytes.slice();
  viewOf(copy).setUint32(8, 0);
  if (crc32c(copy) !== sum) return wireError('sctp', 'bad CRC32c checksum', 8);
  const chunk = CHUNK_BY_TYPE[v.getUint8(12)];
  if (!chunk) return wireError('sctp', `unmodelled chunk type ${v.getUint8(12)}`, 12);
  const len = v.getUint16(14);
  const header: SctpHeader = { kind: 'sctp', sport: v.getUint16(0), dport: v.getUint16(2), vtag: v.getUint32(4), chunk };
  return { ok: true, header, rest: bytes.subarray(Math.min(bytes.length, SCTP_COMMON_LEN + ((len + 3) & ~3))) };
}

/** tcpdump's line: `sctp (1) [INIT]`. */
export function formatSctp(h: SctpHeader): string {
  return `sctp (1) [${h.chunk === 'INIT_ACK' ? 'INIT ACK' : h.chunk}]`;
}
