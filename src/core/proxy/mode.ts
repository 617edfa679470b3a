/**
 * The one interface every kube-proxy mode implements (DESIGN §3, STYLE §6): given the Services
 * and EndpointSlices, program one node of the model — netfilter rules, IPVS services and the
 * kube-ipvs0 addresses, nftables, or userspace proxy sockets — as the real proxier configures
 * the kernel. Modes only create and change model objects; the walker evaluates them.
 *
 * Contract: `programNode` is a full sync. Calling it again (after endpoints changed) must leave
 * the node as a fresh full sync of the new objects would, keeping what other agents (the CNI
 * plugin) programmed. It never throws; problems go to `ctx.report`.
 */
import type { EndpointSlice, KubeProxyConfiguration, Node, Service } from '../k8s/types';
import type { ClusterModel, ModelNode, Netns } from '../model/types';
import type { ProxyMode as ProxyModeName, Severity } from '../scenario/types';

export type { ProxyModeName };

/** What a mode knows besides the objects: the cluster and kube-proxy's configuration. */
export interface ProxyContext {
  model: ClusterModel;
  /**
   * kube-proxy's configuration in effect: the scenario's KubeProxyConfiguration, with
   * `clusterCIDR` defaulting to the cluster's pod CIDR when a Cluster object exists.
   */
  config: KubeProxyConfiguration | undefined;
  /** The scenario's Node object for a node (host facts live in its annotations), if any. */
  nodeObject(name: string): Node | undefined;
  report(severity: Severity, message: string, code: string): void;
}

/** One kube-proxy mode. */
export interface ProxyMode {
  readonly name: ProxyModeName;
  /** A full sync of `node` (root netns `ns`) for these objects. */
  programNode(ctx: ProxyContext, node: ModelNode, ns: Netns, services: Service[], slices: EndpointSlice[]): void;
}
