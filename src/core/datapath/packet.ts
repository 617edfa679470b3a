/**
 * A packet as the datapath sees it: a stack of headers, outermost first, plus a payload
 * summary. Headers are plain immutable objects; every rewrite makes a new header object and a
 * new stack, so a snapshot taken at a hop never changes afterwards (structural sharing keeps
 * that cheap). Byte-level encoding lives in `core/wire`, never here.
 */
import type { DnsMessage } from '../wire/dns';

export type MacAddress = string; // "aa:bb:cc:dd:ee:ff"
export type Ipv4Address = string; // dotted quad

export interface EthernetHeader {
  kind: 'eth';
  src: MacAddress;
  dst: MacAddress;
  /** 0x0800 IPv4, 0x0806 ARP. */
  ethertype: number;
}

export interface ArpHeader {
  kind: 'arp';
  op: 'request' | 'reply';
  senderMac: MacAddress;
  senderIp: Ipv4Address;
  targetMac: MacAddress;
  targetIp: Ipv4Address;
}

export type IpProtocol = 'tcp' | 'udp' | 'icmp' | 'ipip' | 'sctp';

export interface Ipv4Header {
  kind: 'ipv4';
  src: Ipv4Address;
  dst: Ipv4Address;
  ttl: number;
  protocol: IpProtocol;
  /** Identification field; deterministic per flow. */
  id: number;
  /** Don't Fragment. */
  df: boolean;
}

export interface TcpHeader {
  kind: 'tcp';
  sport: number;
  dport: number;
  /** tcpdump-style flag string: "S", "S.", ".", "P.", "F.", "R." */
  flags: string;
  seq: number;
  ack: number;
  windowSize: number;
  /** MSS option on SYN segments. */
  mss?: number;
}

export interface UdpHeader {
  kind: 'udp';
  sport: number;
  dport: number;
}

export interface IcmpHeader {
  kind: 'icmp';
  /** 8 echo request, 0 echo reply, 3 unreachable, 11 time exceeded. */
  type: number;
  code: number;
  id: number;
  seq: number;
}

/** SCTP common header plus the one chunk that matters for a trace (association setup or abort). */
export interface SctpHeader {
  kind: 'sctp';
  sport: number;
  dport: number;
  /** Verification tag: 0 on INIT, the peer's tag afterwards. */
  vtag: number;
  chunk: 'INIT' | 'INIT_ACK' | 'ABORT';
}

export interface VxlanHeader {
  kind: 'vxlan';
  vni: number;
}

export type Header = EthernetHeader | ArpHeader | Ipv4Header | TcpHeader | UdpHeader | IcmpHeader | VxlanHeader | SctpHeader;

export interface Payload {
  /** Application bytes carried (0 for a bare SYN). */
  length: number;
  /** What the bytes are, e.g. "HTTP GET /" or "DNS A? kubernetes.default". */
  summary: string;
  /** The DNS message, when the payload is one (queries to and replies from port 53). */
  dns?: DnsMessage;
}

export interface Packet {
  /** Outermost first. An L3 packet inside a host stack has no Ethernet header on top. */
  headers: readonly Header[];
  payload: Payload;
  /** skb->mark while the packet is inside one namespace (kube-proxy's 0x4000 masquerade mark). */
  mark?: number;
}

/** Sizes on the wire, for encapsulation overhead and MTU arithmetic. */
export const HEADER_BYTES: Record<Header['kind'], number> = {
  eth: 14,
  arp: 28,
  ipv4: 20,
  tcp: 20,
  udp: 8,
  icmp: 8,
  vxlan: 8,
  // Common header (12) + an INIT/INIT ACK chunk's fixed part (20).
  sctp: 32,
};

/**
 * HEADER_BYTES[kind] as a switch: netfilter measures every packet at every hook, and the keyed
 * lookup by the kind string showed up in trace profiles.
 */
function headerBytes(kind: Header['kind']): number {
  switch (kind) {
    case 'eth':
      return 14;
    case 'arp':
      return 28;
    case 'ipv4':
      return 20;
    case 'tcp':
      return 20;
    case 'udp':
      return 8;
    case 'icmp':
      return 8;
    case 'vxlan':
      return 8;
    case 'sctp':
      return 32;
  }
}

/** Total bytes of the packet from header `from` inward. */
export function packetLength(p: Packet, from = 0): number {
  let n = p.payload.length;
  const hs = p.headers;
  for (let i = from; i < hs.length; i++) n += headerBytes(hs[i]!.kind);
  return n;
}
