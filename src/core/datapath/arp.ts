/**
 * Neighbour resolution (ARP) before a frame can be addressed: the neighbour table first;
 * otherwise a broadcast `who-has` reaches the L2 domain and whoever owns the address — or a
 * device with proxy ARP that can route it (Calico's cali* veths) — answers with its MAC.
 * Bridges on the way learn both MACs. Read first: net/ipv4/arp.c (arp_process).
 */
import type { Device, Netns } from '../model/types';
import type { ArpHeader, EthernetHeader, Packet } from './packet';
import type { HopDraft, WalkContext } from './context';
import { lookupNeighbour, setNeighbour } from '../model/neighbours';
import { learn } from '../model/devices/bridge';
import { findLocalAddress, primaryAddress } from '../model/netns';
import { lookupRoute } from '../model/routes';
import { ipv4ToInt } from '../util/ip';
import { l2Endpoints } from './l2-domain';
import { BROADCAST } from './headers';
import { devHop } from './context';

export type ArpOutcome = { mac: string; hop?: HopDraft } | { failed: HopDraft };

function answers(ep: { ns: Netns; dev: Device }, ip: string): 'own' | 'proxy' | null {
  const local = findLocalAddress(ep.ns, ipv4ToInt(ip));
  if (local && local.kind !== 'loopback') return 'own';
  if (ep.dev.proxyArp) {
    const r = lookupRoute(ep.ns, ip);
    if (r.kind === 'unicast' && r.route.dev !== ep.dev.name) return 'proxy';
    if (r.kind === 'local') return 'proxy';
  }
  return null;
}

function arpPacket(op: 'request' | 'reply', src: { mac: string; ip: string }, dst: { mac: string; ip: string }): Packet {
  const eth: EthernetHeader = { kind: 'eth', src: src.mac, dst: op === 'request' ? BROADCAST : dst.mac, ethertype: 0x0806 };
  const arp: ArpHeader = { kind: 'arp', op, senderMac: src.mac, senderIp: src.ip, targetMac: op === 'request' ? '00:00:00:00:00:00' : dst.mac, targetIp: dst.ip };
  return { headers: [eth, arp], payload: { length: 0, summary: op === 'request' ? `ARP who-has ${dst.ip} tell ${src.ip}` : `ARP ${src.ip} is-at ${src.mac}` } };
}

/** The MAC a usable neighbour entry gives for `ip` on `dev` (neither FAILED nor INCOMPLETE), if any. */
export function knownNeighbour(ns: Netns, dev: Device, ip: string): string | undefined {
  const known = lookupNeighbour(ns, dev.name, ip);
  return known?.mac && known.state !== 'FAILED' && known.state !== 'INCOMPLETE' ? known.mac : undefined;
}

/**
 * The MAC for next hop `ip` on `dev`, resolving by ARP if the table has no usable entry. `srcIp`
 * is the request's sender address, or how to find it: it is needed only when a request goes out,
 * and finding it (a scan of the namespace's addresses) for every known neighbour showed up in
 * trace profiles, where a warm table answers every lookup.
 */
export function resolveNeighbour(ctx: WalkContext, ns: Netns, dev: Device, ip: string, srcIp: string | undefined | (() => string | undefined)): ArpOutcome {
  const mac = knownNeighbour(ns, dev, ip);
  if (mac !== undefined) return { mac };
  const src = typeof srcIp === 'function' ? srcIp() : srcIp;
  const sender = { mac: dev.mac, ip: src ?? primaryAddress(dev) ?? '0.0.0.0' };
  if (dev.kind === 'vxlan' || dev.kind === 'ipip' || dev.kind === 'loopback' || dev.kind === 'dummy') {
    return { failed: devHop(ns, dev, 'drop', arpPacket('request', sender, { mac: BROADCAST, ip }), `${dev.name} has no neighbour entry for ${ip}, and a ${dev.kind} device cannot ask by broadcast: the packet is dropped.`) };
  }
  for (const ep of l2Endpoints(ctx.model, ns, dev)) {
    const how = answers(ep, ip);
    if (!how) continue;
    for (const b of ep.path) {
      learn(b.ns, b.bridge, sender.mac, b.inPort || b.bridge);
      if (b.outPort) learn(b.ns, b.bridge, ep.dev.mac, b.outPort);
    }
    setNeighbour(ns, dev.name, ip, ep.dev.mac, 'REACHABLE');
    setNeighbour(ep.ns, ep.dev.name, sender.ip, sender.mac, 'STALE');
    const who = how === 'proxy' ? `${ep.ns.id} answers for it on ${ep.dev.name} by proxy ARP (it can route ${ip}), with its own MAC` : `${ep.ns.id} (${ep.dev.name}) answers`;
    const explain = `ARP: ${ns.id} asks on ${dev.name} "who-has ${ip}? tell ${sender.ip}" (broadcast); ${who}: ${ip} is-at ${ep.dev.mac}.`;
    return { mac: ep.dev.mac, hop: devHop(ns, dev, 'arp', arpPacket('reply', { mac: ep.dev.mac, ip }, sender), explain) };
  }
  setNeighbour(ns, dev.name, ip, '', 'FAILED');
  return { failed: devHop(ns, dev, 'drop', arpPacket('request', sender, { mac: BROADCAST, ip }), `ARP: nobody on ${dev.name}'s segment answers "who-has ${ip}"; the neighbour entry goes FAILED and the packet is dropped (host unreachable).`) };
}
