/**
 * VXLAN (RFC 7348): 8 bytes, flags 0x08 (I: VNI valid), 24-bit VNI, carried in UDP to port
 * 4789 (IANA) or 8472 (Linux's and flannel's default), followed by an inner Ethernet frame.
 * The model's `VxlanHeader` is the repr; reserved bits are written as zero.
 */
import type { VxlanHeader } from '../datapath/packet';
import type { ParseResult } from './result';
import { needBytes, wireError } from './result';

/** Bytes of a VXLAN header. */
export const VXLAN_HEADER_LEN = 8;
/** UDP destination ports decoded as VXLAN: IANA's 4789 and Linux/flannel's 8472. */
export const VXLAN_PORTS: readonly number[] = [4789, 8472];

/** Writes the 8-byte header followed by `payload` (the inner Ethernet frame). */
export function emitVxlan(h: VxlanHeader, payload: Uint8Array): Uint8Array {
  const out = new Uint8Array(VXLAN_HEADER_LEN + payload.length);
  out[0] = 0x08;
  out[4] = (h.vni >>> 16) & 0xff;
  out[5] = (h.vni >>> 8) & 0xff;
  out[6] = h.vni & 0xff;
  out.set(payload, VXLAN_HEADER_LEN);
  return out;
}

/** Reads a VXLAN header. Fails without the I flag, as Linux drops such packets. */
export function parseVxlan(bytes: Uint8Array): ParseResult<VxlanHeader> {
  const short = needBytes('vxlan', bytes, VXLAN_HEADER_LEN);
  if (short) return short;
  if ((bytes[0]! & 0x08) === 0) return wireError('vxlan', 'I flag clear: VNI not valid', 0);
  const vni = (bytes[4]! << 16) | (bytes[5]! << 8) | bytes[6]!;
  return { ok: true, header: { kind: 'vxlan', vni }, rest: bytes.subarray(VXLAN_HEADER_LEN) };
}

/** tcpdump style: "VXLAN, flags [I] (0x08), vni 1". */
export function formatVxlan(h: VxlanHeader): string {
  return `VXLAN, flags [I] (0x08), vni ${h.vni}`;
}
