/**
 * `-s`/`-d` address parsing as iptables does it: the host part goes through inet_aton, so
 * `010.0.0.1` is octal (8.0.0.1) and `0x0a.1` is hex; the mask is a prefix length or a dotted
 * netmask; host bits are cleared (`10.0.0.1/24` is stored as `10.0.0.0/24`); a bare address is
 * a /32; `/0` matches everything and is not printed by iptables-save. Hostnames are not resolved.
 */
import { dottedQuadToInt, intToIpv4, ipv4ToInt, prefixMask } from '../util/ip';
import type { AddressSelector } from './types';

/** One inet_aton component: decimal, 0-prefixed octal or 0x-prefixed hex. */
function atonPart(s: string): number | undefined {
  if (/^0x[0-9a-f]*$/i.test(s)) return s.length === 2 ? 0 : parseInt(s.slice(2), 16);
  if (/^0[0-7]*$/.test(s)) return parseInt(s, 8);
  if (/^[1-9]\d*$/.test(s)) return Number(s);
  return undefined;
}

/** inet_aton: `a.b.c.d`, `a.b.c` (c is 16 bits), `a.b` (b is 24 bits) or `a` (32 bits). */
export function inetAton(s: string): number | undefined {
  // The usual form first (`10.96.0.1`): one pass, no split.
  const fast = dottedQuadToInt(s);
  if (fast !== undefined) return fast;
  const parts = s.split('.');
  if (parts.length < 1 || parts.length > 4) return undefined;
  const nums = parts.map(atonPart);
  if (nums.some((n) => n === undefined)) return undefined;
  const n = nums as number[];
  const last = n[n.length - 1]!;
  const lastBits = 8 * (5 - n.length);
  if (n.slice(0, -1).some((x) => x > 255) || last >= 2 ** lastBits) return undefined;
  let v = 0;
  for (let i = 0; i < n.length - 1; i++) v = v * 256 + n[i]!;
  return (v * 2 ** lastBits + last) >>> 0;
}

/** A netmask's prefix length, or undefined if its ones are not contiguous. */
function maskPrefix(mask: number): number | undefined {
  for (let p = 0; p <= 32; p++) if (prefixMask(p) === mask) return p;
  return undefined;
}

/** Parses `ADDR[/PREFIX|/NETMASK]` into the selector iptables stores, or an error message. */
export function parseAddress(text: string, negate: boolean): AddressSelector | { error: string } {
  const slash = text.indexOf('/');
  const host = slash < 0 ? text : text.slice(0, slash);
  const maskText = slash < 0 ? '32' : text.slice(slash + 1);
  const addr = inetAton(host);
  if (addr === undefined) return { error: `host/network \`${host}' not found` };
  let prefix: number | undefined;
  if (/^\d{1,2}$/.test(maskText) && Number(maskText) <= 32) prefix = Number(maskText);
  else if (maskText.includes('.')) {
    const m = inetAton(maskText);
    prefix = m === undefined ? undefined : maskPrefix(m);
  }
  if (prefix === undefined) return { error: `invalid mask \`${maskText}' specified` };
  const mask = prefixMask(prefix);
  const network = (addr & mask) >>> 0;
  return { cidr: `${intToIpv4(network)}/${prefix}`, negate, network, mask };
}

/** Fills `network`/`mask` of a hand-built selector (idempotent). */
export function compileAddress(sel: AddressSelector): void {
  if (sel.network !== undefined && sel.mask !== undefined) return;
  const parsed = parseAddress(sel.cidr, sel.negate);
  if ('error' in parsed) {
    // A malformed hand-built selector matches nothing rather than throwing (STYLE §5).
    sel.network = 0xffffffff;
    sel.mask = 0;
    return;
  }
  sel.network = parsed.network;
  sel.mask = parsed.mask;
}

/** True if `ip` (dotted quad) is inside the selector, before negation. */
export function addressContains(sel: AddressSelector, ip: number): boolean {
  return ((ip & sel.mask!) >>> 0) === sel.network;
}

export { ipv4ToInt };
