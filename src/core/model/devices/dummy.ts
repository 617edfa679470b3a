/**
 * dummy: a device that drops what it is sent and exists to hold addresses. IPVS mode binds
 * every Service IP to `kube-ipvs0` so the kernel treats them as local.
 */
import type { DummyDevice, Netns } from '../types';
import { addDevice, getDevice, nextIfindex } from '../netns';

export function createDummy(ns: Netns, name: string, mac: string): DummyDevice {
  const existing = getDevice(ns, name);
  if (existing && existing.kind === 'dummy') return existing;
  // kube-ipvs0 is created down (NOARP); its addresses are local all the same.
  return addDevice(ns, { ifindex: nextIfindex(ns), name, kind: 'dummy', mac, mtu: 1500, up: false, addresses: [] });
}
