/**
 * The CNI plugin contract (CNI SPEC 1.1.0) as the model runs it: a plugin is a function of
 * (command, environment, stdin config, host state) that only creates devices, addresses,
 * routes, neighbours, FDB entries and netfilter rules. The runtime (containerd) calls it.
 * Read first: containernetworking/cni SPEC.md §2–§5.
 */
import type { ClusterModel, ModelNode, Netns } from '../model/types';
import type { ResolvedCluster } from '../compile/resolved';

export type CniCommand = 'ADD' | 'DEL' | 'CHECK' | 'VERSION';

/** The CNI_* environment of one invocation. */
export interface CniArgs {
  command: CniCommand;
  containerId: string;
  /** Path of the pod netns, `/var/run/netns/cni-…`. */
  netnsPath: string;
  ifname: string;
  /** `K8S_POD_NAMESPACE`, `K8S_POD_NAME`, and `IP` when a specific address is requested. */
  k8sArgs: { namespace: string; name: string; ip?: string };
  /** The pod netns itself (the plugin "enters" it). */
  podNetns: Netns;
  /** The host netns the plugin runs in. */
  hostNetns: Netns;
  node: ModelNode;
}

export interface CniInterface {
  name: string;
  mac: string;
  mtu?: number;
  sandbox?: string;
}

export interface CniIpConfig {
  version?: '4';
  interface?: number;
  address: string;
  gateway?: string;
}

export interface CniRoute {
  dst: string;
  gw?: string;
}

/** An ADD result (SPEC §4). `version` appears inside `ips` only for 0.3.x results. */
export interface CniResult {
  cniVersion: string;
  interfaces?: CniInterface[];
  ips: CniIpConfig[];
  routes?: CniRoute[];
  dns: Record<string, unknown>;
}

/** An error result (SPEC §2): printed on stdout with a non-zero exit. */
export interface CniError {
  cniVersion: string;
  code: number;
  msg: string;
  details?: string;
}

/**
 * A result's empty `dns` (no plugin here returns DNS settings), shared and frozen: every pod's
 * logged results held two empty objects of their own.
 */
export const NO_DNS: Record<string, unknown> = Object.freeze({});

export function isCniError(r: CniResult | CniError): r is CniError {
  return (r as CniError).code !== undefined;
}

/** What every plugin gets besides its arguments: the cluster, its settings and the seed. */
export interface CniContext {
  model: ClusterModel;
  cluster: ResolvedCluster;
  /** A warning or error about the scenario, attributed by the compiler. */
  report(severity: 'error' | 'warning' | 'info', message: string, code: string): void;
}

/**
 * A network plugin as Kubernetes deploys it: a node agent (flanneld, calico-node) that sets up
 * each node and learns about its peers, plus the CNI binary the runtime calls for each pod.
 */
export interface NetworkPlugin {
  name: string;
  /** The pod MTU this plugin configures. */
  mtu(ctx: CniContext): number;
  /** The conflist the runtime finds in /etc/cni/net.d on this node. */
  netConf(ctx: CniContext, node: ModelNode): Record<string, unknown>;
  /**
   * Its file name in /etc/cni/net.d, as the plugin's installer writes it (`10-flannel.conflist`);
   * absent for kubenet, which the kubelet configured in memory without a file.
   */
  confFile?: string;
  /** The node agent starts: devices, addresses, rules that do not depend on other nodes. */
  setupNode(ctx: CniContext, node: ModelNode, ns: Netns): void;
  /** The node agent learns the other nodes (subnet leases, BGP): routes, neighbours, FDB. */
  learnPeers(ctx: CniContext, node: ModelNode, ns: Netns, peers: ModelNode[]): void;
  /** CNI ADD for eth0. */
  add(ctx: CniContext, args: CniArgs): CniResult | CniError;
  /** CNI DEL: best effort, idempotent. */
  del(ctx: CniContext, args: CniArgs): void;
  /** CNI CHECK: null when the attachment still matches `prev`, else an error. */
  check(ctx: CniContext, args: CniArgs, prev: CniResult): CniError | null;
}
