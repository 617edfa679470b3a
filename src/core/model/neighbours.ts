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
  // By device, then address: the strings the entries already hold are the keys.
  const byDev = new Map<string, Map<string, Neighbour>>();
  const note = (n: Neighbour) => {
    let m = byDev.get(n.dev);
    if (!m) byDev.set(n.dev, (m = new Map()));
    m.set(n.ip, n);
  };
  // The first entry of a key is the one setNeighbour's scan finds.
  for (let i = ns.neighbours.length - 1; i >= 0; i--) note(ns.neighbours[i]!);
  for (const e of entries) {
    const existing = byDev.get(e.dev)?.get(e.ip);
    if (existing) {
      if (existing.state !== 'PERMANENT' || e.state === 'PERMANENT') {
        existing.mac = e.mac;
        existing.state = e.state;
      }
      continue;
    }
    const n: Neighbour = { ip: e.ip, dev: e.dev, mac: e.mac, state: e.state };
    ns.neighbours.push(n);
    note(n);
  }
}
