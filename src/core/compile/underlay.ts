/**
 * The physical network the nodes sit on: one switched segment (`l2`), several subnets joined
 * by a router (`routed`), or a cloud VPC whose route table also holds each node's pod range
 * (`cloud`, as GKE routes-based clusters and AWS with kubenet do). A router connects it to
 * "the internet" (203.0.113.0/24, a documentation range), where external clients live.
 */
import type { ClusterModel, Netns, Segment } from '../model/types';
import type { ResolvedCluster } from './resolved';
import { createNetns, addAddress } from '../model/netns';
import { createNic } from '../model/devices/nic';
import { bringUpLoopback } from '../model/devices/loopback';
import { addConnectedRoute, addRoute } from '../model/routes';
import { nthAddress, parseCidr } from '../util/ip';
import { macFor } from '../util/rng';

export const INTERNET = '203.0.113.0/24';
export const ROUTER_NETNS = 'underlay';

export function segmentId(i: number): string {
  return `underlay-${i}`;
}

/** A deterministic NIC MAC in the KVM/QEMU range (52:54:00:…), as cloud and lab VMs have. */
export function nicMac(seed: number, ...labels: string[]): string {
  const m = macFor(seed, 'nic', ...labels).split(':');
  return `52:54:00:${m[3]}:${m[4]}:${m[5]}`;
}

/** The gateway address of a subnet (its first host). */
export function gatewayOf(c: ResolvedCluster, subnet: number): string {
  return nthAddress(c.underlay.subnets[subnet]!, 1);
}

/** Builds the segments and the router; nodes attach themselves with `attachNode`. */
export function buildUnderlay(model: ClusterModel, c: ResolvedCluster): Netns {
  const router = createNetns(ROUTER_NETNS, 'router', 'underlay', c.underlay.type === 'cloud' ? 'vpc-router' : 'router');
  bringUpLoopback(router);
  router.sysctls.ipForward = true;
  // A cloud fabric does not show up as a traceroute hop; a physical router does.
  router.decrementTtl = c.underlay.type !== 'cloud';
  c.underlay.subnets.forEach((s, i) => {
    const seg: Segment = { id: segmentId(i), cidr: s.text, ports: [] };
    model.segments.set(seg.id, seg);
    const nic = createNic(router, seg, `eth${i}`, nicMac(c.seed, 'router', String(i)), c.underlay.mtu);
    addAddress(router, nic, gatewayOf(c, i), s.prefix);
    addConnectedRoute(router, nic, gatewayOf(c, i), s.prefix);
  });
  const inet: Segment = { id: 'internet', cidr: INTERNET, ports: [] };
  model.segments.set(inet.id, inet);
  const up = createNic(router, inet, `eth${c.underlay.subnets.length}`, nicMac(c.seed, 'router', 'internet'), 1500);
  addAddress(router, up, '203.0.113.1', 24);
  addConnectedRoute(router, up, '203.0.113.1', 24);
  model.netns.set(router.id, router);
  return router;
}

/** Creates a node's root netns with `eth0` on its subnet and a default route to the gateway. */
export function buildNodeNetns(model: ClusterModel, c: ResolvedCluster, name: string, ip: string, subnet: number): Netns {
  const ns = createNetns(name, 'node', name, name);
  bringUpLoopback(ns);
  const seg = model.segments.get(segmentId(subnet))!;
  const cidr = c.underlay.subnets[subnet]!;
  const eth0 = createNic(ns, seg, 'eth0', nicMac(c.seed, name), c.underlay.mtu);
  addAddress(ns, eth0, ip, cidr.prefix);
  addRoute(ns, { dst: 'default', via: gatewayOf(c, subnet), dev: 'eth0', proto: 'static' });
  addConnectedRoute(ns, eth0, ip, cidr.prefix);
  ns.sysctls.bridgeNfCallIptables = true; // kube-proxy's prerequisite (br_netfilter loaded)
  ns.sockets.push({ protocol: 'tcp', port: 22, owner: 'sshd' }, { protocol: 'tcp', port: 10250, owner: 'kubelet' });
  model.netns.set(ns.id, ns);
  return ns;
}

/** In a cloud VPC the route table sends each node's pod range to that node. */
export function addCloudRoute(router: Netns, podCIDR: string, nodeIp: string): void {
  addRoute(router, { dst: podCIDR, via: nodeIp, dev: 'eth0', proto: 'static' });
}

/** An external host on the internet segment (a client or a server outside the cluster). */
export function buildExternalHost(model: ClusterModel, seed: number, name: string, ip: string): Netns {
  const id = `external:${name}`;
  const existing = model.netns.get(id);
  if (existing) return existing;
  const ns = createNetns(id, 'host', 'external', name);
  bringUpLoopback(ns);
  const seg = model.segments.get('internet')!;
  const nic = createNic(ns, seg, 'eth0', nicMac(seed, 'external', name), 1500);
  const inInternet = parseCidr(INTERNET)!;
  const own = parseCidr(`${ip}/32`)!;
  const onSegment = ((own.network & inInternet.mask) >>> 0) === inInternet.network;
  addAddress(ns, nic, ip, onSegment ? 24 : 32);
  if (onSegment) addConnectedRoute(ns, nic, ip, 24);
  else {
    // A host elsewhere on the internet: reach it through the router's upstream port.
    const router = model.netns.get(ROUTER_NETNS)!;
    const up = router.devices.find((d) => d.kind === 'nic' && (d as { segment: string }).segment === 'internet')!;
    addRoute(router, { dst: `${ip}/32`, dev: up.name, scope: 'link' });
    addRoute(ns, { dst: '203.0.113.1/32', dev: 'eth0', scope: 'link' });
  }
  addRoute(ns, { dst: 'default', via: '203.0.113.1', dev: 'eth0' });
  ns.sockets.push({ protocol: 'tcp', port: 80, owner: 'http' }, { protocol: 'tcp', port: 443, owner: 'https' }, { protocol: 'udp', port: 53, owner: 'dns' });
  model.netns.set(ns.id, ns);
  return ns;
}
