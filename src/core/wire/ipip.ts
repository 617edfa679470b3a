/**
 * IP-in-IP (RFC 2003), as Linux's `tunl0` and Calico's IPIP mode send it. It has no header of
 * its own: an outer IPv4 header with protocol 4, then the inner IPv4 packet unchanged. In the
 * model this is an `Ipv4Header` with `protocol: 'ipip'` followed by another `Ipv4Header`.
 */
import type { Ipv4Header } from '../datapath/packet';
import { emitIpv4, formatIpv4, parseIpv4 } from './ipv4';
import type { ParseResult } from './result';
import { wireError } from './result';

/** IANA protocol number of IP-in-IP. */
export const IPPROTO_IPIP = 4;

/** True when this IPv4 header carries an IPv4 packet. */
export function isIpip(h: Ipv4Header): boolean {
  return h.protocol === 'ipip';
}

/** Wraps an already emitted inner IPv4 packet in `outer`, forcing protocol 4. */
export function emitIpip(outer: Ipv4Header, innerPacket: Uint8Array): Uint8Array {
  return emitIpv4({ ...outer, protocol: 'ipip' }, innerPacket);
}

/**
 * Reads the outer IPv4 header of an IPIP packet. `rest` is the inner IPv4 packet. Fails when
 * the outer protocol is not 4 or the payload does not start like an IPv4 header.
 */
export function parseIpip(bytes: Uint8Array): ParseResult<Ipv4Header> {
  const outer = parseIpv4(bytes);
  if (!outer.ok) return outer;
  if (outer.header.protocol !== 'ipip')
    return wireError('ipip', `outer protocol is ${outer.header.protocol}, not ipip`, 9);
  if (outer.rest.length < 20 || outer.rest[0]! >> 4 !== 4)
    return wireError('ipip', 'inner packet is not IPv4', 20);
  return outer;
}

/** tcpdump style: "IP 192.168.0.11 > 192.168.0.12: IP 10.244.1.2 > 10.244.2.3 (ipip-proto-4)". */
export function formatIpip(outer: Ipv4Header, inner: Ipv4Header): string {
  return `IP ${outer.src} > ${outer.dst}: ${formatIpv4(inner).replace(/^IP \(.*\) /, 'IP ')} (ipip-proto-4)`;
}
