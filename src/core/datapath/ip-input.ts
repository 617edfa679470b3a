/**
 * An IPv4 packet entering a namespace's IP stack: PREROUTING (where kube-proxy DNATs), the
 * routing decision, then local delivery (INPUT; the VXLAN and IPIP receive handlers
 * decapsulate here) or forwarding (ip_forward, TTL, FORWARD, MTU, POSTROUTING).
 * Read first: net/ipv4/ip_input.c, net/ipv4/ip_forward.c.
 */
import type { Device, Netns, Route } from '../model/types';
import type { Packet } from './packet';
import type { HopDraft, WalkContext } from './context';
import type { StageResult } from './step';
import { lookupRoute, formatRoute } from '../model/routes';
import { findLocalAddress, getDevice } from '../model/netns';
import { ipv4ToInt } from '../util/ip';
import { vxlanForPort } from '../model/devices/vxlan';
import { ipipDevice } from '../model/devices/ipip';
import { devHop, hop } from './context';
import { forwardsText, routeTexts } from './route-text';
import { dropHeaders, l4Of, outerIp, outerIpIndex, withMark, withOuterIp } from './headers';
import { packetLength } from './packet';
import { dropped, step } from './step';
import { nfHook } from './netfilter-hook';
import { deliverLocal } from './deliver';
import { ipvsIn, ipvsOut } from './ipvs-stage';

/**
 * `preroutingDone`: br_netfilter already ran PREROUTING; `noConntrack`: the packet also lost its
 * conntrack entry since (a promiscuous bridge's copy, link.ts), so the later hooks find none.
 */
export function ipReceive(ctx: WalkContext, ns: Netns, dev: Device, pkt: Packet, preroutingDone = false, noConntrack = false): StageResult {
  const hops: HopDraft[] = [];
  // br_netfilter already ran PREROUTING for a frame the bridge handed up (see link.ts).
  let p = pkt;
  if (!preroutingDone) {
    const pre = nfHook(ctx, ns, 'PREROUTING', pkt, dev.name);
    if (pre.hop) hops.push(pre.hop);
    if (pre.verdict !== 'ACCEPT') return dropped(hops, pre.verdict === 'REJECT' ? 'reject' : 'filtered', devHop(ns, dev, 'drop', pre.packet, `${ns.id} PREROUTING ${pre.verdict === 'REJECT' ? 'rejected' : 'dropped'} the packet.`));
    p = pre.packet;
  }
  const ip = outerIp(p);
  // Routing's source check (fib_validate_source): a packet that arrives from outside with one of
  // this namespace's own addresses as its source is a martian, dropped (accept_local is 0).
  if (dev.kind !== 'loopback' && findLocalAddress(ns, ipv4ToInt(ip.src))) {
    return dropped(hops, 'martian-source', devHop(ns, dev, 'drop', p, `${ns.id} receives on ${dev.name} a packet whose source ${ip.src} is one of its own addresses: routing rejects it as a martian source (net.ipv4.conf.${dev.name}.accept_local is 0).`));
  }
  const decision = lookupRoute(ns, ip.dst);
  if (decision.kind === 'local') return localIn(ctx, ns, dev, p, hops, noConntrack);
  if (decision.kind === 'blackhole') {
    return dropped(hops, 'no-route', devHop(ns, dev, 'drop', p, `${ns.id} matches "${formatRoute(decision.route)}": a blackhole route discards the packet (no such address in this block).`, undefined, { kind: 'route', text: formatRoute(decision.route) }));
  }
  if (decision.kind !== 'unicast') return dropped(hops, 'no-route', devHop(ns, dev, 'drop', p, `${ns.id} has no route to ${ip.dst}: dropped (ICMP network unreachable to ${ip.src}).`));
  return forward(ctx, ns, dev, p, decision.route, hops, noConntrack);
}

