/**
 * IP addresses and CIDRs the way kube-proxy reads and writes them: parsed "sloppily"
 * (k8s.io/utils/net `ParseIPSloppy`/`ParseCIDRSloppy`: IPv4 octets and prefix lengths with
 * leading zeros are decimal, `172.30.0.041` = `172.30.0.41`) and written back in Go's canonical
 * form (`net.IP.String()`: dotted quad; RFC 5952 for IPv6). Both families, because the
 * iptables proxier runs once per family (iptables / ip6tables).
 *
 * Values are BigInts so that one code path serves 32- and 128-bit addresses; the proxier
 * touches a few hundred addresses per sync, so clarity wins over speed here.
 */

/** The address family of a proxier instance (Kubernetes' `v1.IPFamily` spelling). */
export type IpFamily = 'IPv4' | 'IPv6';

/** A parsed address. */
export interface IpAddr {
  family: IpFamily;
  /** The address as an unsigned integer of 32 (IPv4) or 128 (IPv6) bits. */
  value: bigint;
  /** Canonical text (`10.180.0.1`, `fd00:10:180::1`). */
  text: string;
}

/** A parsed CIDR, host bits cleared. */
export interface IpCidr {
  family: IpFamily;
  network: bigint;
  prefix: number;
  /** Canonical text (`203.0.113.0/25`). */
  text: string;
}

/** Address width in bits per family. */
export function familyBits(family: IpFamily): number {
  return family === 'IPv4' ? 32 : 128;
}

/**
 * A dotted quad as a number: four parts of 1-10 decimal digits, each at most 255. Leading zeros
 * are decimal, never octal: the apiserver's legacy ("sloppy") parser. Read a character at a time
 * (a sync parses every endpoint address: 100k at 10k Services).
 */
function parseIPv4Number(s: string): number | null {
  let v = 0;
  let part = 0;
  let digits = 0;
  let parts = 0;
  for (let i = 0; i <= s.length; i++) {
    const c = i < s.length ? s.charCodeAt(i) : 46;
    if (c === 46) {
      if (digits === 0 || part > 255 || ++parts > 4) return null;
      v = v * 256 + part;
      part = 0;
      digits = 0;
    } else if (c >= 48 && c <= 57) {
      if (++digits > 10) return null;
      part = part * 10 + (c - 48);
    } else return null;
  }
  return parts === 4 ? v : null;
}

function parseIPv4Value(s: string): bigint | null {
  const n = parseIPv4Number(s);
  return n === null ? null : BigInt(n);
}

function parseHexGroups(s: string): number[] | null {
  if (s === '') return [];
  const groups: number[] = [];
  for (const g of s.split(':')) {
    if (!/^[0-9a-fA-F]{1,4}$/.test(g)) return null;
    groups.push(parseInt(g, 16));
  }
  return groups;
}

/** Splits an IPv6 text into its 16-bit groups, expanding `::` and a dotted IPv4 tail. */
function parseIPv6Groups(input: string): number[] | null {
  let s = input;
  let tail: number[] = [];
  const lastColon = s.lastIndexOf(':');
  if (lastColon >= 0 && s.includes('.', lastColon)) {
    const v4 = parseIPv4Value(s.slice(lastColon + 1));
    if (v4 === null) return null;
    tail = [Number(v4 >> 16n), Number(v4 & 0xffffn)];
    // Drop the IPv4 part but keep a `::` that directly precedes it (`::ffff:1.2.3.4` vs `::1.2.3.4`).
    s = s[lastColon - 1] === ':' ? s.slice(0, lastColon + 1) : s.slice(0, lastColon);
  }
  const halves = s.split('::');
  if (halves.length > 2) return null;
  const head = parseHexGroups(halves[0] ?? '');
  const rest = halves.length === 2 ? parseHexGroups(halves[1] ?? '') : [];
  if (!head || !rest) return null;
  const explicit = head.length + rest.length + tail.length;
  if (halves.length === 1) return explicit === 8 ? [...head, ...tail] : null;
  if (explicit > 7) return null;
  return [...head, ...new Array<number>(8 - explicit).fill(0), ...rest, ...tail];
}

