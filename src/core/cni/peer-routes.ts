/**
 * Plain L3 routes to other nodes' pod ranges (spec/cross-node-datapaths.md §1a): the way
 * flannel host-gw, Calico without encapsulation and hand-made static routes reach remote pods.
 * The next hop must be on a connected subnet — Linux refuses anything else
 * ("Nexthop has invalid gateway"), so peers on another subnet get no route and a warning.
 */
import type { ModelNode, Netns } from '../model/types';
import type { CniContext } from './types';
import type { RouteSpec } from '../model/routes';
import { addRoutes } from '../model/routes';

/** True when both nodes sit on the same underlay subnet (L2 adjacent). */
export function sameSubnet(a: ModelNode, b: ModelNode): boolean {
  return a.subnet === b.subnet;
}

/** `ip route add <cidr> via <peer IP> dev eth0 [proto …]` for each peer range, where the peer is adjacent. */
export function addDirectPeerRoutes(ctx: CniContext, node: ModelNode, ns: Netns, peers: ModelNode[], what: string, proto?: string): void {
  const routes: RouteSpec[] = [];
  for (const peer of peers) {
    const ranges = peer.blocks.length ? peer.blocks : peer.podCIDR ? [peer.podCIDR] : [];
    if (!sameSubnet(node, peer)) {
      if (ranges.length)
        ctx.report('warning', `${what}: ${node.name} has no route to ${peer.name}'s pods (${ranges.join(', ')}): ${peer.ip} is not on a connected subnet, and a plain route needs L2 adjacency`, 'no-l2-adjacency');
      continue;
    }
    for (const cidr of ranges) routes.push({ dst: cidr, via: peer.ip, dev: 'eth0', ...(proto ? { proto } : {}) });
  }
  addRoutes(ns, routes);
}
