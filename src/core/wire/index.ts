/**
 * # core/wire: headers as bytes
 *
 * What it is for: turning the datapath's header objects into the bytes Linux would put on the
 * wire and back, for pcap export, round-trip tests and "show me the bytes" views. One file per
 * header (ethernet, arp, ipv4, udp, tcp, icmp, vxlan, ipip, dns), each with a validated repr
 * (the `…Header` types of `datapath/packet.ts`, plus `DnsMessage` here), `emit…`, `parse…` and a
 * one-line tcpdump-style `format…`; `packet-bytes.ts` does whole header stacks and `pcapng.ts`
 * writes capture files. (smoltcp's `wire` module: Packet/Repr split and pretty printing.)
 *
 * May import: `datapath/packet.ts` (types and sizes) and nothing else outside this folder. No
 * routing, netfilter or other behaviour lives here, and the datapath never touches bytes.
 *
 * Guarantees:
 * - Parsers never throw: malformed input returns `{ ok: false, error: WireError }` naming the
 *   layer, reason and offset. Emitters are total: values are masked to their field widths and
 *   invalid address text encodes as zeros (validate upstream).
 * - Emitted lengths and checksums (IPv4 header, ICMP, TCP and UDP with the IPv4 pseudo-header)
 *   are correct, so Wireshark reports no bad checksums; parsers verify them.
 * - `parsePacket(emitPacket(p), first).packet` equals `p` up to `payload.summary`.
 * - Deterministic: no time, randomness or environment; the same input gives the same bytes.
 *
 * Real frames captured from Linux back the tests: see `fixtures/frames/ORIGIN.md`.
 */
export type { WireError, Parsed, ParseResult } from './result';
export { wireError } from './result';
export {
  bytesToIpv4,
  bytesToMac,
  concatBytes,
  fromHex,
  ipv4ToBytes,
  macToBytes,
  toHex,
  utf8Encode,
} from './bytes';
export type { PseudoHeader } from './checksum';
export {
  checksumOk,
  internetChecksum,
  onesComplementSum,
  pseudoHeader,
  transportChecksum,
} from './checksum';
export {
  ETHERNET_HEADER_LEN,
  ETHERTYPE_ARP,
  ETHERTYPE_IPV4,
  emitEthernet,
  formatEthernet,
  parseEthernet,
} from './ethernet';
export { ARP_LEN, emitArp, formatArp, parseArp } from './arp';
export type { Ipv4EmitContext } from './ipv4';
export {
  IPV4_HEADER_LEN,
  IP_PROTOCOL_NUMBERS,
  TOS_INTERNETCONTROL,
  emitIpv4,
  formatIpv4,
  ipProtocolFromNumber,
  parseIpv4,
} from './ipv4';
export type { UdpEmitContext, UdpParseContext } from './udp';
export { UDP_HEADER_LEN, emitUdp, formatUdp, parseUdp } from './udp';
export type { TcpContext } from './tcp';
export {
  TCP_HEADER_LEN,
  emitTcp,
  formatTcp,
  parseTcp,
  tcpBitsToFlags,
  tcpFlagsToBits,
} from './tcp';
export {
  ICMP_ERROR_TYPES,
  ICMP_HEADER_LEN,
  ICMP_TYPES,
  emitIcmp,
  formatIcmp,
  parseIcmp,
} from './icmp';
export { VXLAN_HEADER_LEN, VXLAN_PORTS, emitVxlan, formatVxlan, parseVxlan } from './vxlan';
export { IPPROTO_IPIP, emitIpip, formatIpip, isIpip, parseIpip } from './ipip';
export type { DnsMessage, DnsQuestion } from './dns';
export {
  DNS_HEADER_LEN,
  DNS_PORT,
  DNS_RCODES,
  dnsQuery,
  emitDns,
  formatDns,
  parseDns,
} from './dns';
export type { DnsRdata, DnsRecord, DnsRecordBase } from './dns-rdata';
export { bytesToIpv6, dnsTypeCode, dnsTypeName, ipv6ToBytes } from './dns-rdata';
export type { EmitPacketOptions, PacketParseResult, ParsedPacket } from './packet-bytes';
export { emitPacket, fillerPayload, parsePacket } from './packet-bytes';
export { formatPacket } from './format-packet';
export type { PcapngInterface, PcapngPacket } from './pcapng';
export { writePcapng } from './pcapng';
