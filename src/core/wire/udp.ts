/**
 * UDP (RFC 768) over IPv4. The model's `UdpHeader` is the repr; length and checksum are derived.
 *
 * Checksums: emitted correctly by default, with the IPv4 pseudo-header. A computed 0 is sent as
 * 0xffff, because 0 on the wire means "no checksum". Linux VXLAN devices checksum the outer
 * UDP header unless created with `noudpcsum` (`ip -d link show` on Linux 6.18 / iproute2 6.1
 * shows `udpcsum` for a device created with no option, see fixtures/frames/ORIGIN.md); pass
 * `{ checksum: false }` to imitate `noudpcsum`. Parsing accepts 0 as "not computed".
 */
import type { UdpHeader } from '../datapath/packet';
import { viewOf } from './bytes';
import type { PseudoHeader } from './checksum';
import { checksumOk, pseudoHeader, transportChecksum } from './checksum';
import type { ParseResult } from './result';
import { needBytes, wireError } from './result';

/** Bytes of a UDP header. */
export const UDP_HEADER_LEN = 8;
const IPPROTO_UDP = 17;

/** What the UDP emitter needs from the IPv4 layer around it. */
export interface UdpEmitContext {
  /** Enclosing IPv4 addresses; absent means 0.0.0.0 for both (the checksum is then of no use). */
  ipv4?: PseudoHeader;
  /** Write checksum 0 ("noudpcsum") instead of computing it. Default true. */
  checksum?: boolean;
}

/** What the UDP parser may check against. */
export interface UdpParseContext {
  /** Enclosing IPv4 addresses; when given, a non-zero checksum must verify. */
  ipv4?: PseudoHeader;
}

const NO_ADDRESSES: PseudoHeader = { src: '0.0.0.0', dst: '0.0.0.0' };

/** Writes the 8-byte header (length and checksum computed) followed by `payload`. */
export function emitUdp(h: UdpHeader, payload: Uint8Array, ctx: UdpEmitContext = {}): Uint8Array {
  const out = new Uint8Array(UDP_HEADER_LEN + payload.length);
  const v = viewOf(out);
  v.setUint16(0, h.sport & 0xffff);
  v.setUint16(2, h.dport & 0xffff);
  v.setUint16(4, out.length & 0xffff);
  out.set(payload, UDP_HEADER_LEN);
  if (ctx.checksum !== false) {
    const sum = transportChecksum(ctx.ipv4 ?? NO_ADDRESSES, IPPROTO_UDP, out);
    v.setUint16(6, sum === 0 ? 0xffff : sum);
  }
  return out;
}

/**
 * Reads a UDP header. `rest` is the payload trimmed to the UDP length field. Fails when the
 * length field is out of range, or when `ctx.ipv4` is given and a non-zero checksum is wrong.
 */
export function parseUdp(bytes: Uint8Array, ctx: UdpParseContext = {}): ParseResult<UdpHeader> {
  const short = needBytes('udp', bytes, UDP_HEADER_LEN);
  if (short) return short;
  const v = viewOf(bytes);
  const length = v.getUint16(4);
  if (length < UDP_HEADER_LEN || length > bytes.length) {
    return wireError('udp', `length ${length} outside 8..${bytes.length}`, 4);
  }
  const datagram = bytes.subarray(0, length);
  if (
    ctx.ipv4 &&
    v.getUint16(6) !== 0 &&
    !checksumOk([pseudoHeader(ctx.ipv4, IPPROTO_UDP, length), datagram])
  ) {
    return wireError('udp', 'bad checksum', 6);
  }
  return {
    ok: true,
    header: { kind: 'udp', sport: v.getUint16(0), dport: v.getUint16(2) },
    rest: bytes.subarray(UDP_HEADER_LEN, length),
  };
}

/** tcpdump style without addresses: "34567 > 53: UDP, length 12" (`length` = payload bytes). */
export function formatUdp(h: UdpHeader, payloadLength?: number): string {
  const len = payloadLength === undefined ? '' : `, length ${payloadLength}`;
  return `${h.sport} > ${h.dport}: UDP${len}`;
}
