/**
 * Link layer: resolving the next hop's MAC (`neigh`), transmitting a frame on a device
 * (`xmit`: veth → its peer, NIC → the segment, bridge → a port, vxlan → encapsulate,
 * tunl0 → IPIP) and receiving one (`rx`: a bridge port hands it to the bridge; otherwise the
 * frame must be addressed to the device). Read first: net/core/dev.c, net/bridge/br_input.c.
 */
import type { BridgeDevice, Device, Netns } from '../model/types';
import type { Packet } from './packet';
import type { HopDraft, WalkContext } from './context';
import type { StageResult } from './step';
import { findLocalAddress, getDevice, primaryAddress } from '../model/netns';
import { ipv4ToInt } from '../util/ip';
import { learn, lookupFdb } from '../model/devices/bridge';
import { lookupVtep } from '../model/devices/vxlan';
import { devHop, hop } from './context';
import { BROADCAST, describeFlow, outerIp, pushEthernet, stripEthernet, topEthernet, withHeaders, withMark } from './headers';
import { lookupRoute } from '../model/routes';
import { dropped, step } from './step';
import { knownNeighbour, resolveNeighbour } from './arp';
import { explainVxlanEncap, ipipEncap, vxlanEncap, vxlanFdbRule, vxlanTexts } from './tunnels';
import { l2Endpoints } from './l2-domain';
import { nfHook, resetConntrack } from './netfilter-hook';
import { ipvsOut } from './ipvs-stage';

/** Next hop → MAC (or IPIP encapsulation for tunl0), then transmit. */
export function neighbour(ctx: WalkContext, ns: Netns, dev: Device, nexthop: string, p: Packet): StageResult {
  if (dev.kind === 'ipip') {
    const outer = ipipEncap(ns, dev, p, nexthop, ctx.rng.int(1, 65535));
    if (!outer) return dropped([], 'no-route', devHop(ns, dev, 'drop', p, `${dev.name} cannot reach the tunnel endpoint ${nexthop}.`));
    const o = outerIp(outer);
    const d = devHop(ns, dev, 'encap', outer, `${dev.name} wraps the packet in IPIP: a 20-byte outer header ${o.src} → ${o.dst} (protocol 4) with the inner TTL ${o.ttl} copied (ttl inherit).`, ['outer']);
    return { hops: [d], next: step('output', ns, outer, undefined, undefined, true) };
  }
  if (dev.kind === 'loopback') return { hops: [], next: step('ip-rcv', ns, p, dev) };
  // A warm table answers almost every lookup: that case first, without the closure that finds
  // the ARP request's sender (needed only when a request goes out).
  const known = knownNeighbour(ns, dev, nexthop);
  if (known !== undefined) return { hops: [], next: step('xmit', ns, pushEthernet(p, dev.mac, known), dev) };
  const arp = resolveNeighbour(ctx, ns, dev, nexthop, () => arpSender(ns, dev, outerIp(p).src));
  if ('failed' in arp) return dropped([], 'arp-failed', arp.failed);
  const frame = pushEthernet(p, dev.mac, arp.mac);
  return { hops: arp.hop ? [arp.hop] : [], next: step('xmit', ns, frame, dev) };
}

/**
 * The sender address of an ARP request (arp_solicit with arp_announce 0): the packet's source
 * when it is an address of this namespace; otherwise — a forwarded packet — inet_select_addr:
 * the device's own address, else the first global address of the namespace's devices.
 */
export function arpSender(ns: Netns, dev: Device, src: string | undefined): string | undefined {
  if (src && findLocalAddress(ns, ipv4ToInt(src))) return src;
  const own = primaryAddress(dev);
  if (own) return own;
  for (const d of ns.devices) for (const a of d.addresses) if (a.scope === 'global') return a.ip;
  return undefined;
}

