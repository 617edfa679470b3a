/**
 * Without a `Cluster` node list, Node objects in the scenario name the nodes (as kube-proxy's
 * fixtures do): their InternalIP is the node address.
 */
import type { Scenario } from '../scenario/types';
import type { ResolvedCluster, ResolvedNode } from './resolved';
import { cidrContains, ipv4ToInt, isIPv4 } from '../util/ip';

export function nodesFromObjects(scenario: Scenario, c: ResolvedCluster): ResolvedNode[] {
  return scenario.nodes.map((n, i) => {
    const internal = n.value.status?.addresses?.find((a) => a.type === 'InternalIP' && isIPv4(a.address))?.address;
    const subnet = internal ? Math.max(0, c.underlay.subnets.findIndex((s) => cidrContains(s, ipv4ToInt(internal)))) : 0;
    return {
      name: n.value.metadata?.name ?? `node-${i + 1}`,
      ip: internal ?? c.nodes[i]?.ip ?? `192.168.0.${11 + i}`,
      labels: { 'kubernetes.io/hostname': n.value.metadata?.name ?? `node-${i + 1}`, ...(n.value.metadata?.labels ?? {}) },
      subnet,
    };
  });
}
