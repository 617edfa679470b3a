/**
 * Linux bridge: a learning L2 switch whose own "port" is the host IP stack. Ports are
 * devices with `master` set to the bridge. Read first: net/bridge/br_input.c, br_fdb.c.
 */
import type { BridgeDevice, Device, Netns } from '../types';
import { addDevice, getDevice, nextIfindex } from '../netns';

/** `ip link add NAME type bridge`; up. */
export function createBridge(ns: Netns, name: string, mac: string, mtu: number): BridgeDevice {
  const existing = getDevice(ns, name);
  if (existing && existing.kind === 'bridge') return existing;
  const br: BridgeDevice = { ifindex: nextIfindex(ns), name, kind: 'bridge', mac, mtu, up: true, addresses: [], ageing: 300 };
  addDevice(ns, br);
  // The bridge's own MAC is a permanent local entry (`… dev cni0 vlan 1 master cni0 permanent`).
  ns.fdb.push({ mac, dev: name, master: name, permanent: true });
  return br;
}

/**
 * `ip link set DEV master BRIDGE`: the port takes the lowest free port number (br_if.c
 * find_portno: 0 is reserved, a number freed by a leaving port is taken again), and its own
 * MAC becomes a permanent local FDB entry.
 */
export function attachToBridge(ns: Netns, port: Device, bridge: BridgeDevice, hairpin = false): void {
  const used = new Set<number>();
  for (const d of ns.devices) if (d.master === bridge.name && d !== port && d.portNo !== undefined) used.add(d.portNo);
  let no = 1;
  while (used.has(no)) no++;
  port.portNo = no;
  port.master = bridge.name;
  if (hairpin) port.hairpin = true;
  ns.fdb.push({ mac: port.mac, dev: port.name, master: bridge.name, permanent: true });
}

/** Bridge ports, in ifindex order. */
export function bridgePorts(ns: Netns, bridge: string): Device[] {
  return ns.devices.filter((d) => d.master === bridge);
}

/** Learning: remember that `mac` was seen on `port` (not overwriting permanent entries). */
export function learn(ns: Netns, bridge: string, mac: string, port: string): boolean {
  for (const e of ns.fdb) {
    if (e.master === bridge && e.mac === mac) {
      if (e.permanent || e.dev === port) return false;
      e.dev = port;
      return true;
    }
  }
  ns.fdb.push({ mac, dev: port, master: bridge, permanent: false });
  return true;
}

/** Forwarding lookup: the port `mac` lives behind, or undefined (flood). */
export function lookupFdb(ns: Netns, bridge: string, mac: string): string | undefined {
  for (const e of ns.fdb) if (e.master === bridge && e.mac === mac) return e.dev;
  return undefined;
}
