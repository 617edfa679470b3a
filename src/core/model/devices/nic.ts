/**
 * A host NIC cabled to an underlay segment (the node's `eth0`). Frames it transmits reach the
 * NIC on the same segment whose MAC they are addressed to.
 */
import type { Netns, NicDevice, Segment } from '../types';
import { addDevice, nextIfindex } from '../netns';

export function createNic(ns: Netns, seg: Segment, name: string, mac: string, mtu: number): NicDevice {
  const dev: NicDevice = { ifindex: nextIfindex(ns), name, kind: 'nic', mac, mtu, up: true, addresses: [], segment: seg.id };
  seg.ports.push({ netns: ns.id, dev: name });
  return addDevice(ns, dev);
}
