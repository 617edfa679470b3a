/**
 * Whole packets ↔ bytes: the model's header stack (outermost first) serialised inside-out, so
 * each layer knows its payload's length, and parsed outside-in, driven by EtherType, IP
 * protocol and UDP port (4789/8472 → VXLAN, protocol 4 → IPIP, port 53 → DNS).
 *
 * Round trip: `parsePacket(emitPacket(p), first).packet` equals `p` except for
 * `payload.summary`, which bytes do not hold (it comes back "" or, for DNS, the query text).
 */
import { emitSctp, parseSctp } from './sctp';
import type { Header, Ipv4Header, Packet } from '../datapath/packet';
import { emitArp, parseArp } from './arp';
import type { PseudoHeader } from './checksum';
import type { DnsMessage } from './dns';
import { DNS_PORT, emitDns, formatDns, parseDns } from './dns';
import { ETHERTYPE_ARP, ETHERTYPE_IPV4, emitEthernet, parseEthernet } from './ethernet';
import { ICMP_ERROR_TYPES, emitIcmp, parseIcmp } from './icmp';
import { TOS_INTERNETCONTROL, emitIpv4, parseIpv4 } from './ipv4';
import type { ParseResult, WireError } from './result';
import { wireError } from './result';
import { emitTcp, parseTcp } from './tcp';
import { emitUdp, parseUdp } from './udp';
import { VXLAN_PORTS, emitVxlan, parseVxlan } from './vxlan';

/** Optional extras for `emitPacket`. */
export interface EmitPacketOptions {
  /** A DNS message to carry as the payload. Its encoding replaces the filler bytes. */
  dns?: DnsMessage;
  /** Exact payload bytes (e.g. the datagram an ICMP error quotes). Ignored when `dns` is set. */
  payload?: Uint8Array;
  /** Outer UDP checksum of VXLAN packets; false imitates Linux `noudpcsum`. Default true. */
  vxlanUdpChecksum?: boolean;
}

/** Deterministic filler: byte i of the payload is i mod 256. */
export function fillerPayload(length: number): Uint8Array {
  const b = new Uint8Array(Math.max(0, Math.floor(length)));
  for (let i = 0; i < b.length; i++) b[i] = i & 0xff;
  return b;
}

/** The IPv4 addresses a transport header at `index` is checksummed under (nearest IPv4 outward). */
function enclosingIpv4(headers: readonly Header[], index: number): PseudoHeader | undefined {
  for (let i = index - 1; i >= 0; i--) {
    const h = headers[i]!;
    if (h.kind === 'ipv4') return { src: h.src, dst: h.dst };
  }
  return undefined;
}

function emitOne(
  headers: readonly Header[],
  i: number,
  inner: Uint8Array,
  opts: EmitPacketOptions,
): Uint8Array {
  const h = headers[i]!;
  switch (h.kind) {
    case 'eth':
      return emitEthernet(h, inner);
    case 'arp':
      return emitArp(h, inner);
    case 'ipv4': {
      // The model holds no TOS; imitate Linux, which marks the ICMP errors it sends.
      const next = headers[i + 1];
      const icmpError = next?.kind === 'icmp' && ICMP_ERROR_TYPES.includes(next.type);
      return emitIpv4(h, inner, { tos: icmpError ? TOS_INTERNETCONTROL : 0 });
    }
    case 'tcp':
      return emitTcp(h, inner, { ipv4: enclosingIpv4(headers, i) });
    case 'udp': {
      const vxlan = headers[i + 1]?.kind === 'vxlan';
      return emitUdp(h, inner, {
        ipv4: enclosingIpv4(headers, i),
        checksum: !vxlan || opts.vxlanUdpChecksum !== false,
      });
    }
    case 'icmp':
      return emitIcmp(h, inner);
    case 'vxlan':
      return emitVxlan(h, inner);
    case 'sctp':
      return emitSctp(h, inner);
  }
}

/**
 * Serialises the whole stack: lengths and checksums computed at every layer (TCP/UDP under the
 * nearest enclosing IPv4 header). TOS is 0, except 0xc0 on an IPv4 header directly carrying an
 * ICMP error, as Linux writes it. The payload is `opts.dns` encoded, else `opts.payload`, else
 * `payload.length` filler bytes. WARNING: with `dns` or `payload` the bytes' own length wins
 * over `p.payload.length`. EtherTypes and IP protocols are written as the headers say; a stack
 * whose fields disagree with its nesting emits bytes that `parsePacket` rejects.
 */
