/**
 * Small, allocation-conscious helpers to read and rewrite a packet's header stack. Every
 * rewrite returns a new Packet sharing the untouched header objects, so hop snapshots stay
 * valid forever.
 */
import type { EthernetHeader, Header, Ipv4Header, Packet } from './packet';

export const BROADCAST = 'ff:ff:ff:ff:ff:ff';

/** Index of the outermost IPv4 header, or -1. */
export function outerIpIndex(p: Packet): number {
  for (let i = 0; i < p.headers.length; i++) if (p.headers[i]!.kind === 'ipv4') return i;
  return -1;
}

/** The outermost IPv4 header (the one routing looks at). */
export function outerIp(p: Packet): Ipv4Header {
  return p.headers[outerIpIndex(p)] as Ipv4Header;
}

/** The header right after the outermost IPv4 header (TCP/UDP/ICMP or an encapsulated IPv4). */
export function l4Of(p: Packet): Header | undefined {
  return p.headers[outerIpIndex(p) + 1];
}

/**
 * The packet with another header stack, the same payload and mark. Built field by field in the
 * order every packet has (headers, payload, mark) rather than by spreading: the same object, and
 * the spreads per hop were a visible part of trace profiles.
 */
export function withHeaders(p: Packet, headers: readonly Header[]): Packet {
  return p.mark === undefined ? { headers, payload: p.payload } : { headers, payload: p.payload, mark: p.mark };
}

/**
 * The packet with skb->mark set (crossing a namespace scrubs it to 0). A packet that already
 * carries that mark is returned as it is: packets are immutable, so a hop may share it.
 */
export function withMark(p: Packet, mark: number): Packet {
  if (p.mark === mark) return p;
  return { headers: p.headers, payload: p.payload, mark };
}

export function replaceHeader(p: Packet, index: number, h: Header): Packet {
  const headers = p.headers.slice();
  headers[index] = h;
  return withHeaders(p, headers);
}

/**
 * An IPv4 header with new addresses and TTL, the other fields copied, in the key order every
 * IPv4 header has (kind, src, dst, ttl, protocol, id, df): the spread of a patch object onto a
 * header was a visible part of trace profiles (every forwarded packet gets a new TTL).
 */
export function ipv4With(h: Ipv4Header, src: string, dst: string, ttl: number): Ipv4Header {
  return { kind: 'ipv4', src, dst, ttl, protocol: h.protocol, id: h.id, df: h.df };
}

/** The packet with its outer IPv4 header's given fields replaced (undefined keeps a field; positional: no patch object per packet). */
export function withOuterIp(p: Packet, src: string | undefined, dst: string | undefined, ttl: number | undefined): Packet {
  const i = outerIpIndex(p);
  const h = p.headers[i] as Ipv4Header;
  return replaceHeader(p, i, ipv4With(h, src ?? h.src, dst ?? h.dst, ttl ?? h.ttl));
}

/** Sets the L4 ports of the outermost IP packet. */
export function withPorts(p: Packet, sport: number | undefined, dport: number | undefined): Packet {
  const i = outerIpIndex(p) + 1;
  const l4 = p.headers[i];
  if (!l4 || (l4.kind !== 'tcp' && l4.kind !== 'udp' && l4.kind !== 'sctp')) return p;
  return replaceHeader(p, i, { ...l4, sport: sport ?? l4.sport, dport: dport ?? l4.dport });
}

export function pushEthernet(p: Packet, src: string, dst: string): Packet {
  const eth: EthernetHeader = { kind: 'eth', src, dst, ethertype: 0x0800 };
  return withHeaders(p, [eth, ...p.headers]);
}

/** Removes the outer Ethernet header, if any. */
export function stripEthernet(p: Packet): Packet {
  return p.headers[0]?.kind === 'eth' ? withHeaders(p, p.headers.slice(1)) : p;
}

export function topEthernet(p: Packet): EthernetHeader | undefined {
  const h = p.headers[0];
  return h?.kind === 'eth' ? h : undefined;
}

/** Removes the first `n` headers (decapsulation). */
export function dropHeaders(p: Packet, n: number): Packet {
  return withHeaders(p, p.headers.slice(n));
}

/** Ports of the outermost transport header. */
export function portsOf(p: Packet): { sport?: number; dport?: number } {
  const l4 = l4Of(p);
  if (l4 && (l4.kind === 'tcp' || l4.kind === 'udp' || l4.kind === 'sctp')) return { sport: l4.sport, dport: l4.dport };
  return {};
}

/**
 * "10.244.1.2:43210 → 10.244.2.2:80" for explanations: the first IPv4 header from header `from`
 * on and its ports (`from` past an encapsulation describes the inner packet without copying it).
 */
export function describeFlow(p: Packet, from = 0): string {
  const hs = p.headers;
  let i = from;
  while (i < hs.length && hs[i]!.kind !== 'ipv4') i++;
  const ip = hs[i] as Ipv4Header;
  const l4 = hs[i + 1];
  if (l4 && (l4.kind === 'tcp' || l4.kind === 'udp' || l4.kind === 'sctp')) return `${ip.src}:${l4.sport} → ${ip.dst}:${l4.dport}`;
  return `${ip.src} → ${ip.dst}`;
}
