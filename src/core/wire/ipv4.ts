/**
 * IPv4 headers (RFC 791) without options, as Linux sends them unfragmented. The model's
 * `Ipv4Header` is the repr; TOS/DSCP, options and fragment fields are not held, so `parseIpv4`
 * drops TOS and options and rejects fragments (the model cannot reassemble), and `emitIpv4`
 * writes TOS 0 unless the context says otherwise (Linux marks its own ICMP errors 0xc0).
 */
import type { IpProtocol, Ipv4Header } from '../datapath/packet';
import { bytesToIpv4, ipv4ToBytes, viewOf } from './bytes';
import { checksumOk, internetChecksum } from './checksum';
import type { ParseResult } from './result';
import { needBytes, wireError } from './result';

/** Bytes of an IPv4 header without options. */
export const IPV4_HEADER_LEN = 20;

/** IANA protocol numbers of the protocols the model knows. */
export const IP_PROTOCOL_NUMBERS: Record<IpProtocol, number> = {
  icmp: 1,
  ipip: 4,
  tcp: 6,
  udp: 17,
  sctp: 132,
};

const PROTOCOL_BY_NUMBER = new Map<number, IpProtocol>(
  Object.entries(IP_PROTOCOL_NUMBERS).map(([name, n]) => [n, name as IpProtocol]),
);

/** The model's protocol for an IANA number, or undefined if the model has none. */
export function ipProtocolFromNumber(n: number): IpProtocol | undefined {
  return PROTOCOL_BY_NUMBER.get(n);
}

/** What the IPv4 emitter may be told beyond the header. */
export interface Ipv4EmitContext {
  /** The TOS byte, which the model does not hold. Default 0. */
  tos?: number;
}

/**
 * TOS Linux writes on ICMP errors it originates: IPTOS_PREC_INTERNETCONTROL (net/ipv4/icmp.c,
 * `icmp_send`). Real unreachable and time-exceeded captures carry it.
 */
export const TOS_INTERNETCONTROL = 0xc0;

/**
 * Writes a 20-byte header (total length from `payload`, header checksum computed) followed by
 * `payload`. WARNING: payloads over 65515 bytes are not representable; the length field wraps.
 */
export function emitIpv4(
  h: Ipv4Header,
  payload: Uint8Array,
  ctx: Ipv4EmitContext = {},
): Uint8Array {
  const out = new Uint8Array(IPV4_HEADER_LEN + payload.length);
  const v = viewOf(out);
  out[0] = 0x45;
  out[1] = (ctx.tos ?? 0) & 0xff;
  v.setUint16(2, out.length & 0xffff);
  v.setUint16(4, h.id & 0xffff);
  v.setUint16(6, h.df ? 0x4000 : 0);
  out[8] = h.ttl & 0xff;
  out[9] = IP_PROTOCOL_NUMBERS[h.protocol];
  out.set(ipv4ToBytes(h.src), 12);
  out.set(ipv4ToBytes(h.dst), 16);
  v.setUint16(10, internetChecksum([out.subarray(0, IPV4_HEADER_LEN)]));
  out.set(payload, IPV4_HEADER_LEN);
  return out;
}

/**
 * Reads an IPv4 header, checking version, lengths and the header checksum. `rest` is the
 * payload trimmed to the total length (so Ethernet padding is dropped). Fails on fragments and
 * on protocols the model does not know.
 */
export function parseIpv4(bytes: Uint8Array): ParseResult<Ipv4Header> {
  const short = needBytes('ipv4', bytes, IPV4_HEADER_LEN);
  if (short) return short;
  const v = viewOf(bytes);
  const version = bytes[0]! >> 4;
  const ihl = (bytes[0]! & 0x0f) * 4;
  if (version !== 4) return wireError('ipv4', `version ${version}, not 4`, 0);
  if (ihl < IPV4_HEADER_LEN) return wireError('ipv4', `header length ${ihl} below 20`, 0);
  const total = v.getUint16(2);
  if (total < ihl || total > bytes.length) {
    return wireError('ipv4', `total length ${total} outside ${ihl}..${bytes.length}`, 2);
  }
  if (!checksumOk([bytes.subarray(0, ihl)])) return wireError('ipv4', 'bad header checksum', 10);
  const fragField = v.getUint16(6);
  if ((fragField & 0x3fff) !== 0)
    return wireError('ipv4', 'fragment: the model does not reassemble', 6);
  const protocol = ipProtocolFromNumber(bytes[9]!);
  if (!protocol) return wireError('ipv4', `unsupported protocol ${bytes[9]}`, 9);
  return {
    ok: true,
    header: {
      kind: 'ipv4',
      src: bytesToIpv4(bytes, 12),
      dst: bytesToIpv4(bytes, 16),
      ttl: bytes[8]!,
      protocol,
      id: v.getUint16(4),
      df: (fragField & 0x4000) !== 0,
    },
    rest: bytes.subarray(ihl, total),
  };
}

const PROTOCOL_LABEL: Record<IpProtocol, string> = {
  icmp: 'ICMP',
  ipip: 'IPIP',
  tcp: 'TCP',
  udp: 'UDP',
  sctp: 'SCTP',
};

/**
 * tcpdump `-v` style: "IP (tos 0x0, ttl 64, id 1, offset 0, flags [DF], proto TCP (6), length 60)
 * 10.0.0.1 > 10.0.0.2". `totalLength` is the IPv4 total length, if known.
 */
export function formatIpv4(h: Ipv4Header, totalLength?: number): string {
  const len = totalLength === undefined ? '' : `, length ${totalLength}`;
  const proto = `${PROTOCOL_LABEL[h.protocol]} (${IP_PROTOCOL_NUMBERS[h.protocol]})`;
  const flags = h.df ? '[DF]' : '[none]';
  return `IP (tos 0x0, ttl ${h.ttl}, id ${h.id}, offset 0, flags ${flags}, proto ${proto}${len}) ${h.src} > ${h.dst}`;
}
