/**
 * One line per packet in the style of `tcpdump -v -e -n`, with the header stack read outermost
 * first and encapsulated packets continuing on the same line, e.g.
 * "IP (tos 0x0, ttl 64, id 7, offset 0, flags [none], proto UDP (17), length 134)
 * 192.168.0.11.41644 > 192.168.0.12.8472: VXLAN, flags [I] (0x08), vni 1: 02:… > 02:…, …".
 */
import { formatSctp } from './sctp';
import type { Header, Packet } from '../datapath/packet';
import { packetLength } from '../datapath/packet';
import { formatArp } from './arp';
import { formatEthernet } from './ethernet';
import { formatIcmp } from './icmp';
import { formatIpv4 } from './ipv4';
import { formatTcp } from './tcp';
import { formatUdp } from './udp';
import { formatVxlan } from './vxlan';

/** Bytes from header `i` inward, counting the MSS option the model's `HEADER_BYTES` leaves out. */
function lengthFrom(p: Packet, i: number): number {
  let n = packetLength(p, i);
  for (let j = i; j < p.headers.length; j++) {
    const h = p.headers[j]!;
    if (h.kind === 'tcp' && h.mss !== undefined) n += 4;
  }
  return n;
}

function formatAt(p: Packet, i: number): string {
  const h = p.headers[i]!;
  const next: Header | undefined = p.headers[i + 1];
  switch (h.kind) {
    case 'eth':
      return formatEthernet(h, lengthFrom(p, i));
    case 'arp':
      return formatArp(h);
    case 'ipv4': {
      const line = formatIpv4(h, lengthFrom(p, i));
      if (next?.kind !== 'tcp' && next?.kind !== 'udp' && next?.kind !== 'sctp') return line;
      // tcpdump writes the ports onto the addresses: 10.0.0.1.1234 > 10.0.0.2.80
      return line.replace(/ (\S+) > (\S+)$/, ` $1.${next.sport} > $2.${next.dport}`);
    }
    case 'tcp':
      return formatTcp(h, lengthFrom(p, i + 1)).replace(/^\d+ > \d+: /, '');
    case 'udp':
      return next?.kind === 'vxlan'
        ? ''
        : formatUdp(h, lengthFrom(p, i + 1)).replace(/^\d+ > \d+: /, '');
    case 'icmp':
      return formatIcmp(h, lengthFrom(p, i));
    case 'vxlan':
      return formatVxlan(h);
    case 'sctp':
      return formatSctp(h);
  }
}

/** The packet as one tcpdump-like line; the payload summary, if any, is appended in quotes. */
export function formatPacket(p: Packet): string {
  const parts = p.headers.map((_, i) => formatAt(p, i)).filter((s) => s !== '');
  const summary = p.payload.summary ? ` "${p.payload.summary}"` : '';
  return parts.join(': ') + summary;
}