export function transmit(ctx: WalkContext, ns: Netns, dev: Device, frame: Packet): StageResult {
  switch (dev.kind) {
    case 'veth':
      return vethXmit(ctx, ns, dev, frame);
    case 'nic':
      return nicXmit(ctx, ns, dev, frame);
    case 'bridge':
      return bridgeForward(ctx, ns, dev, undefined, frame);
    case 'vxlan': {
      const eth = topEthernet(frame)!;
      const remote = lookupVtep(ns, dev.name, eth.dst);
      if (!remote) return dropped([], 'no-route', devHop(ns, dev, 'drop', frame, `${dev.name} has no FDB entry for ${eth.dst}: it does not know which VTEP to send to, so the frame is dropped.`));
      const outer = vxlanEncap(dev, frame, remote, ctx.rng.int(1, 65535));
      const texts = vxlanTexts(dev);
      return { hops: [devHop(ns, dev, 'encap', outer, explainVxlanEncap(texts, dev, outer, remote), ['outer'], vxlanFdbRule(texts, dev, eth.dst, remote))], next: step('output', ns, outer, undefined, undefined, true) };
    }
    case 'loopback':
      return { hops: [], next: step('ip-rcv', ns, stripEthernet(frame), dev) };
    default:
      return dropped([], 'unreachable', devHop(ns, dev, 'drop', frame, `${dev.name} is a ${dev.kind} device: what is sent to it goes nowhere.`));
  }
}

/**
 * The sentences of a veth crossing and of a frame on the wire depend only on the two ends, so
 * they are made once per sending device and kept (beside the device, in a WeakMap) while both
 * ends still have the names, MACs and namespaces they were made from: every flow crosses the
 * same few links, and the concatenations per hop were a visible part of trace profiles.
 */
interface LinkText {
  /** The ends and facts the text was made from. */
  ns: string;
  name: string;
  mac: string;
  peer: Device;
  pns: Netns;
  pnsId: string;
  pnsKind: Netns['kind'];
  peerName: string;
  peerMac: string;
  /** The segment's CIDR for a wire hop ('' for a veth). */
  cidr: string;
  text: string;
  /** A wire hop's `ns>pns` device and its underlay "namespace". */
  device: string;
  where: { id: string; node: string } | undefined;
}

/** By sending device, one per receiving end (a NIC reaches every other NIC of its segment). */
const LINK_TEXT = new WeakMap<Device, LinkText[]>();

function linkText(ns: Netns, dev: Device, pns: Netns, peer: Device, cidr: string): LinkText | undefined {
  const ts = LINK_TEXT.get(dev);
  if (!ts) return undefined;
  for (const t of ts) {
    if (t.peer !== peer) continue;
    if (t.pns === pns && t.ns === ns.id && t.name === dev.name && t.mac === dev.mac && t.pnsId === pns.id && t.pnsKind === pns.kind && t.peerName === peer.name && t.peerMac === peer.mac && t.cidr === cidr) return t;
    return undefined;
  }
  return undefined;
}

function remember(ns: Netns, dev: Device, pns: Netns, peer: Device, cidr: string, text: string, device: string, where: LinkText['where']): LinkText {
  const t: LinkText = { ns: ns.id, name: dev.name, mac: dev.mac, peer, pns, pnsId: pns.id, pnsKind: pns.kind, peerName: peer.name, peerMac: peer.mac, cidr, text, device, where };
  // Replaces the entry for the same receiving device. A list far longer than any segment (peers
  // replaced over and over by faults) starts afresh rather than keep the old ones.
  const ts = (LINK_TEXT.get(dev) ?? []).filter((x) => x.peer !== peer);
  ts.push(t);
  LINK_TEXT.set(dev, ts.length > 64 ? [t] : ts);
  return t;
}

function vethXmit(ctx: WalkContext, ns: Netns, dev: Extract<Device, { kind: 'veth' }>, frame: Packet): StageResult {
  const pns = ctx.model.netns.get(dev.peer.netns);
  const peer = pns ? getDevice(pns, dev.peer.name) : undefined;
  if (!pns || !peer) return dropped([], 'unreachable', devHop(ns, dev, 'drop', frame, `${dev.name}'s peer is gone.`));
  // Crossing into another namespace scrubs skb->mark (skb_scrub_packet).
  const moved = withMark(frame, 0);
  let t = linkText(ns, dev, pns, peer, '');
  if (!t) {
    const where = pns.kind === 'pod' ? `into ${pns.id}` : `into ${pns.id}'s root namespace`;
    t = remember(ns, dev, pns, peer, '', `The frame leaves ${ns.id} by ${dev.name} and comes out of its veth peer ${peer.name} ${where}.`, '', undefined);
  }
  return { hops: [devHop(pns, peer, 'veth', moved, t.text)], next: step('rx', pns, moved, peer) };
}

