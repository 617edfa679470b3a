/**
 * Locally generated packets (a socket's, or a tunnel's outer packet): route lookup, OUTPUT and
 * POSTROUTING hooks (a DNAT in OUTPUT re-routes, as ip_route_me_harder does), then the
 * neighbour step. Read first: net/ipv4/ip_output.c, net/ipv4/route.c.
 */
import type { Netns } from '../model/types';
import type { Packet } from './packet';
import type { HopDraft, WalkContext } from './context';
import type { StageResult } from './step';
import type { RouteDecision } from '../model/routes';
import { lookupRoute, formatRoute, sourceAddressFor } from '../model/routes';
import { getDevice } from '../model/netns';
import { hop } from './context';
import { chosenText, routeTexts } from './route-text';
import { describeFlow, outerIp, withOuterIp } from './headers';
import { dropped, step } from './step';
import { nfHook } from './netfilter-hook';
import { ipvsLocalOut } from './ipvs-stage';

function noRoute(ns: Netns, p: Packet, hops: HopDraft[]): StageResult {
  return dropped(hops, 'no-route', hop(ns, 'drop', p, `${ns.id} has no route to ${outerIp(p).dst}: the send fails with "Network is unreachable".`));
}

/** The device a decision sends by (`lo` for a local destination). */
function outName(d: Extract<RouteDecision, { kind: 'local' | 'unicast' }>): string {
  return d.kind === 'local' ? 'lo' : d.route.dev!;
}

function routeText(d: Extract<RouteDecision, { kind: 'local' | 'unicast' }>, dst: string): string {
  return d.kind === 'local' ? `local ${dst} dev ${d.dev.name} table local` : formatRoute(d.route);
}

export function output(ctx: WalkContext, ns: Netns, pkt: Packet, tunnel: boolean): StageResult {
  const hops: HopDraft[] = [];
  let p = pkt;
  let decision = lookupRoute(ns, outerIp(p).dst);
  if (decision.kind !== 'local' && decision.kind !== 'unicast') return noRoute(ns, p, hops);
  if (!outerIp(p).src) {
    const src = decision.kind === 'local' ? outerIp(p).dst : sourceAddressFor(ns, decision.route);
    if (src) p = withOuterIp(p, src, undefined, undefined);
  }
  const who = tunnel ? `${ns.id} routes the outer packet` : `${ns.id} sends ${describeFlow(p)}`;
  if (decision.kind === 'local') {
    hops.push(hop(ns, 'route', p, `${who}: ${outerIp(p).dst} is an address of this namespace, so the packet loops back through lo.`, 'lo', undefined, { kind: 'route', text: routeText(decision, outerIp(p).dst) }));
  } else {
    const r = decision.route;
    const t = routeTexts(r);
    hops.push(hop(ns, 'route', p, who + chosenText(t, r), r.dev!, undefined, t.rule));
  }
  const out = nfHook(ctx, ns, 'OUTPUT', p, undefined, outName(decision));
  if (out.hop) hops.push(out.hop);
  if (out.verdict !== 'ACCEPT') return dropped(hops, out.verdict === 'REJECT' ? 'reject' : 'filtered', hop(ns, 'drop', out.packet, `${ns.id} OUTPUT ${out.verdict === 'REJECT' ? 'rejected' : 'dropped'} the packet.`));
  if (outerIp(out.packet).dst !== outerIp(p).dst) {
    // DNAT in OUTPUT changed the destination: route again (ip_route_me_harder), even when the
    // first lookup said "local" (a node connecting to its own NodePort).
    decision = lookupRoute(ns, outerIp(out.packet).dst);
    if (decision.kind !== 'local' && decision.kind !== 'unicast') return noRoute(ns, out.packet, hops);
    hops.push(hop(ns, 'route', out.packet, `After DNAT ${ns.id} routes again: "${routeText(decision, outerIp(out.packet).dst)}".`, outName(decision), undefined, { kind: 'route', text: routeText(decision, outerIp(out.packet).dst) }));
  }
  p = out.packet;
  if (decision.kind === 'local') {
    const vs = ipvsLocalOut(ctx, ns, p);
    if (vs) return { hops: [...hops, ...vs.hops], next: step('output', ns, vs.packet, undefined, undefined, tunnel) };
    const post = nfHook(ctx, ns, 'POSTROUTING', p, undefined, 'lo');
    if (post.hop) hops.push(post.hop);
    if (post.verdict !== 'ACCEPT') return dropped(hops, 'filtered', hop(ns, 'drop', post.packet, `${ns.id} POSTROUTING dropped the packet.`));
    return { hops, next: step('ip-rcv', ns, post.packet, getDevice(ns, 'lo')!) };
  }
  const route = decision.route;
  const post = nfHook(ctx, ns, 'POSTROUTING', p, undefined, route.dev!);
  if (post.hop) hops.push(post.hop);
  if (post.verdict !== 'ACCEPT') return dropped(hops, 'filtered', hop(ns, 'drop', post.packet, `${ns.id} POSTROUTING dropped the packet.`));
  const dev = getDevice(ns, route.dev!);
  if (!dev) return noRoute(ns, p, hops);
  return { hops, next: step('neigh', ns, post.packet, dev, route.via ?? outerIp(post.packet).dst) };
}
