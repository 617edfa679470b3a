/**
 * Network namespaces: creation, devices, addresses. A netns starts as the kernel makes it:
 * only `lo` (ifindex 1, down until someone brings it up), empty tables, forwarding off.
 * Netfilter tables and the conntrack table are created on first use.
 */
import type { Device, InterfaceAddress, Netns, NetnsKind, Route } from './types';
import { createNetfilter } from '../netfilter/state';
import { createConntrack } from '../netfilter/conntrack';
import type { ConntrackTable } from '../netfilter/conntrack';
import { ipv4ToInt } from '../util/ip';

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

/**
 * A count of the changes that can alter a route lookup's answer and that route lookups cannot
 * see for themselves: routes.ts remembers each namespace's decisions while its routes and
 * devices are the same arrays of the same lengths and this count has not moved (see its
 * `RouteMemo`). Every writer here and in routes.ts bumps it; code that edits a route, a
 * device's address list or an address in place must call `routingChanged` too; a device's
 * `up` is set with `setDeviceUp`.
 */
let routingChanges = 0;

export function routingChanged(): void {
  routingChanges++;
}

/**
 * What a per-namespace memo (route decisions, local addresses) was filled against: the routing
 * stamp, and the namespace's routes and devices arrays with their lengths. Its answers hold while
 * all of these do.
 */
export interface MemoBasis {
  stamp: number;
  routes: Route[];
  routesLength: number;
  devices: Device[];
  devicesLength: number;
}

export function memoBasis(ns: Netns): MemoBasis {
  return { stamp: routingChanges, routes: ns.routes, routesLength: ns.routes.length, devices: ns.devices, devicesLength: ns.devices.length };
}

/** True when `m` was filled against `ns` as it is now; else re-bases `m` on it and returns false (the caller drops its answers). */
export function memoCurrent(m: MemoBasis, ns: Netns): boolean {
  if (m.stamp === routingChanges && m.routes === ns.routes && m.routesLength === ns.routes.length && m.devices === ns.devices && m.devicesLength === ns.devices.length) return true;
  m.stamp = routingChanges;
  m.routes = ns.routes;
  m.routesLength = ns.routes.length;
  m.devices = ns.devices;
  m.devicesLength = ns.devices.length;
  return false;
}

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
 * Remembered per namespace and address (see `LocalMemo`).
 */
export function findLocalAddress(ns: Netns, ip: number): Device | undefined {
  const m = localMemo(ns);
  let d = m.byIp.get(ip);
  if (d === undefined) {
    d = scanLocalAddresses(ns, ip) ?? null;
    if (m.byIp.size >= LOCAL_MEMO_MAX) m.byIp.clear();
    m.byIp.set(ip, d);
  }
  return d ?? undefined;
}

/**
 * The answers of one namespace's local table by address (null: not local). Netfilter's addrtype
 * match, ARP and routing ask it at hook after hook, and each question scanned every device's
 * addresses (14 devices on average in the bench's node namespaces, objects of many shapes).
 * Kept as routes.ts keeps its decisions, while `memoCurrent` holds (`routingChanged`, which
 * addAddress, add/removeDevice, setDeviceUp and IPVS's address sync call, not called since).
 */
interface LocalMemo extends MemoBasis {
  byIp: Map<number, Device | null>;
}

/** A bound on the addresses remembered per namespace. */
const LOCAL_MEMO_MAX = 1024;
const LOCAL_MEMOS = new WeakMap<Netns, LocalMemo>();
let lastLocalNs: Netns | undefined;
let lastLocalMemo: LocalMemo | undefined;

function localMemo(ns: Netns): LocalMemo {
  let m = ns === lastLocalNs ? lastLocalMemo : LOCAL_MEMOS.get(ns);
  if (m === undefined) {
    m = { ...memoBasis(ns), byIp: new Map() };
    LOCAL_MEMOS.set(ns, m);
  } else if (!memoCurrent(m, ns)) m.byIp.clear();
  lastLocalNs = ns;
  lastLocalMemo = m;
  return m;
}

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
