/** Pure readings of a hop's packet for labels and the inspector (no networking decisions here). */
import type { Hop } from '../../core/index';

type Header = Hop['packet']['headers'][number];

export interface PacketLabel {
  /** The outer tunnel headers when the packet is encapsulated (an IPv4 before an inner IPv4). */
  outer?: string;
  inner: string;
  proto: string;
}

function l4Text(h: Header | undefined): { sport: string; dport: string; tail: string; proto: string } {
  if (h?.kind === 'tcp') return { sport: `:${h.sport}`, dport: `:${h.dport}`, tail: ` [${h.flags}]`, proto: 'tcp' };
  if (h?.kind === 'udp') return { sport: `:${h.sport}`, dport: `:${h.dport}`, tail: '', proto: 'udp' };
  if (h?.kind === 'icmp') return { sport: '', dport: '', tail: h.type === 8 ? ' echo' : h.type === 0 ? ' reply' : ` icmp ${h.type}/${h.code}`, proto: 'icmp' };
  return { sport: '', dport: '', tail: '', proto: 'ip' };
}

function ipText(headers: readonly Header[], at: number): string {
  const ip = headers[at];
  if (ip?.kind !== 'ipv4') return '';
  const l4 = l4Text(headers[at + 1]);
  return `${ip.src}${l4.sport} → ${ip.dst}${l4.dport}${l4.tail}`;
}

/** Indexes of the IPv4 headers, outermost first. */
export function ipv4Indexes(headers: readonly Header[]): number[] {
  return headers.flatMap((h, i) => (h.kind === 'ipv4' ? [i] : []));
}

export function describePacket(packet: Hop['packet']): PacketLabel {
  const h = packet.headers;
  const arp = h.find((x) => x.kind === 'arp');
  if (arp?.kind === 'arp') return { inner: arp.op === 'request' ? `ARP who-has ${arp.targetIp}? tell ${arp.senderIp}` : `ARP ${arp.senderIp} is-at ${arp.senderMac}`, proto: 'arp' };
  const ips = ipv4Indexes(h);
  const innerAt = ips[ips.length - 1];
  if (innerAt === undefined) return { inner: packet.payload.summary, proto: 'other' };
  const inner = ipText(h, innerAt);
  const proto = l4Text(h[innerAt + 1]).proto;
  if (ips.length < 2) return { inner, proto };
  const outerAt = ips[0]!;
  const vx = h.find((x) => x.kind === 'vxlan');
  const tunnel = vx?.kind === 'vxlan' ? `VXLAN ${vx.vni}` : h[outerAt]?.kind === 'ipv4' && (h[outerAt] as { protocol: string }).protocol === 'ipip' ? 'IPIP' : 'tunnel';
  const o = h[outerAt] as { src: string; dst: string };
  return { outer: `${tunnel} ${o.src} → ${o.dst}`, inner, proto };
}

/** True when this hop rewrote an address or port (DNAT, SNAT, MASQUERADE, un-NAT). */
export function isNatHop(hop: Hop): boolean {
  return (hop.changed ?? []).some((c) => /(^|\.)(src|dst|sport|dport)$/.test(c) && !c.startsWith('outer') && !c.startsWith('eth'));
}

export function isDropHop(hop: Hop): boolean {
  return hop.stage === 'drop' || hop.stage.startsWith('drop');
}