function nicXmit(ctx: WalkContext, ns: Netns, dev: Extract<Device, { kind: 'nic' }>, frame: Packet): StageResult {
  const seg = ctx.model.segments.get(dev.segment);
  const eth = topEthernet(frame)!;
  if (seg) {
    for (const port of seg.ports) {
      const pns = ctx.model.netns.get(port.netns);
      const pdev = pns ? getDevice(pns, port.dev) : undefined;
      if (pns && pdev && pdev.mac === eth.dst && pdev.up) {
        // One immutable packet for the wire hop and the receiving step.
        const onWire = withMark(frame, 0);
        let t = linkText(ns, dev, pns, pdev, seg.cidr);
        if (!t || t.where === undefined || t.where.id !== seg.id) {
          const text = `On the wire of segment ${seg.cidr}: ${ns.id} ${dev.name} (${dev.mac}) → ${pns.id} ${pdev.name} (${pdev.mac}), `;
          t = remember(ns, dev, pns, pdev, seg.cidr, text, `${ns.id}>${pns.id}`, { id: seg.id, node: 'underlay' });
        }
        const h = hop(t.where!, 'wire', onWire, `${t.text}${describeFlow(frame)}.`, t.device);
        return { hops: [h], next: step('rx', pns, onWire, pdev) };
      }
    }
  }
  return dropped([], 'unreachable', devHop(ns, dev, 'drop', frame, `No NIC with MAC ${eth.dst} is on ${dev.name}'s segment: the frame is lost.`));
}

/** A frame arriving on a device. */
export function receive(ctx: WalkContext, ns: Netns, dev: Device, frame: Packet): StageResult {
  if (dev.master) {
    const br = getDevice(ns, dev.master);
    if (br?.kind === 'bridge') return bridgeForward(ctx, ns, br, dev, frame);
  }
  const eth = topEthernet(frame);
  if (!eth) return { hops: [], next: step('ip-rcv', ns, frame, dev) };
  if (eth.dst !== dev.mac && eth.dst !== BROADCAST) {
    return dropped([], 'not-for-us', devHop(ns, dev, 'drop', frame, `${dev.name} (${dev.mac}) receives a frame for ${eth.dst}: not addressed to it, discarded.`));
  }
  return { hops: [], next: step('ip-rcv', ns, stripEthernet(frame), dev) };
}

/**
 * The bridge: learn the source MAC on the ingress port, then deliver up to the host stack
 * (frame for the bridge's own MAC) or forward to the port the FDB names. With br_netfilter
 * (bridge-nf-call-iptables=1) IPv4 frames cross iptables on the way: PREROUTING before the
 * bridge decides, FORWARD and POSTROUTING when it switches them; `-i`/`-o` then see the bridge
 * and `-m physdev` the ports. Read first: net/bridge/br_netfilter_hooks.c.
 */
