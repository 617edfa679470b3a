/** The neighbour (ARP) table: `ip neigh`. */
import type { Neighbour, NeighState, Netns } from './types';

export function lookupNeighbour(ns: Netns, dev: string, ip: string): Neighbour | undefined {
  for (const n of ns.neighbours) if (n.dev === dev && n.ip === ip) return n;
  return undefined;
}

/** `ip neigh replace IP lladdr MAC dev DEV nud STATE`. */
export function setNeighbour(ns: Netns, dev: string, ip: string, mac: string, state: NeighState): Neighbour {
  const existing = lookupNeighbour(ns, dev, ip);
  if (existing) {
    if (existing.state !== 'PERMANENT' || state === 'PERMANENT') {
      existing.mac = mac;
      existing.state = state;
    }
    return existing;
  }
  const n: Neighbour = { ip, dev, mac, state };
  ns.neighbours.push(n);
  return n;
}

/**
 * Many `ip neigh replace` at once (an agent programming its peers): the table is indexed once
 * for the batch instead of scanned per entry; it ends as setNeighbour for each entry in order
 * leaves it.
 */
export function setNeighbours(ns: Netns, entries: readonly { dev: string; ip: string; mac: string; state: NeighState }[]): void {
  const at = new Map<string, Neighbour>();
  const key = (dev: string, ip: string) => `${dev} ${ip}`;
  for (let i = ns.neighbours.length - 1; i >= 0; i--) at.set(key(ns.neighbours[i]!.dev, ns.neighbours[i]!.ip), ns.neighbours[i]!);
  for (const e of entries) {
    const k = key(e.dev, e.ip);
    const existing = at.get(k);
    if (existing) {
      if (existing.state !== 'PERMANENT' || e.state === 'PERMANENT') {
        existing.mac = e.mac;
        existing.state = e.state;
      }
      continue;
    }
    const n: Neighbour = { ip: e.ip, dev: e.dev, mac: e.mac, state: e.state };
    ns.neighbours.push(n);
    at.set(k, n);
  }
}