export function emitPacket(p: Packet, opts: EmitPacketOptions = {}): Uint8Array {
  let bytes = opts.dns ? emitDns(opts.dns) : (opts.payload ?? fillerPayload(p.payload.length));
  for (let i = p.headers.length - 1; i >= 0; i--) bytes = emitOne(p.headers, i, bytes, opts);
  return bytes;
}

/** A parsed packet, the payload bytes it carried and, for DNS, the decoded message. */
export interface ParsedPacket {
  ok: true;
  packet: Packet;
  payload: Uint8Array;
  dns?: DnsMessage;
}

/** What `parsePacket` returns: the packet, or where and why parsing stopped. */
export type PacketParseResult = ParsedPacket | { ok: false; error: WireError };

type Layer = 'eth' | 'arp' | 'ipv4' | 'tcp' | 'udp' | 'icmp' | 'vxlan' | 'end' | 'dns' | 'sctp';

const BY_ETHERTYPE: Record<number, Layer> = { [ETHERTYPE_IPV4]: 'ipv4', [ETHERTYPE_ARP]: 'arp' };

/** What a UDP datagram carries, by port: VXLAN by destination port, DNS by either. */
function udpNext(sport: number, dport: number): Layer {
  if (VXLAN_PORTS.includes(dport)) return 'vxlan';
  return sport === DNS_PORT || dport === DNS_PORT ? 'dns' : 'end';
}

/** Parses one layer; says which layer the rest is. */
function parseLayer(
  layer: Layer,
  bytes: Uint8Array,
  ipv4?: Ipv4Header,
): ParseResult<Header> & { next?: Layer } {
  const addrs = ipv4 ? { ipv4: { src: ipv4.src, dst: ipv4.dst } } : {};
  switch (layer) {
    case 'eth': {
      const r = parseEthernet(bytes);
      if (!r.ok) return r;
      const next = BY_ETHERTYPE[r.header.ethertype];
      if (next) return { ...r, next };
      return wireError('eth', `unsupported ethertype 0x${r.header.ethertype.toString(16)}`, 12);
    }
    case 'arp': {
      // ARP has no length field: what follows is Ethernet padding, not payload.
      const r = parseArp(bytes);
      return r.ok ? { ...r, rest: new Uint8Array(0), next: 'end' } : r;
    }
    case 'ipv4': {
      const r = parseIpv4(bytes);
      return r.ok ? { ...r, next: r.header.protocol === 'ipip' ? 'ipv4' : r.header.protocol } : r;
    }
    case 'udp': {
      const r = parseUdp(bytes, addrs);
      return r.ok ? { ...r, next: udpNext(r.header.sport, r.header.dport) } : r;
    }
    case 'tcp':
      return { ...parseTcp(bytes, addrs), next: 'end' };
    case 'icmp':
      return { ...parseIcmp(bytes), next: 'end' };
    case 'sctp':
      return { ...parseSctp(bytes), next: 'end' };
    default:
      return { ...parseVxlan(bytes), next: 'eth' };
  }
}

function finish(headers: Header[], payload: Uint8Array, dnsPayload: boolean): PacketParseResult {
  if (!dnsPayload)
    return {
      ok: true,
      packet: { headers, payload: { length: payload.length, summary: '' } },
      payload,
    };
  const d = parseDns(payload);
  if (!d.ok) return d;
  const summary = `DNS ${formatDns(d.header)}`;
  return {
    ok: true,
    packet: { headers, payload: { length: payload.length, summary } },
    payload,
    dns: d.header,
  };
}

/**
 * Parses a frame (`'eth'`) or a bare IPv4 packet (`'ipv4'`, e.g. from LINKTYPE_IPV4 or a
 * tunl0 capture) into the model's header stack. Checksums are verified at every layer. Fails,
 * with the layer and reason, on anything the model cannot hold (IPv6, fragments, unknown
 * protocols) and on a malformed header; never throws.
 */
export function parsePacket(bytes: Uint8Array, firstLayer: 'eth' | 'ipv4'): PacketParseResult {
  const headers: Header[] = [];
  let layer: Layer = firstLayer;
  let rest = bytes;
  let ipv4: Ipv4Header | undefined;
  while (layer !== 'end' && layer !== 'dns') {
    const r = parseLayer(layer, rest, ipv4);
    if (!r.ok) return r;
    headers.push(r.header);
    if (r.header.kind === 'ipv4') ipv4 = r.header;
    rest = r.rest;
    layer = r.next ?? 'end';
  }
  return finish(headers, rest, layer === 'dns');
}
