/**
 * TCP segments (RFC 9293) over IPv4. The model's `TcpHeader` is the repr: flags as tcpdump's
 * string ("S", "S.", ".", "P.", "F.", "R."), and the MSS option, the only option the model
 * holds. Parsing skips other options (SACK-permitted, timestamps, window scale); emitting writes
 * only MSS, so a segment re-emitted from a parsed one keeps its fields but not those options.
 * The urgent pointer is written as 0 and not read.
 */
import type { TcpHeader } from '../datapath/packet';
import { viewOf } from './bytes';
import type { PseudoHeader } from './checksum';
import { checksumOk, pseudoHeader, transportChecksum } from './checksum';
import type { ParseResult } from './result';
import { needBytes, wireError } from './result';

/** Bytes of a TCP header without options. */
export const TCP_HEADER_LEN = 20;
const IPPROTO_TCP = 6;

// tcpdump's order (print-tcp.c tcp_flag_values): FIN, SYN, RST, PUSH, ACK, URG, ECE, CWR.
const FLAG_CHARS: readonly (readonly [string, number])[] = [
  ['F', 0x01],
  ['S', 0x02],
  ['R', 0x04],
  ['P', 0x08],
  ['.', 0x10],
  ['U', 0x20],
  ['E', 0x40],
  ['W', 0x80],
];

/** tcpdump flag string → flag bits. Unknown characters are ignored; "none" is 0. */
export function tcpFlagsToBits(flags: string): number {
  let bits = 0;
  for (const [ch, bit] of FLAG_CHARS) if (flags.includes(ch)) bits |= bit;
  return bits;
}

/** Flag bits → tcpdump flag string, e.g. 0x12 → "S.", 0 → "none". */
export function tcpBitsToFlags(bits: number): string {
  const s = FLAG_CHARS.filter(([, bit]) => (bits & bit) !== 0)
    .map(([ch]) => ch)
    .join('');
  return s === '' ? 'none' : s;
}

/** What the TCP emitter and parser need from the IPv4 layer around them. */
export interface TcpContext {
  /** Enclosing IPv4 addresses. Emit: absent means 0.0.0.0 both. Parse: when given, the checksum must verify. */
  ipv4?: PseudoHeader;
}

const NO_ADDRESSES: PseudoHeader = { src: '0.0.0.0', dst: '0.0.0.0' };

/** Writes the header (with an MSS option when `h.mss` is set; checksum computed) and `payload`. */
export function emitTcp(h: TcpHeader, payload: Uint8Array, ctx: TcpContext = {}): Uint8Array {
  const headerLen = TCP_HEADER_LEN + (h.mss === undefined ? 0 : 4);
  const out = new Uint8Array(headerLen + payload.length);
  const v = viewOf(out);
  v.setUint16(0, h.sport & 0xffff);
  v.setUint16(2, h.dport & 0xffff);
  v.setUint32(4, h.seq >>> 0);
  v.setUint32(8, h.ack >>> 0);
  out[12] = (headerLen / 4) << 4;
  out[13] = tcpFlagsToBits(h.flags);
  v.setUint16(14, h.windowSize & 0xffff);
  if (h.mss !== undefined) {
    out[20] = 2;
    out[21] = 4;
    v.setUint16(22, h.mss & 0xffff);
  }
  out.set(payload, headerLen);
  v.setUint16(16, transportChecksum(ctx.ipv4 ?? NO_ADDRESSES, IPPROTO_TCP, out));
  return out;
}

/** Reads the MSS from the options area; a string when the options are malformed. */
function readMss(opts: Uint8Array): number | undefined | string {
  let mss: number | undefined;
  for (let i = 0; i < opts.length;) {
    const kind = opts[i]!;
    if (kind === 0) break;
    if (kind === 1) {
      i++;
      continue;
    }
    const len = opts[i + 1];
    if (len === undefined || len < 2 || i + len > opts.length)
      return `option ${kind} overruns the header`;
    if (kind === 2) {
      if (len !== 4) return `MSS option length ${len}, not 4`;
      mss = (opts[i + 2]! << 8) | opts[i + 3]!;
    }
    i += len;
  }
  return mss;
}

/**
 * Reads a TCP header and its MSS option. `rest` is the payload. Fails on a bad data offset,
 * malformed options, or (when `ctx.ipv4` is given) a wrong checksum. WARNING: `bytes` must end
 * where the segment ends (as `parseIpv4`'s `rest` does): the checksum covers all of it.
 */
export function parseTcp(bytes: Uint8Array, ctx: TcpContext = {}): ParseResult<TcpHeader> {
  const short = needBytes('tcp', bytes, TCP_HEADER_LEN);
  if (short) return short;
  const v = viewOf(bytes);
  const headerLen = (bytes[12]! >> 4) * 4;
  if (headerLen < TCP_HEADER_LEN || headerLen > bytes.length) {
    return wireError('tcp', `data offset ${headerLen} outside 20..${bytes.length}`, 12);
  }
  if (ctx.ipv4 && !checksumOk([pseudoHeader(ctx.ipv4, IPPROTO_TCP, bytes.length), bytes])) {
    return wireError('tcp', 'bad checksum', 16);
  }
  const mss = readMss(bytes.subarray(TCP_HEADER_LEN, headerLen));
  if (typeof mss === 'string') return wireError('tcp', mss, TCP_HEADER_LEN);
  const header: TcpHeader = {
    kind: 'tcp',
    sport: v.getUint16(0),
    dport: v.getUint16(2),
    flags: tcpBitsToFlags(bytes[13]!),
    seq: v.getUint32(4),
    ack: v.getUint32(8),
    windowSize: v.getUint16(14),
  };
  if (mss !== undefined) header.mss = mss;
  return { ok: true, header, rest: bytes.subarray(headerLen) };
}

/**
 * tcpdump style with absolute sequence numbers: "34567 > 80: Flags [P.], seq 1001:1011, ack 2001,
 * win 502, length 10". The ack is shown when the ACK flag is set, as tcpdump does.
 */
export function formatTcp(h: TcpHeader, payloadLength = 0): string {
  const bits = tcpFlagsToBits(h.flags);
  const seq = payloadLength > 0 ? `${h.seq}:${(h.seq + payloadLength) >>> 0}` : `${h.seq}`;
  const ack = (bits & 0x10) !== 0 ? `, ack ${h.ack}` : '';
  const opts = h.mss === undefined ? '' : `, options [mss ${h.mss}]`;
  return `${h.sport} > ${h.dport}: Flags [${tcpBitsToFlags(bits)}], seq ${seq}${ack}, win ${h.windowSize}${opts}, length ${payloadLength}`;
}
