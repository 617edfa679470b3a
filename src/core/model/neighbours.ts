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
