/**
 * ARP for IPv4 over Ethernet (RFC 826): hardware type 1, protocol 0x0800, 6-byte and 4-byte
 * addresses. The model's `ArpHeader` is the repr. Other hardware or protocol types fail to
 * parse, because the model cannot hold them.
 */
import type { ArpHeader } from '../datapath/packet';
import { bytesToIpv4, bytesToMac, ipv4ToBytes, macToBytes, viewOf } from './bytes';
import type { ParseResult } from './result';
import { needBytes, wireError } from './result';

/** Bytes of an Ethernet/IPv4 ARP message. */
export const ARP_LEN = 28;

/** Writes the 28-byte ARP message followed by `payload` (normally empty). */
export function emitArp(h: ArpHeader, payload: Uint8Array = new Uint8Array(0)): Uint8Array {
  const out = new Uint8Array(ARP_LEN + payload.length);
  const v = viewOf(out);
  v.setUint16(0, 1); // hardware type: Ethernet
  v.setUint16(2, 0x0800);
  out[4] = 6;
  out[5] = 4;
  v.setUint16(6, h.op === 'request' ? 1 : 2);
  out.set(macToBytes(h.senderMac), 8);
  out.set(ipv4ToBytes(h.senderIp), 14);
  out.set(macToBytes(h.targetMac), 18);
  out.set(ipv4ToBytes(h.targetIp), 24);
  out.set(payload, ARP_LEN);
  return out;
}

/** Reads an Ethernet/IPv4 ARP request or reply; `rest` is any trailing padding. */
export function parseArp(bytes: Uint8Array): ParseResult<ArpHeader> {
  const short = needBytes('arp', bytes, ARP_LEN);
  if (short) return short;
  const v = viewOf(bytes);
  if (v.getUint16(0) !== 1 || v.getUint16(2) !== 0x0800 || bytes[4] !== 6 || bytes[5] !== 4) {
    return wireError('arp', 'not Ethernet/IPv4 ARP', 0);
  }
  const opcode = v.getUint16(6);
  if (opcode !== 1 && opcode !== 2) return wireError('arp', `unsupported opcode ${opcode}`, 6);
  return {
    ok: true,
    header: {
      kind: 'arp',
      op: opcode === 1 ? 'request' : 'reply',
      senderMac: bytesToMac(bytes, 8),
      senderIp: bytesToIpv4(bytes, 14),
      targetMac: bytesToMac(bytes, 18),
      targetIp: bytesToIpv4(bytes, 24),
    },
    rest: bytes.subarray(ARP_LEN),
  };
}

/** tcpdump style: "ARP, Request who-has 10.0.0.2 tell 10.0.0.1, length 28". */
export function formatArp(h: ArpHeader): string {
  return h.op === 'request'
    ? `ARP, Request who-has ${h.targetIp} tell ${h.senderIp}, length ${ARP_LEN}`
    : `ARP, Reply ${h.senderIp} is-at ${h.senderMac}, length ${ARP_LEN}`;
}