function groupsToValue(groups: number[]): bigint {
  return groups.reduce((v, g) => (v << 16n) | BigInt(g), 0n);
}

const V4_MAPPED_PREFIX = 0xffffn << 32n;

/** Canonical text of an address value (Go's `net.IP.String()`). */
export function formatIp(family: IpFamily, value: bigint): string {
  if (family === 'IPv4') {
    return [24n, 16n, 8n, 0n].map((sh) => String((value >> sh) & 255n)).join('.');
  }
  const groups = [112n, 96n, 80n, 64n, 48n, 32n, 16n, 0n].map((sh) =>
    Number((value >> sh) & 0xffffn),
  );
  // RFC 5952: compress the longest run (>= 2) of zero groups, the first one on a tie.
  let bestStart = -1;
  let bestLen = 1;
  for (let i = 0; i < 8;) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLen) [bestStart, bestLen] = [i, j - i];
    i = j;
  }
  const hex = (gs: number[]): string => gs.map((g) => g.toString(16)).join(':');
  if (bestStart < 0) return hex(groups);
  return `${hex(groups.slice(0, bestStart))}::${hex(groups.slice(bestStart + bestLen))}`;
}

/**
 * Parses an address as kube-proxy does. Returns null for anything that is not an address
 * (including zones and CIDRs). An IPv4-mapped IPv6 address counts as IPv4, as in Go.
 */
export function parseIp(input: string): IpAddr | null {
  const s = input.trim();
  if (!s.includes(':')) {
    const n = parseIPv4Number(s);
    if (n === null) return null;
    // formatIp('IPv4', …) from the number, without four BigInt shifts.
    return { family: 'IPv4', value: BigInt(n), text: `${n >>> 24}.${(n >>> 16) & 255}.${(n >>> 8) & 255}.${n & 255}` };
  }
  const groups = parseIPv6Groups(s);
  if (!groups) return null;
  const value = groupsToValue(groups);
  if (value >> 32n === 0xffffn && (value & ~0xffffffffn) === V4_MAPPED_PREFIX) {
    const v4 = value & 0xffffffffn;
    return { family: 'IPv4', value: v4, text: formatIp('IPv4', v4) };
  }
  return { family: 'IPv6', value, text: formatIp('IPv6', value) };
}

/** Network mask of `prefix` bits for the family. */
export function prefixMask(family: IpFamily, prefix: number): bigint {
  const bits = BigInt(familyBits(family));
  const all = (1n << bits) - 1n;
  return (all << (bits - BigInt(prefix))) & all;
}

/** Parses `addr/len` sloppily (leading zeros are decimal) and clears host bits; null if invalid. */
export function parseCidr(input: string): IpCidr | null {
  const [addrText, lenText, extra] = input.trim().split('/');
  if (addrText === undefined || lenText === undefined || extra !== undefined) return null;
  if (!/^\d{1,3}$/.test(lenText)) return null;
  const addr = parseIp(addrText);
  if (!addr) return null;
  // A mapped IPv6 CIDR is rare enough to reject rather than re-base its prefix.
  if (addr.family === 'IPv4' && addrText.includes(':')) return null;
  const prefix = Number(lenText);
  if (prefix > familyBits(addr.family)) return null;
  const network = addr.value & prefixMask(addr.family, prefix);
  return {
    family: addr.family,
    network,
    prefix,
    text: `${formatIp(addr.family, network)}/${prefix}`,
  };
}

/** True if `addr` lies inside `cidr` (always false across families). */
export function cidrContains(cidr: IpCidr, addr: IpAddr): boolean {
  if (cidr.family !== addr.family) return false;
  return (addr.value & prefixMask(cidr.family, cidr.prefix)) === cidr.network;
}

/** `ip:port`, bracketing IPv6 (Go's `net.JoinHostPort`). */
export function joinHostPort(ip: IpAddr, port: number): string {
  return ip.family === 'IPv6' ? `[${ip.text}]:${port}` : `${ip.text}:${port}`;
}

/** Family of an address text, or null when it does not parse. */
export function familyOf(text: string): IpFamily | null {
  return parseIp(text)?.family ?? null;
}
