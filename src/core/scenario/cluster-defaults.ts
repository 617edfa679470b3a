/**
 * The defaults of `kind: Cluster` (DESIGN §2), in one place so that the parser's checks (which
 * must know the default CIDRs to find overlaps) and `compile` agree.
 */
import type { CniPluginName, ProxyMode } from './types';

/** Values used for every Cluster field the user leaves out. */
export const CLUSTER_DEFAULTS = {
  seed: 1,
  nodes: 2,
  underlay: { type: 'l2', cidr: '192.168.0.0/24', mtu: 1500 },
  podCIDR: '10.244.0.0/16',
  nodeCIDRMaskSize: 24,
  serviceCIDR: '10.96.0.0/12',
  clusterDomain: 'cluster.local',
  cni: { plugin: 'bridge' as CniPluginName },
  kubeProxy: { mode: 'iptables' as ProxyMode, ipvsScheduler: 'rr' },
  dns: true,
} as const;

/** The backends each CNI plugin offers; the first is its default. Plugins without backends map to []. */
export const CNI_BACKENDS: Readonly<Record<CniPluginName, readonly string[]>> = {
  bridge: [],
  kubenet: [],
  flannel: ['vxlan', 'host-gw'],
  calico: ['bgp', 'ipip', 'vxlan'],
};

/** IPVS schedulers the model implements (ipvsadm's names). */
export const IPVS_SCHEDULERS = ['rr', 'wrr', 'lc', 'wlc', 'sh', 'dh', 'sed', 'nq', 'mh'] as const;
