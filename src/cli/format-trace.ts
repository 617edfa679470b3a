/** A one-line, tcpdump-like rendering of a packet's header stack for the human trace view. */
import type { Packet } from '../core/datapath/packet';

export function formatPacket(p: Packet): string {
  const parts: string[] = [];
  for (const h of p.headers) {
    switch (h.kind) {
      case 'eth':
        parts.push(`eth ${h.src} > ${h.dst}`);
        break;
      case 'arp':
        parts.push(h.op === 'request' ? `ARP who-has ${h.targetIp} tell ${h.senderIp}` : `ARP ${h.senderIp} is-at ${h.senderMac}`);
        break;
      case 'ipv4':
        parts.push(`IP ${h.src} > ${h.dst} ttl ${h.ttl}${h.protocol === 'ipip' ? ' (ipip)' : ''}`);
        break;
      case 'tcp':
        parts.push(`TCP ${h.sport} > ${h.dport} [${h.flags}]`);
        break;
      case 'udp':
        parts.push(`UDP ${h.sport} > ${h.dport}`);
        break;
      case 'icmp':
        parts.push(h.type === 8 ? 'ICMP echo request' : h.type === 0 ? 'ICMP echo reply' : `ICMP type ${h.type} code ${h.code}`);
        break;
      case 'vxlan':
        parts.push(`VXLAN vni ${h.vni}`);
        break;
    }
  }
  return parts.join(' | ') + (p.mark ? ` (mark 0x${p.mark.toString(16)})` : '');
}
