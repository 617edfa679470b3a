/**
 * IPv4 address and CIDR math. Parsing, validation and subnetting go through `ip-num`; the
 * datapath's hot path (route lookup, rule matching) compares precomputed 32-bit integers,
 * because ip-num works in BigInt and a trace does hundreds of comparisons.
 */
import { Validator } from 'ip-num';

export interface Cidr {
  /** Canonical text, e.g. "10.244.1.0/24". */
  text: string;
  /** Network address as an unsigned 32-bit integer. */
  network: number;
  prefix: number;
  /** Mask as an unsigned 32-bit integer. */
  mask: number;
}

const DOTTED_QUAD = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;

/** True if `s` is a dotted-quad IPv4 address without leading zeros. */
export function isIPv4(s: string): boolean {
  // ip-num's Validator.isValidIPv4String ends with this very pattern (its IPV4_PATTERN), and
  // every check before it (four octets, no leading zero, 0–255) is implied by the pattern; so
  // the pattern alone is the same test without ip-num's BigInt octets (compile parses a new
  // pod address per pod). ip.test.ts checks the equivalence.
  return DOTTED_QUAD.test(s);
}

/** Dotted quad → unsigned 32-bit integer. No validation: call `isIPv4` on untrusted input. */
export function ipv4ToInt(s: string): number {
  let n = 0;
  let octet = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 46) {
      n = n * 256 + octet;
      octet = 0;
    } else octet = octet * 10 + (c - 48);
  }
  return n * 256 + octet;
}

/**
 * A dotted quad exactly as `isIPv4` accepts it (four decimal octets 0–255 without leading
 * zeros, `10.96.0.1`), read in one pass, as an unsigned 32-bit integer; undefined for any other
 * string (octal, hex, short forms, junk), which callers hand to their general path.
 */
export function dottedQuadToInt(s: string): number | undefined {
  let v = 0;
  let octet = 0;
  let digits = 0;
  let dots = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 46) {
      if (digits === 0 || dots === 3) return undefined;
      v = v * 256 + octet;
      octet = 0;
      digits = 0;
      dots++;
    } else if (c >= 48 && c <= 57) {
      if (digits === 1 && octet === 0) return undefined; // a leading zero (inet_aton: octal)
      octet = octet * 10 + (c - 48);
      if (octet > 255) return undefined;
      digits++;
    } else return undefined;
  }
  if (dots !== 3 || digits === 0) return undefined;
  return (v * 256 + octet) >>> 0;
}

export function intToIpv4(n: number): string {
  return `${(n >>> 24) & 255}.${(n >>> 16) & 255}.${(n >>> 8) & 255}.${n & 255}`;
}

export function prefixMask(prefix: number): number {
  return prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
}

/**
 * Parses "a.b.c.d/n" (or a bare address as /32). Returns null when invalid. With `strict`,
 * host bits must be zero (as Kubernetes requires of CIDR fields).
 */
export function parseCidr(s: string, strict = false): Cidr | null {
  const key = strict ? `!${s}` : s;
  const hit = CIDR_CACHE.get(key);
  if (hit !== undefined) return hit;
  const parsed = parseCidrUncached(s, strict);
  if (CIDR_CACHE.size > 100_000) CIDR_CACHE.clear();
  CIDR_CACHE.set(key, parsed);
  return parsed;
}

/** Parsed CIDRs are immutable values; compile parses the same few thousand strings many times. */
const CIDR_CACHE = new Map<string, Cidr | null>();

function parseCidrUncached(s: string, strict: boolean): Cidr | null {
  const text = s.trim();
  const [addr, len] = text.includes('/') ? text.split('/') : [text, '32'];
  if (!addr || !len || !isIPv4(addr) || !/^\d{1,2}$/.test(len)) return null;
  const prefix = Number(len);
  if (prefix > 32) return null;
  if (strict && !Validator.isValidIPv4CidrNotation(text)[0]) return null;
  const mask = prefixMask(prefix);
  const network = (ipv4ToInt(addr) & mask) >>> 0;
  if (strict && network !== ipv4ToInt(addr)) return null;
  return { text: `${intToIpv4(network)}/${prefix}`, network, prefix, mask };
}

export function cidrContains(c: Cidr, ip: number): boolean {
  return ((ip & c.mask) >>> 0) === c.network;
}

export function cidrsOverlap(a: Cidr, b: Cidr): boolean {
  const m = a.prefix < b.prefix ? a.mask : b.mask;
  return ((a.network & m) >>> 0) === ((b.network & m) >>> 0);
}

/** Number of addresses in the CIDR. */
export function cidrSize(c: Cidr): number {
  return 2 ** (32 - c.prefix);
}

/** The `n`-th address of the CIDR (0 = network address). */
export function nthAddress(c: Cidr, n: number): string {
  return intToIpv4((c.network + n) >>> 0);
}

/**
 * The `index`-th sub-block of size /`newPrefix` inside `c`; null when `c` has fewer blocks
 * than that. Plain integer arithmetic on the network address (what ip-num's splitting
 * computes in BigInt: the node IPAM and Calico walk blocks with it for every node).
 */
export function subnetAt(c: Cidr, newPrefix: number, index: number): Cidr | null {
  if (newPrefix < c.prefix || newPrefix > 32) return null;
  const count = 2 ** (newPrefix - c.prefix);
  if (!Number.isInteger(index) || index < 0 || index >= count) return null;
  return parseCidr(`${intToIpv4(c.network + index * 2 ** (32 - newPrefix))}/${newPrefix}`);
}

/** How many /`newPrefix` blocks fit in `c`. */
export function subnetCount(c: Cidr, newPrefix: number): number {
  return newPrefix < c.prefix ? 0 : 2 ** (newPrefix - c.prefix);
}
