/**
 * Who can hear a frame sent on a device: follows veth peers, bridge ports and underlay
 * segments outward from (netns, device), the way a broadcast (an ARP request) spreads.
 * Each reached endpoint is a device whose IP stack would see the frame, with the bridge
 * ports it crossed (for FDB learning).
 */
import type { ClusterModel, Device, Netns } from '../model/types';
import { getDevice } from '../model/netns';
import { bridgePorts } from '../model/devices/bridge';

export interface L2Endpoint {
  ns: Netns;
  dev: Device;
  /** Bridges crossed: (netns, bridge, ingress port, egress port towards this endpoint). */
  path: { ns: Netns; bridge: string; inPort: string; outPort: string }[];
}

/** Where `dev` delivers frames: the peer end, the segment's other NICs, or a bridge's ports. */
function linkTargets(model: ClusterModel, ns: Netns, dev: Device): { ns: Netns; dev: Device }[] {
  if (dev.kind === 'veth') {
    const pns = model.netns.get(dev.peer.netns);
    const pdev = pns ? getDevice(pns, dev.peer.name) : undefined;
    return pns && pdev ? [{ ns: pns, dev: pdev }] : [];
  }
  if (dev.kind === 'nic') {
    const seg = model.segments.get(dev.segment);
    if (!seg) return [];
    const out: { ns: Netns; dev: Device }[] = [];
    for (const p of seg.ports) {
      if (p.netns === ns.id && p.dev === dev.name) continue;
      const pns = model.netns.get(p.netns);
      const pdev = pns ? getDevice(pns, p.dev) : undefined;
      if (pns && pdev && pdev.up) out.push({ ns: pns, dev: pdev });
    }
    return out;
  }
  return [];
}

/** Every IP-stack endpoint a broadcast sent on (ns, dev) reaches. */
export function l2Endpoints(model: ClusterModel, ns: Netns, dev: Device): L2Endpoint[] {
  const out: L2Endpoint[] = [];
  const seen = new Set<string>([`${ns.id}#${dev.name}`]);
  const queue: { ns: Netns; dev: Device; path: L2Endpoint['path'] }[] = [];
  const enqueueBridgePorts = (bns: Netns, bridge: string, inPort: string, path: L2Endpoint['path']): void => {
    for (const port of bridgePorts(bns, bridge)) {
      if (port.name === inPort && !port.hairpin) continue;
      for (const t of linkTargets(model, bns, port)) queue.push({ ...t, path: [...path, { ns: bns, bridge, inPort, outPort: port.name }] });
    }
  };
  if (dev.kind === 'bridge') enqueueBridgePorts(ns, dev.name, '', []);
  else for (const t of linkTargets(model, ns, dev)) queue.push({ ...t, path: [] });
  while (queue.length) {
    const cur = queue.shift()!;
    const key = `${cur.ns.id}#${cur.dev.name}`;
    if (seen.has(key)) continue;
    seen.add(key);
    if (cur.dev.master) {
      const br = getDevice(cur.ns, cur.dev.master);
      if (!br) continue;
      // The bridge's own IP stack hears it, and so do the other ports.
      out.push({ ns: cur.ns, dev: br, path: [...cur.path, { ns: cur.ns, bridge: br.name, inPort: cur.dev.name, outPort: '' }] });
      enqueueBridgePorts(cur.ns, br.name, cur.dev.name, cur.path);
      continue;
    }
    out.push(cur);
  }
  return out;
}
