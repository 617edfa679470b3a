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
  const dims = dimsOf(set.type);
  if (dims.length > probes.length) return false;
  const bitmap = set.type.startsWith('bitmap:');
  const exactKey = (withNets: boolean) =>
    dims.map((d, i) => {
      const p = probes[i]!;
      if (d === 'port') return bitmap ? String(p.port) : `${p.protocol}:${p.port}`;
      return withNets && d === 'net' ? undefined : p.ip;
    });
  if (!dims.includes('net')) return set.entries.has(exactKey(false).join(','));
  // Sets with a net dimension need a prefix match: test each member (sets here are small).
  const key = exactKey(true);
  for (const e of set.entries) {
    const parts = partsOf(e);
    if (parts.length !== dims.length) continue;
    if (parts.every((part, i) => (key[i] === undefined ? inCidr(part, probes[i]!.ip) : dims[i] === 'net' ? inCidr(part, probes[i]!.ip) : part === key[i])))
      return true;
  }
  return false;
}

/**
 * Pure functions of a string, remembered (bounded, like parseCidr's cache): a set type's
 * dimensions and a member's comma-separated parts were re-split per packet and per member,
 * which showed up in trace profiles of Calico's ipset rules.
 */
const DIMS = new Map<string, readonly string[]>();
const PARTS = new Map<string, readonly string[]>();

function dimsOf(type: string): readonly string[] {
  let d = DIMS.get(type);
  if (!d) {
    d = type.replace(/^(hash|bitmap|list):/, '').split(',');
    if (DIMS.size > 1000) DIMS.clear();
    DIMS.set(type, d);
  }
  return d;
}

function partsOf(member: string): readonly string[] {
  let p = PARTS.get(member);
  if (!p) {
    p = member.split(',');
    if (PARTS.size > 100_000) PARTS.clear();
    PARTS.set(member, p);
  }
  return p;
}
