/**
 * VXLAN device: wraps each Ethernet frame in UDP/IP to a remote VTEP chosen by the inner
 * destination MAC's `self` FDB entry (`bridge fdb show dev flannel.1`). Read first:
 * drivers/net/vxlan/vxlan_core.c (vxlan_xmit, vxlan_rcv).
 */
import type { Netns, VxlanDevice } from '../types';
import { addDevice, nextIfindex } from '../netns';
import { getIndex, setIndex, startIndex } from '../../util/reused-index';

export interface VxlanSpec {
  name: string;
  mac: string;
  mtu: number;
  vni: number;
  dstport: number;
  local: string;
  underlay: string;
}

/** `ip link add NAME type vxlan id VNI local IP dev UNDERLAY dstport PORT nolearning`. */
export function createVxlan(ns: Netns, s: VxlanSpec): VxlanDevice {
  const dev: VxlanDevice = { ifindex: nextIfindex(ns), kind: 'vxlan', up: true, addresses: [], learning: false, ...s };
  return addDevice(ns, dev);
}

/** `bridge fdb append MAC dev VXLAN dst REMOTE self permanent`. */
export function addVxlanFdb(ns: Netns, dev: string, mac: string, remote: string): void {
  const entry = { mac, dev, dst: remote, permanent: true, self: true };
  const i = ns.fdb.findIndex((e) => e.dev === dev && e.mac === mac && e.self);
  if (i >= 0) ns.fdb[i] = entry;
  else ns.fdb.push(entry);
}

/**
 * Many `bridge fdb append … self permanent` on one vxlan device at once: the device's entries
 * are indexed once for the batch; the table ends as addVxlanFdb for each entry in order leaves it.
 */
export function addVxlanFdbs(ns: Netns, dev: string, entries: readonly { mac: string; remote: string }[]): void {
  // Indexed by the MAC as a number in the table reused-index.ts reuses for every batch (a map
  // per node and batch was garbage of a hundred entries per node); a MAC not written in the
  // canonical lowercase form, whose string is not one-to-one with its number, sends the whole
  // batch to a map keyed by the string instead.
  let canonical = true;
  for (let i = 0; canonical && i < ns.fdb.length; i++) {
    const e = ns.fdb[i]!;
    if (e.dev === dev && e.self && macKey(e.mac) < 0) canonical = false;
  }
  for (let i = 0; canonical && i < entries.length; i++) if (macKey(entries[i]!.mac) < 0) canonical = false;
  if (!canonical) {
    addByString(ns, dev, entries);
    return;
  }
  startIndex(ns.fdb.length + entries.length);
  for (let i = ns.fdb.length - 1; i >= 0; i--) {
    const e = ns.fdb[i]!;
    if (e.dev === dev && e.self) setIndex(macKey(e.mac), i);
  }
  for (const { mac, remote } of entries) {
    const entry = { mac, dev, dst: remote, permanent: true, self: true };
    const key = macKey(mac);
    const i = getIndex(key);
    if (i !== undefined) ns.fdb[i] = entry;
    else setIndex(key, ns.fdb.push(entry) - 1);
  }
}

function addByString(ns: Netns, dev: string, entries: readonly { mac: string; remote: string }[]): void {
  const at = new Map<string, number>();
  for (let i = ns.fdb.length - 1; i >= 0; i--) {
    const e = ns.fdb[i]!;
    if (e.dev === dev && e.self) at.set(e.mac, i);
  }
  for (const { mac, remote } of entries) {
    const entry = { mac, dev, dst: remote, permanent: true, self: true };
    const i = at.get(mac);
    if (i !== undefined) ns.fdb[i] = entry;
    else at.set(mac, ns.fdb.push(entry) - 1);
  }
}

/** `aa:bb:cc:dd:ee:ff` (lowercase hex, the form every modelled MAC takes) as a 48-bit number; -1 for any other string. */
function macKey(mac: string): number {
  if (mac.length !== 17) return -1;
  let v = 0;
  for (let i = 0; i < 17; i++) {
    const c = mac.charCodeAt(i);
    if (i % 3 === 2) {
      if (c !== 58) return -1; // ':'
      continue;
    }
    const d = c >= 48 && c <= 57 ? c - 48 : c >= 97 && c <= 102 ? c - 87 : -1;
    if (d < 0) return -1;
    v = v * 16 + d;
  }
  return v;
}

/** The remote VTEP for an inner destination MAC, or undefined (no FDB entry: the frame is dropped, flannel programs no default). */
export function lookupVtep(ns: Netns, dev: string, mac: string): string | undefined {
  for (const e of ns.fdb) if (e.dev === dev && e.self && e.mac === mac) return e.dst;
  return undefined;
}

/** The VXLAN device listening on UDP `port`, if any (the kernel's VXLAN socket). */
export function vxlanForPort(ns: Netns, port: number): VxlanDevice | undefined {
  for (const d of ns.devices) if (d.kind === 'vxlan' && d.up && d.dstport === port) return d;
  return undefined;
}
