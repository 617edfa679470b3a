/** The neighbour (ARP) table: `ip neigh`. */
import type { Neighbour, NeighState, Netns } from './types';
import { getIndex, setIndex, startIndex } from '../util/reused-index';
import { dottedQuadToInt } from '../util/ip';

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
  // By (device, address) as one number in the table reused-index.ts reuses for every batch (a
  // map per node and batch was garbage of a hundred entries per node): the address as its
  // 32 bits, the device as its place among the batch's few devices. An address not written in
  // the canonical dotted form, whose string is not one-to-one with its number, or more devices
  // than the key has room for, send the whole batch to maps keyed by the strings instead.
  DEV_COUNT = 0;
  const table = ns.neighbours;
  for (let i = 0; i < table.length; i++) {
    if (neighKey(table[i]!.dev, table[i]!.ip) < 0) return setByString(ns, entries);
  }
  for (let i = 0; i < entries.length; i++) {
    if (neighKey(entries[i]!.dev, entries[i]!.ip) < 0) return setByString(ns, entries);
  }
  startIndex(table.length + entries.length);
  // The first entry of a key is the one setNeighbour's scan finds.
  for (let i = table.length - 1; i >= 0; i--) setIndex(neighKey(table[i]!.dev, table[i]!.ip), i);
  for (const e of entries) {
    const key = neighKey(e.dev, e.ip);
    const at = getIndex(key);
    if (at !== undefined) {
      const existing = table[at]!;
      if (existing.state !== 'PERMANENT' || e.state === 'PERMANENT') {
        existing.mac = e.mac;
        existing.state = e.state;
      }
      continue;
    }
    setIndex(key, table.push({ ip: e.ip, dev: e.dev, mac: e.mac, state: e.state }) - 1);
  }
}

function setByString(ns: Netns, entries: readonly { dev: string; ip: string; mac: string; state: NeighState }[]): void {
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

/** The devices of the batch being keyed, by place (DEV_COUNT of them; the list is reused). */
const DEVS: string[] = [];
let DEV_COUNT = 0;
const MAX_DEVS = 64;

/** (device, address) as address · 64 + the device's place; -1 when the address is not canonical dotted IPv4 or there are too many devices. */
function neighKey(dev: string, ip: string): number {
  const addr = dottedQuadToInt(ip);
  if (addr === undefined) return -1;
  let d = 0;
  while (d < DEV_COUNT && DEVS[d] !== dev) d++;
  if (d === DEV_COUNT) {
    if (d === MAX_DEVS) return -1;
    DEVS[DEV_COUNT++] = dev;
  }
  return addr * MAX_DEVS + d;
}

