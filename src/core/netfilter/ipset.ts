/** ipsets: named sets of addresses, networks or address/port tuples (ipset(8)). */
import type { IpSet, NetfilterState } from './types';
import { cidrContains, ipv4ToInt, parseCidr } from '../util/ip';

/** `ipset create NAME TYPE` + `ipset add` for each entry; replaces an existing set's members. */
export function setIpset(nf: NetfilterState, name: string, type: string, entries: Iterable<string>): IpSet {
  const set: IpSet = { name, type, entries: new Set(entries) };
  (nf.ipsets ??= new Map()).set(name, set);
  return set;
}

/** The set called `name`, or undefined (a `-m set` on a missing set never matches). */
export function getIpset(nf: NetfilterState, name: string): IpSet | undefined {
  return nf.ipsets?.get(name);
}

/** One packet field an ipset dimension reads: the address or port of the source or the destination. */
export interface IpsetProbe {
  ip: string;
  port?: number;
  protocol: string;
}

function inCidr(entry: string, ip: string): boolean {
  const c = parseCidr(entry);
  return c !== null && cidrContains(c, ipv4ToInt(ip));
}

/**
 * `ipset test`: is the tuple made of `probes` (one per dimension of the set type, chosen by the
 * rule's `src`/`dst` flags) a member? `hash:*net*` dimensions match by prefix; `bitmap:port`
 * entries are bare port numbers.
 */
export function testIpset(set: IpSet, probes: readonly IpsetProbe[]): boolean {
  const dims = set.type.replace(/^(hash|bitmap|list):/, '').split(',');
  if (dims.length > probes.length) return false;
  const exactKey = (withNets: boolean) =>
    dims.map((d, i) => {
      const p = probes[i]!;
      if (d === 'port') return set.type.startsWith('bitmap:') ? String(p.port) : `${p.protocol}:${p.port}`;
      return withNets && d === 'net' ? undefined : p.ip;
    });
  if (!dims.includes('net')) return set.entries.has(exactKey(false).join(','));
  // Sets with a net dimension need a prefix match: test each member (sets here are small).
  for (const e of set.entries) {
    const parts = e.split(',');
    const key = exactKey(true);
    if (parts.length !== dims.length) continue;
    if (parts.every((part, i) => (key[i] === undefined ? inCidr(part, probes[i]!.ip) : dims[i] === 'net' ? inCidr(part, probes[i]!.ip) : part === key[i])))
      return true;
  }
  return false;
}