function localIn(ctx: WalkContext, ns: Netns, dev: Device, p: Packet, hops: HopDraft[], noConntrack: boolean): StageResult {
  const input = nfHook(ctx, ns, 'INPUT', p, dev.name, undefined, undefined, undefined, undefined, noConntrack);
  if (input.hop) hops.push(input.hop);
  if (input.verdict !== 'ACCEPT') return dropped(hops, input.verdict === 'REJECT' ? 'reject' : 'filtered', devHop(ns, dev, 'drop', input.packet, `${ns.id} INPUT ${input.verdict === 'REJECT' ? 'rejected' : 'dropped'} the packet.`));
  const vs = ipvsIn(ctx, ns, dev, input.packet);
  if (vs?.next || vs?.end) return { ...vs, hops: [...hops, ...vs.hops] };
  if (vs) hops.push(...vs.hops);
  const back = ipvsOut(ctx, ns, dev, input.packet);
  if (back.hop) hops.push(back.hop);
  const q = back.packet;
  const ip = outerIp(q);
  const l4 = l4Of(q);
  if (ip.protocol === 'udp' && l4?.kind === 'udp') {
    const vx = vxlanForPort(ns, l4.dport);
    if (vx && q.headers[outerIpIndex(q) + 2]?.kind === 'vxlan') {
      const inner = dropHeaders(q, outerIpIndex(q) + 3);
      const d = devHop(ns, vx, 'decap', inner, `UDP port ${l4.dport} belongs to ${vx.name}'s VXLAN socket (VNI ${vx.vni}): the outer IP/UDP/VXLAN headers come off and the inner frame is received on ${vx.name}.`, ['outer']);
      return { hops: [...hops, d], next: step('rx', ns, withMark(inner, 0), vx) };
    }
  }
  if (ip.protocol === 'ipip') {
    const tun = ipipDevice(ns);
    if (tun) {
      const inner = dropHeaders(q, outerIpIndex(q) + 1);
      const d = devHop(ns, tun, 'decap', inner, `IP protocol 4 (IPIP) is handled by ${tun.name}: the 20-byte outer header comes off and the inner packet ${outerIp(inner).src} → ${outerIp(inner).dst} is received on ${tun.name}.`, ['outer']);
      return { hops: [...hops, d], next: step('ip-rcv', ns, withMark(inner, 0), tun) };
    }
  }
  const r = deliverLocal(ctx, ns, dev, q);
  // deliverLocal's result is this call's own: its hops go after ours, without copying the result.
  for (const h of r.hops) hops.push(h);
  r.hops = hops;
  return r;
}

/** `; routing decrements TTL N → N-1` by N (a TTL is 0–255), made once per value. */
const TTL_TEXT: string[] = [];

function ttlDecrementText(ttl: number): string {
  if (!(ttl >= 0 && ttl <= 255 && Number.isInteger(ttl))) return `; routing decrements TTL ${ttl} → ${ttl - 1}`;
  return (TTL_TEXT[ttl] ??= `; routing decrements TTL ${ttl} → ${ttl - 1}`);
}

function forward(ctx: WalkContext, ns: Netns, inDev: Device, pkt: Packet, route: Route, hops: HopDraft[], noConntrack: boolean): StageResult {
  let p = pkt;
  const ip = outerIp(p);
  const texts = routeTexts(route);
  const rule = texts.rule;
  if (!ns.sysctls.ipForward) return dropped(hops, 'forwarding-disabled', devHop(ns, inDev, 'drop', p, `${ns.id} would route ${ip.dst} by "${rule.text}", but net.ipv4.ip_forward is 0: it does not forward packets.`, undefined, rule));
  const changed: string[] = [];
  let ttlText: string;
  if (ns.decrementTtl) {
    if (ip.ttl <= 1) return dropped(hops, 'ttl-exceeded', devHop(ns, inDev, 'drop', p, `TTL reached ${ip.ttl} at ${ns.id}: the packet is dropped and ICMP time exceeded goes back to ${ip.src}.`, undefined, rule));
    p = withOuterIp(p, undefined, undefined, ip.ttl - 1);
    changed.push('ipv4.ttl');
    ttlText = ttlDecrementText(ip.ttl);
  } else ttlText = '; this fabric does not decrement TTL';
  const back = ipvsOut(ctx, ns, inDev, p);
  if (back.hop) hops.push(back.hop);
  p = back.packet;
  const outDev = route.dev ? getDevice(ns, route.dev) : undefined;
  if (!outDev) return dropped(hops, 'no-route', devHop(ns, inDev, 'drop', p, `${ns.id}: route "${rule.text}" names a missing device.`, undefined, rule));
  hops.push(hop(ns, 'forward', p, `${ns.id} forwards ${ip.dst} ${forwardsText(texts, route)}${ttlText}.`, outDev.name, changed, rule));
  const fwd = nfHook(ctx, ns, 'FORWARD', p, inDev.name, outDev.name, undefined, undefined, undefined, noConntrack);
  if (fwd.hop) hops.push(fwd.hop);
  if (fwd.verdict !== 'ACCEPT') return dropped(hops, fwd.verdict === 'REJECT' ? 'reject' : 'filtered', devHop(ns, outDev, 'drop', fwd.packet, `${ns.id} FORWARD ${fwd.verdict === 'REJECT' ? 'rejected' : 'dropped'} the packet.`));
  p = fwd.packet;
  const len = packetLength(p, outerIpIndex(p));
  if (len > outDev.mtu && outerIp(p).df) {
    return dropped(hops, 'mtu-exceeded', devHop(ns, outDev, 'drop', p, `The ${len}-byte packet exceeds ${outDev.name}'s MTU ${outDev.mtu} and has DF set: dropped, ICMP "fragmentation needed" (next-hop MTU ${outDev.mtu}) goes back to ${ip.src}.`));
  }
  const post = nfHook(ctx, ns, 'POSTROUTING', p, inDev.name, outDev.name, undefined, undefined, undefined, noConntrack);
  if (post.hop) hops.push(post.hop);
  if (post.verdict !== 'ACCEPT') return dropped(hops, 'filtered', devHop(ns, outDev, 'drop', post.packet, `${ns.id} POSTROUTING dropped the packet.`));
  return { hops, next: step('neigh', ns, post.packet, outDev, route.via ?? outerIp(post.packet).dst) };
}
