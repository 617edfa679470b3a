/**
 * Ethernet II frames (IEEE 802.3 with an EtherType, no 802.1Q tag, no FCS: what tcpdump
 * shows on a Linux interface). The model's `EthernetHeader` is the repr; the wire layer adds
 * nothing to it.
 */
import type { EthernetHeader } from '../datapath/packet';
import { bytesToMac, macToBytes, viewOf } from './bytes';
import type { ParseResult } from './result';
import { needBytes, wireError } from './result';

/** Bytes of an Ethernet II header. */
export const ETHERNET_HEADER_LEN = 14;
/** EtherType of IPv4. */
export const ETHERTYPE_IPV4 = 0x0800;
/** EtherType of ARP. */
export const ETHERTYPE_ARP = 0x0806;

const ETHERTYPE_NAMES: Record<number, string> = {
  0x0800: 'IPv4',
  0x0806: 'ARP',
  0x86dd: 'IPv6',
  0x8100: '802.1Q',
};

/** Writes the 14-byte header before `payload`. No padding to 60 bytes: the NIC adds it. */
export function emitEthernet(h: EthernetHeader, payload: Uint8Array): Uint8Array {
  const out = new Uint8Array(ETHERNET_HEADER_LEN + payload.length);
  out.set(macToBytes(h.dst), 0);
  out.set(macToBytes(h.src), 6);
  viewOf(out).setUint16(12, h.ethertype & 0xffff);
  out.set(payload, ETHERNET_HEADER_LEN);
  return out;
}

/**
 * Reads an Ethernet II header. Fails on fewer than 14 bytes and on 802.3 length fields
 * (values below 0x0600), which carry LLC rather than an EtherType. `rest` may include padding.
 */
export function parseEthernet(bytes: Uint8Array): ParseResult<EthernetHeader> {
  const short = needBytes('eth', bytes, ETHERNET_HEADER_LEN);
  if (short) return short;
  const ethertype = viewOf(bytes).getUint16(12);
  if (ethertype < 0x0600)
    return wireError('eth', `802.3 length field ${ethertype}, not an EtherType`, 12);
  return {
    ok: true,
    header: { kind: 'eth', dst: bytesToMac(bytes, 0), src: bytesToMac(bytes, 6), ethertype },
    rest: bytes.subarray(ETHERNET_HEADER_LEN),
  };
}

/** tcpdump `-e` style: "aa:… > bb:…, ethertype IPv4 (0x0800), length 98". */
export function formatEthernet(h: EthernetHeader, frameLength?: number): string {
  const name = ETHERTYPE_NAMES[h.ethertype] ?? 'Unknown';
  const hex = `0x${h.ethertype.toString(16).padStart(4, '0')}`;
  const len = frameLength === undefined ? '' : `, length ${frameLength}`;
  return `${h.src} > ${h.dst}, ethertype ${name} (${hex})${len}`;
}
