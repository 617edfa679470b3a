/**
 * veth: two Ethernet devices joined back to back; a frame transmitted on one is received on
 * the other. One end usually lives in a pod's netns (`eth0`), the other in the host (`veth…`,
 * `cali…`). `eth0@if7` means "my peer is ifindex 7 in the other namespace".
 */
import type { Netns, VethDevice } from '../types';
import { addDevice, nextIfindex } from '../netns';

export interface VethEnd {
  ns: Netns;
  name: string;
  mac: string;
  mtu: number;
}

/** `ip link add A type veth peer name B netns …`: creates both ends, up. */
export function createVethPair(a: VethEnd, b: VethEnd): [VethDevice, VethDevice] {
  const ia = nextIfindex(a.ns);
  const ib = nextIfindex(b.ns) + (a.ns === b.ns ? 1 : 0);
  const da: VethDevice = { ifindex: ia, name: a.name, kind: 'veth', mac: a.mac, mtu: a.mtu, up: true, addresses: [], peer: { netns: b.ns.id, ifindex: ib, name: b.name } };
  const db: VethDevice = { ifindex: ib, name: b.name, kind: 'veth', mac: b.mac, mtu: b.mtu, up: true, addresses: [], peer: { netns: a.ns.id, ifindex: ia, name: a.name } };
  addDevice(a.ns, da);
  addDevice(b.ns, db);
  return [da, db];
}
