/**
 * Locally generated packets (a socket's, or a tunnel's outer packet): route lookup, OUTPUT and
 * POSTROUTING hooks (a DNAT in OUTPUT re-routes, as ip_route_me_harder does), then the
 * neighbour step. Read first: net/ipv4/ip_output.c, net/ipv4/route.c.
 */
import type { Netns } from '../model/types';
import type { Packet } from './packet';
import type { HopDraft, WalkContext } from './context';
import type { StageResult } from './step';
import { lookupRoute, formatRoute, sourceAddressFor } from '../model/routes';
import { getDevice } from '../model/netns';
import { hop } from './context';
import { describeFlow, outerIp, withOuterIp } from './headers';
import { dropped } from './step';
import { nfHook } from './netfilter-hook';
import { ipvsLocalOut } from './ipvs-stage';

function noRoute(ns: Netns, p: Packet, hops: HopDraft[]): StageResult {
  return dropped(hops, 'no-route', hop(ns, 'drop', p, `${ns.id} has no route to ${outerIp(p).dst}: the send fails with "Network is unreachable".`));
}

export function output(ctx: WalkContext, ns: Netns, pkt: Packet, tunnel: boolean): StageResult {
  const hops: HopDraft[] = [];
  let p = pkt;
  let decision = lookupRoute(ns, outerIp(p).dst);
  const who = (q: Packet) => (tunnel ? `${ns.id} routes the outer packet` : `${ns.id} sends ${describeFlow(q)}`);
  if (decision.kind === 'local') {
    if (!outerIp(p).src) p = withOuterIp(p, { src: outerIp(p).dst });
    hops.push(hop(ns, 'route', p, `${who(p)}: ${outerIp(p).dst} is an address of this namespace, so the packet loops back through lo.`, { device: 'lo', rule: { kind: 'route', text: `local ${outerIp(p).dst} dev ${decision.dev.name} table local` } }));
    const out = nfHook(ctx, ns, 'OUTPUT', p, { out: 'lo' });
    if (out.hop) hops.push(out.hop);
    if (out.verdict !== 'ACCEPT') return dropped(hops, out.verdict === 'REJECT' ? 'reject' : 'filtered', hop(ns, 'drop', out.packet, `Dropped in OUTPUT.`));
    const vs = ipvsLocalOut(ctx, ns, out.packet);
    if (vs) return { hops: [...hops, ...vs.hops], next: { kind: 'output', ns, pkt: vs.packet, tunnel } };
    const post = nfHook(ctx, ns, 'POSTROUTING', out.packet, { out: 'lo' });
    if (post.hop) hops.push(post.hop);
    const lo = getDevice(ns, 'lo')!;
    return { hops, next: { kind: 'ip-rcv', ns, dev: lo, pkt: post.packet } };
  }
  if (decision.kind !== 'unicast') return noRoute(ns, p, hops);
  let route = decision.route;
  if (!outerIp(p).src) {
    const src = sourceAddressFor(ns, route);
    if (src) p = withOuterIp(p, { src });
  }
  hops.push(hop(ns, 'route', p, `${who(p)}; the longest matching route is "${formatRoute(route)}"${route.via ? `: next hop ${route.via}` : ': the destination is on-link'} via ${route.dev}.`, { device: route.dev!, rule: { kind: 'route', text: formatRoute(route) } }));
  const out = nfHook(ctx, ns, 'OUTPUT', p, { out: route.dev! });
  if (out.hop) hops.push(out.hop);
  if (out.verdict !== 'ACCEPT') return dropped(hops, out.verdict === 'REJECT' ? 'reject' : 'filtered', hop(ns, 'drop', out.packet, `${ns.id} OUTPUT ${out.verdict === 'REJECT' ? 'rejected' : 'dropped'} the packet.`));
  p = out.packet;
  if (outerIp(p).dst !== outerIp(pkt).dst) {
    // DNAT in OUTPUT changed the destination: route again.
    decision = lookupRoute(ns, outerIp(p).dst);
    if (decision.kind === 'local') {
      const lo = getDevice(ns, 'lo')!;
      return { hops, next: { kind: 'ip-rcv', ns, dev: lo, pkt: p } };
    }
    if (decision.kind !== 'unicast') return noRoute(ns, p, hops);
    route = decision.route;
    hops.push(hop(ns, 'route', p, `After DNAT ${ns.id} routes again: "${formatRoute(route)}".`, { device: route.dev!, rule: { kind: 'route', text: formatRoute(route) } }));
  }
  const post = nfHook(ctx, ns, 'POSTROUTING', p, { out: route.dev! });
  if (post.hop) hops.push(post.hop);
  if (post.verdict !== 'ACCEPT') return dropped(hops, 'filtered', hop(ns, 'drop', post.packet, `${ns.id} POSTROUTING dropped the packet.`));
  const dev = getDevice(ns, route.dev!);
  if (!dev) return noRoute(ns, p, hops);
  return { hops, next: { kind: 'neigh', ns, dev, nexthop: route.via ?? outerIp(post.packet).dst, pkt: post.packet } };
}
