/**
 * IPIP (`tunl0`): the kernel's fallback IP-in-IP device. Outer IPv4 header only (protocol 4,
 * 20 bytes), outer destination = the route's gateway (`via NODE dev tunl0 onlink`), outer
 * TTL copied from the inner packet (`ttl inherit`). Read first: net/ipv4/ipip.c.
 */
import type { IpipDevice, Netns } from '../types';
import { addDevice, getDevice, nextIfindex } from '../netns';

/** Brings up `tunl0` (loading the ipip module creates it in every namespace). */
export function createIpip(ns: Netns, mtu: number): IpipDevice {
  const existing = getDevice(ns, 'tunl0');
  if (existing && existing.kind === 'ipip') return existing;
  const dev: IpipDevice = { ifindex: nextIfindex(ns), name: 'tunl0', kind: 'ipip', mac: '00:00:00:00', mtu, up: true, addresses: [], ttlInherit: true };
  return addDevice(ns, dev);
}

/** The IPIP device that receives protocol-4 packets in this namespace. */
export function ipipDevice(ns: Netns): IpipDevice | undefined {
  for (const d of ns.devices) if (d.kind === 'ipip' && d.up) return d;
  return undefined;
}