function bridgeForward(ctx: WalkContext, ns: Netns, br: BridgeDevice, inPort: Device | undefined, frame: Packet): StageResult {
  const eth = topEthernet(frame)!;
  const hops: HopDraft[] = [];
  if (inPort) learn(ns, br.name, eth.src, inPort.name);
  const brnf = inPort !== undefined && ns.sysctls.bridgeNfCallIptables && frame.headers[1]?.kind === 'ipv4';
  if (inPort && eth.dst === br.mac) {
    hops.push(devHop(ns, br, 'bridge', frame, `${br.name} learns ${eth.src} on port ${inPort.name}; the frame is addressed to ${br.name}'s own MAC, so it goes up to ${ns.id}'s IP stack to be routed.`, undefined, { kind: 'fdb', text: `${br.mac} dev ${br.name} vlan 1 master ${br.name} permanent` }));
    if (!brnf) return { hops, next: step('ip-rcv', ns, stripEthernet(frame), br) };
    return bridgeUp(ctx, ns, br, inPort, frame, hops);
  }
  let outName = lookupFdb(ns, br.name, eth.dst);
  let how = 'its FDB says';
  if (!outName) {
    // Unknown unicast floods; follow the copy that reaches the owner of the MAC.
    const owner = l2Endpoints(ctx.model, ns, br).find((e) => e.dev.mac === eth.dst);
    outName = owner?.path.find((s) => s.ns === ns && s.bridge === br.name)?.outPort;
    how = 'the MAC is unknown, so the frame is flooded; the copy that matters leaves by';
  }
  const out = outName ? getDevice(ns, outName) : undefined;
  if (!out) return dropped(hops, 'unreachable', devHop(ns, br, 'drop', frame, `${br.name} cannot find ${eth.dst} on any port.`));
  let p = frame;
  if (brnf) {
    const pre = nfHook(ctx, ns, 'PREROUTING', stripEthernet(p), br.name, undefined, undefined, inPort!.name);
    if (pre.hop) hops.push(pre.hop);
    if (pre.verdict !== 'ACCEPT') return dropped(hops, pre.verdict === 'REJECT' ? 'reject' : 'filtered', devHop(ns, br, 'drop', p, `${ns.id} PREROUTING (bridged) ${pre.verdict === 'REJECT' ? 'rejected' : 'dropped'} the frame.`));
    p = withHeaders(pre.packet, [p.headers[0]!, ...pre.packet.headers]);
  }
  return switchFrame(ctx, ns, br, inPort, out, p, hops, `${inPort ? `from port ${inPort.name}` : `from ${ns.id}'s IP stack`} to port ${out.name}: ${how} ${eth.dst} is behind it`);
}

/**
 * A frame for the bridge's own MAC under br_netfilter: PREROUTING runs here. If it DNATs the
 * packet to an address that is itself on this bridge, the frame never reaches routing — it is
 * switched straight to the new destination's port (br_nf_pre_routing_finish, "bridged DNAT"),
 * so there is no TTL decrement, and without hairpin mode a pod cannot reach itself this way.
 */
function bridgeUp(ctx: WalkContext, ns: Netns, br: BridgeDevice, inPort: Device, frame: Packet, hops: HopDraft[]): StageResult {
  const before = stripEthernet(frame);
  const pre = nfHook(ctx, ns, 'PREROUTING', before, br.name, undefined, undefined, inPort.name);
  if (pre.hop) hops.push(pre.hop);
  if (pre.verdict !== 'ACCEPT') return dropped(hops, pre.verdict === 'REJECT' ? 'reject' : 'filtered', devHop(ns, br, 'drop', pre.packet, `${ns.id} PREROUTING ${pre.verdict === 'REJECT' ? 'rejected' : 'dropped'} the packet.`));
  const dst = outerIp(pre.packet).dst;
  if (dst !== outerIp(before).dst) {
    const d = lookupRoute(ns, dst);
    if (d.kind === 'unicast' && d.route.dev === br.name) {
      const arp = resolveNeighbour(ctx, ns, br, d.route.via ?? dst, () => arpSender(ns, br, outerIp(pre.packet).src));
      if ('failed' in arp) return dropped(hops, 'arp-failed', arp.failed);
      if (arp.hop) hops.push(arp.hop);
      const out = lookupFdb(ns, br.name, arp.mac);
      const outDev = out ? getDevice(ns, out) : undefined;
      if (!outDev) return dropped(hops, 'unreachable', devHop(ns, br, 'drop', pre.packet, `${br.name} cannot find ${arp.mac} on any port.`));
      if (outDev === inPort && !inPort.hairpin && br.promisc) return promiscuousPassUp(ctx, ns, br, inPort, before, pre.packet, hops, arp.mac);
      const p = pushEthernet(pre.packet, topEthernet(frame)!.src, arp.mac);
      return switchFrame(ctx, ns, br, inPort, outDev, p, hops, `to port ${outDev.name}: after the DNAT the new destination ${dst} is on ${br.name} itself, so br_netfilter keeps the frame on the bridge with ${arp.mac} as its destination MAC instead of routing it`);
    }
  }
  return { hops, next: step('ip-rcv', ns, pre.packet, br, undefined, undefined, true) };
}

/**
 * A bridged-DNAT frame whose new destination is behind the port it came in on, on a bridge with
 * hairpin mode off on that port but promiscuous (kubenet's promiscuous-bridge hairpin mode): the
 * bridge cannot forward it (should_deliver), but because it is promiscuous it passes the frame up
 * to its own IP stack all the same (br_handle_frame_finish, local_rcv), which routes it. Since
 * Linux 6.9 (751de2012eaf "netfilter: br_netfilter: skip conntrack input hook for promisc
 * packets", backported to the stable kernels in April 2024) br_nf_local_in strips such a frame of
 * its conntrack entry (nf_reset_ct), which frees the connection this first packet created; and
 * PREROUTING does not run again for it (ip_sabotage_in). So the routed packet reaches FORWARD and
 * POSTROUTING with no connection: `--ctstate INVALID`, and no NAT (no MASQUERADE) applies.
 */
function promiscuousPassUp(ctx: WalkContext, ns: Netns, br: BridgeDevice, inPort: Device, before: Packet, p: Packet, hops: HopDraft[], mac: string): StageResult {
  const freed = resetConntrack(ns, before, ctx.now);
  const dst = outerIp(p).dst;
  const lost = freed ? 'loses its conntrack entry, and the connection its PREROUTING created is freed with it' : 'loses its conntrack entry';
  const text =
    `After the DNAT the new destination ${dst} (${mac}) is behind ${inPort.name}, the port the frame came in on, and ${inPort.name} has hairpin mode off: ${br.name} does not send a frame back out of its ingress port. ` +
    `But ${br.name} is promiscuous (PROMISC), so it also passes every frame it switches up to ${ns.id}'s IP stack, and that copy is routed. ` +
    `On the way up the copy ${lost} (br_nf_local_in resets conntrack on frames a bridge hands up only because it is promiscuous, Linux 6.9 and later): from here on netfilter sees ctstate INVALID and no NAT applies.`;
  hops.push(devHop(ns, br, 'bridge', p, text, undefined, { kind: 'fdb', text: `${mac} dev ${inPort.name} master ${br.name}` }));
  return { hops, next: step('ip-rcv', ns, p, br, undefined, undefined, true, true) };
}

/** Switches a frame out of `out`: the hairpin check, br_netfilter's FORWARD and POSTROUTING, IPVS's reply hook. */
function switchFrame(ctx: WalkContext, ns: Netns, br: BridgeDevice, inPort: Device | undefined, out: Device, frame: Packet, hops: HopDraft[], how: string): StageResult {
  if (inPort && out.name === inPort.name && !out.hairpin) {
    return dropped(hops, 'filtered', devHop(ns, br, 'drop', frame, `${br.name} would send the frame back out of ${out.name}, the port it came in on; without hairpin mode a bridge never does that.`));
  }
  let p = frame;
  if (inPort && ns.sysctls.bridgeNfCallIptables && p.headers[1]?.kind === 'ipv4') {
    for (const hook of ['FORWARD', 'POSTROUTING'] as const) {
      const r = nfHook(ctx, ns, hook, stripEthernet(p), br.name, br.name, true, inPort.name, out.name);
      if (r.hop) hops.push(r.hop);
      if (r.verdict !== 'ACCEPT') return dropped(hops, r.verdict === 'REJECT' ? 'reject' : 'filtered', devHop(ns, br, 'drop', p, `${ns.id} ${hook} (bridged) ${r.verdict === 'REJECT' ? 'rejected' : 'dropped'} the frame.`));
      p = withHeaders(r.packet, [p.headers[0]!, ...r.packet.headers]);
      if (hook !== 'FORWARD') continue;
      // IPVS's reply hook sits at FORWARD too, so br_netfilter hands it bridged replies (ip_vs_reply4).
      const back = ipvsOut(ctx, ns, inPort, stripEthernet(p));
      if (back.hop) hops.push(back.hop);
      p = withHeaders(back.packet, [p.headers[0]!, ...back.packet.headers]);
    }
  }
  hops.push(devHop(ns, br, 'bridge', p, `${br.name} switches the frame ${how}. Bridging does not touch the IP header (no TTL change).`, undefined, { kind: 'fdb', text: `${topEthernet(p)!.dst} dev ${out.name} master ${br.name}` }));
  return { hops, next: step('xmit', ns, p, out) };
}
