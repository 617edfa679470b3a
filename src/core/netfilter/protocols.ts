/**
 * IP protocol names and numbers as iptables resolves them through /etc/protocols (netbase):
 * `-p 6` is saved as `-p tcp`, `-p 4` as `-p ipencap`. Note `ipip` there is 94, not the
 * kernel's IPPROTO_IPIP (4); iptables follows the file, and so do we.
 */
import type { IpProtocol } from '../datapath/packet';

const BY_NAME: Readonly<Record<string, number>> = {
  icmp: 1,
  igmp: 2,
  ipencap: 4,
  tcp: 6,
  udp: 17,
  gre: 47,
  esp: 50,
  ah: 51,
  'ipv6-icmp': 58,
  ipip: 94,
  sctp: 132,
  udplite: 136,
};

const BY_NUMBER = new Map<number, string>(Object.entries(BY_NAME).map(([k, v]) => [v, k]));

/** The protocol number of `-p NAME|NUMBER` (0 for `all`), or undefined if unknown. */
export function protocolNumber(nameOrNumber: string): number | undefined {
  const s = nameOrNumber.toLowerCase();
  if (s === 'all') return 0;
  if (/^\d+$/.test(s)) {
    const n = Number(s);
    return n <= 255 ? n : undefined;
  }
  return BY_NAME[s];
}

/** The name iptables-save prints for a protocol number (the number itself if unnamed). */
export function protocolName(n: number): string {
  return BY_NUMBER.get(n) ?? String(n);
}

/** The IP protocol number carried by a datapath packet. */
export function packetProtocolNumber(p: IpProtocol): number {
  switch (p) {
    case 'tcp':
      return 6;
    case 'udp':
      return 17;
    case 'icmp':
      return 1;
    case 'ipip':
      return 4;
    case 'sctp':
      return 132;
  }
}
