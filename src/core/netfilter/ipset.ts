/** ipsets: named sets of addresses, networks or address/port tuples (ipset(8)). */
import type { IpSet, NetfilterState } from './types';

/** `ipset create NAME TYPE` + `ipset add` for each entry; replaces an existing set's members. */
export function setIpset(nf: NetfilterState, name: string, type: string, entries: Iterable<string>): IpSet {
  const set: IpSet = { name, type, entries: new Set(entries) };
  nf.ipsets.set(name, set);
  return set;
}

export function getIpset(nf: NetfilterState, name: string): IpSet | undefined {
  return nf.ipsets.get(name);
}
