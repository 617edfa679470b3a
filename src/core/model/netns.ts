/**
 * Network namespaces: creation, devices, addresses. A netns starts as the kernel makes it:
 * only `lo` (ifindex 1, down until someone brings it up), empty tables, forwarding off.
 * Netfilter tables and the conntrack table are created on first use.
 */
import type { Device, InterfaceAddress, Netns, NetnsKind } from './types';
import { createNetfilter } from '../netfilter/state';
import { createConntrack } from '../netfilter/conntrack';
import type { ConntrackTable } from '../netfilter/conntrack';
import { ipv4ToInt } from '../util/ip';
import { NamespaceMemo, routingChanged } from './namespace-memo';

/**
 * Creates an empty namespace holding only a down loopback device; `pod` names the pod it is the
 * sandbox of (made whole in the literal: set afterwards it took a separate property store per pod).
 */
export function createNetns(id: string, kind: NetnsKind, node: string, name: string, pod?: string): Netns {
  const lo: Device = { ifindex: 1, name: 'lo', kind: 'loopback', mac: '00:00:00:00:00:00', mtu: 65536, up: false, addresses: [] };
  const sysctls = { ipForward: false, bridgeNfCallIptables: false, routeLocalnet: false };
  if (pod !== undefined)
    return { id, kind, node, name, devices: [lo], routes: [], neighbours: [], fdb: [], sysctls, netfilter: createNetfilter(), sockets: [], decrementTtl: true, pod };
  return { id, kind, node, name, devices: [lo], routes: [], neighbours: [], fdb: [], sysctls, netfilter: createNetfilter(), sockets: [], decrementTtl: true };
}

/** The conntrack table of `ns`, created on first use (a packet walk is the only writer). */
export function conntrackOf(ns: Netns): ConntrackTable {
  return (ns.conntrack ??= createConntrack());
}

/** The next free ifindex: Linux hands them out in increasing order per namespace. */
export function nextIfindex(ns: Netns): number {
  // The highest ifindex is kept per device list, as the kernel keeps a per-netns counter, so a
  // node with thousands of veths does not rescan them all for each new one. Devices are only
  // ever appended to a list (removeDevice builds a new one), so devices past `seen` are the
  // ones added since; a list that shrank is rescanned.
  const devs = ns.devices;
  // A short list (every pod's: lo, eth0) is scanned: keeping a maximum for it would cost more
  // than the scan, and a WeakMap entry per pod namespace is work for every garbage collection.
  if (devs.length <= SHORT_LIST) {
    IFINDEX_HIGH.delete(devs); // a long list shortened in place is followed afresh if it grows again
    let max = 0;
    for (let i = 0; i < devs.length; i++) if (devs[i]!.ifindex > max) max = devs[i]!.ifindex;
    return max + 1;
  }
  let high = IFINDEX_HIGH.get(devs);
  if (!high || high.seen > devs.length) IFINDEX_HIGH.set(devs, (high = { seen: 0, max: 0 }));
  for (let i = high.seen; i < devs.length; i++) if (devs[i]!.ifindex > high.max) high.max = devs[i]!.ifindex;
  high.seen = devs.length;
  return high.max + 1;
}

const IFINDEX_HIGH = new WeakMap<Device[], { seen: number; max: number }>();
const SHORT_LIST = 8;

export { routingChanged } from './namespace-memo';

/** `ip link set DEV up|down` (a node fault stops its NIC): route lookups see the change. */
export function setDeviceUp(dev: Device, up: boolean): void {
  dev.up = up;
  routingChanged();
}

/** Adds a device; the caller has built it with `nextIfindex`. */
export function addDevice<D extends Device>(ns: Netns, dev: D): D {
  routingChanged();
  ns.devices.push(dev);
  return dev;
}

export function getDevice(ns: Netns, name: string): Device | undefined {
  for (const d of ns.devices) if (d.name === name) return d;
  return undefined;
}

export function getDeviceByIndex(ns: Netns, ifindex: number): Device | undefined {
  for (const d of ns.devices) if (d.ifindex === ifindex) return d;
  return undefined;
}

/** Removes a device and everything that referred to it (routes, neighbours, FDB), as the kernel does. */
export function removeDevice(ns: Netns, name: string): void {
  routingChanged();
  ns.devices = ns.devices.filter((d) => d.name !== name);
  ns.routes = ns.routes.filter((r) => r.dev !== name);
  ns.neighbours = ns.neighbours.filter((n) => n.dev !== name);
  ns.fdb = ns.fdb.filter((f) => f.dev !== name && f.master !== name);
}

/** `ip addr add IP/PREFIX dev DEV`; also adds the connected-subnet route (`proto kernel scope link`) unless /32. */
export function addAddress(ns: Netns, dev: Device, ip: string, prefix: number, scope: InterfaceAddress['scope'] = 'global'): void {
  const a: InterfaceAddress = { ip, prefix, ipInt: ipv4ToInt(ip), scope };
  routingChanged();
  // A first address makes a list of one: pushing onto an empty list reserves room for 17, and
  // most devices (every pod's lo and eth0) only ever get one.
  if (dev.addresses.length === 0) dev.addresses = [a];
  else dev.addresses.push(a);
}

/** The first global address of a device (what MASQUERADE and `src` selection use). */
export function primaryAddress(dev: Device): string | undefined {
  for (const a of dev.addresses) if (a.scope !== 'host') return a.ip;
  return dev.addresses[0]?.ip;
}

/**
 * The device holding `ip`, if the address is local to this namespace (the kernel's `local` table).
 * Remembered per namespace and address (namespace-memo.ts): netfilter's addrtype match, ARP and
 * routing ask it at hook after hook, and a scan reads every device's addresses (14 devices on
 * average in the bench's node namespaces).
 */
export function findLocalAddress(ns: Netns, ip: number): Device | undefined {
  return LOCAL.get(ns, ip) ?? undefined;
}

/** Answers by address, null when not local; at most 1,024 addresses remembered per namespace. */
const LOCAL = new NamespaceMemo<number, Device | null>((ns, ip) => scanLocalAddresses(ns, ip) ?? null, 1024);

/** `findLocalAddress` unremembered: the first device holding `ip`, or an up loopback for 127.0.0.0/8. */
export function scanLocalAddresses(ns: Netns, ip: number): Device | undefined {
  for (const d of ns.devices) {
    for (const a of d.addresses) {
      if (a.ipInt === ip) return d;
    }
    // 127.0.0.0/8 is all local on a loopback that is up.
    if (d.kind === 'loopback' && d.up && ip >>> 24 === 127) return d;
  }
  return undefined;
}

/** Every address of the namespace, for `-m addrtype --dst-type LOCAL`. */
export function localAddresses(ns: Netns): string[] {
  const out: string[] = [];
  for (const d of ns.devices) for (const a of d.addresses) out.push(a.ip);
  return out;
}
