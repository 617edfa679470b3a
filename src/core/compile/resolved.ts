/**
 * The cluster settings with every default applied (DESIGN §2: a YAML doc holding only
 * `kind: Cluster` gives a working two-node cluster). Produced once per compile from the
 * `Cluster` YAML doc, read by every controller and plugin.
 */
import type { CniPluginName, ClusterDocument, Diagnostic, ProxyMode, SourcePos } from '../scenario/types';
import type { Cidr } from '../util/ip';
import { cidrContains, cidrsOverlap, ipv4ToInt, isIPv4, nthAddress, parseCidr } from '../util/ip';
import { serviceInsidePods } from '../scenario/cluster-checks';
import { ClusterRoot } from './compile-roots';

export interface ResolvedNode {
  name: string;
  ip: string;
  labels: Record<string, string>;
  /** Index into `underlay.subnets`. */
  subnet: number;
}

export interface ResolvedCluster {
  name: string;
  seed: number;
  nodes: ResolvedNode[];
  underlay: { type: 'l2' | 'routed' | 'cloud'; subnets: Cidr[]; mtu: number };
  podCIDR: Cidr;
  nodeCIDRMaskSize: number;
  serviceCIDR: Cidr;
  clusterDomain: string;
  cni: { plugin: CniPluginName; backend?: string; crossSubnet: boolean; hairpinMode: boolean; mtu?: number; policy: 'calico' | 'none' };
  kubeProxy: { mode: ProxyMode; ipvsScheduler: string };
  dns: boolean;
}

export const DEFAULTS = {
  nodes: 2,
  underlay: '192.168.0.0/24',
  podCIDR: '10.244.0.0/16',
  nodeCIDRMaskSize: 24,
  serviceCIDR: '10.96.0.0/12',
  clusterDomain: 'cluster.local',
  mtu: 1500,
} as const;

type Report = (severity: Diagnostic['severity'], message: string, code: string, pos?: SourcePos) => void;

function cidrOr(text: unknown, fallback: string, field: string, report: Report): Cidr {
  if (typeof text === 'string') {
    const c = parseCidr(text);
    if (c && text.includes('/')) return c;
    report('error', `${field}: "${text}" is not a valid IPv4 CIDR`, 'invalid-cidr');
  }
  return parseCidr(fallback)!;
}

/** The node's address: given, or the subnet's 10+n-th address (192.168.0.11 for node-1). */
function nodeAddress(subnet: Cidr, indexInSubnet: number): string {
  return nthAddress(subnet, 11 + indexInSubnet);
}

/** Applies defaults and checks the settings that span fields (overlaps, addresses inside subnets). */
export function resolveCluster(doc: ClusterDocument | null, report: Report): ResolvedCluster {
  const spec = doc?.spec ?? {};
  const underlayType = spec.underlay?.type ?? 'l2';
  const subnets =
    underlayType === 'routed'
      ? (spec.underlay?.subnets?.length ? spec.underlay.subnets : ['192.168.0.0/24', '192.168.1.0/24']).map((s, i) =>
          cidrOr(s, `192.168.${i}.0/24`, 'spec.underlay.subnets', report),
        )
      : [cidrOr(spec.underlay?.cidr, DEFAULTS.underlay, 'spec.underlay.cidr', report)];
  const podCIDR = cidrOr(spec.podCIDR, DEFAULTS.podCIDR, 'spec.podCIDR', report);
  const serviceCIDR = cidrOr(spec.serviceCIDR, DEFAULTS.serviceCIDR, 'spec.serviceCIDR', report);
  const plugin = spec.cni?.plugin ?? 'bridge';
  const backend = spec.cni?.backend ?? (plugin === 'flannel' ? 'vxlan' : plugin === 'calico' ? 'ipip' : undefined);

  const nodes = resolveNodes(spec.nodes, subnets, report);
  checkOverlaps(podCIDR, serviceCIDR, subnets, plugin, report);
  const mask = spec.nodeCIDRMaskSize ?? DEFAULTS.nodeCIDRMaskSize;
  if (mask < podCIDR.prefix || mask > 30) {
    report('error', `spec.nodeCIDRMaskSize ${mask} does not fit in the pod CIDR ${podCIDR.text} (must be between ${podCIDR.prefix} and 30)`, 'invalid-mask');
  }
  const cni: ResolvedCluster['cni'] = { plugin, crossSubnet: spec.cni?.crossSubnet ?? false, hairpinMode: spec.cni?.hairpinMode ?? true, policy: spec.cni?.policy ?? (plugin === 'calico' ? 'calico' : 'none') };
  if (backend) cni.backend = backend;
  if (spec.cni?.mtu) cni.mtu = spec.cni.mtu;
  // A class instance, not the literal itself (compile-roots.ts: the plugins' per-pod code reads it).
  return new ClusterRoot({
    name: doc?.metadata?.name ?? 'cluster',
    seed: typeof spec.seed === 'number' ? spec.seed : 1,
    nodes,
    underlay: { type: underlayType, subnets, mtu: spec.underlay?.mtu ?? DEFAULTS.mtu },
    podCIDR,
    nodeCIDRMaskSize: Math.min(Math.max(mask, podCIDR.prefix), 30),
    serviceCIDR,
    clusterDomain: spec.clusterDomain ?? DEFAULTS.clusterDomain,
    cni,
    kubeProxy: { mode: spec.kubeProxy?.mode ?? 'iptables', ipvsScheduler: spec.kubeProxy?.ipvsScheduler ?? 'rr' },
    dns: spec.dns ?? true,
  });
}

function resolveNodes(nodes: unknown, subnets: Cidr[], report: Report): ResolvedNode[] {
  const out: ResolvedNode[] = [];
  const perSubnet = subnets.map(() => 0);
  if (nodes === undefined || typeof nodes === 'number') {
    const n = typeof nodes === 'number' && Number.isInteger(nodes) && nodes >= 1 ? Math.min(nodes, 5000) : DEFAULTS.nodes;
    for (let i = 0; i < n; i++) {
      const subnet = i % subnets.length;
      out.push({ name: `node-${i + 1}`, ip: nodeAddress(subnets[subnet]!, perSubnet[subnet]!++), labels: {}, subnet });
    }
  } else if (Array.isArray(nodes)) {
    const seen = new Set<string>();
    nodes.forEach((n: { name?: unknown; ip?: unknown; labels?: Record<string, string>; subnet?: unknown }, i) => {
      const name = typeof n?.name === 'string' ? n.name : `node-${i + 1}`;
      if (seen.has(name)) report('error', `spec.nodes: duplicate node name "${name}"`, 'duplicate-name');
      seen.add(name);
      let subnet = typeof n?.subnet === 'number' && n.subnet >= 0 && n.subnet < subnets.length ? n.subnet : -1;
      if (typeof n?.ip === 'string' && isIPv4(n.ip)) {
        const ipInt = ipv4ToInt(n.ip);
        const holder = subnets.findIndex((s) => cidrContains(s, ipInt));
        if (holder < 0) report('error', `spec.nodes: node ${name} address ${n.ip} is outside the underlay (${subnets.map((s) => s.text).join(', ')})`, 'node-ip-outside');
        subnet = holder >= 0 ? holder : 0;
        out.push({ name, ip: n.ip, labels: { ...(n.labels ?? {}) }, subnet });
      } else {
        if (n?.ip !== undefined) report('error', `spec.nodes: node ${name} has an invalid IP "${String(n.ip)}"`, 'invalid-ip');
        if (subnet < 0) subnet = i % subnets.length;
        out.push({ name, ip: nodeAddress(subnets[subnet]!, perSubnet[subnet]!++), labels: { ...(n?.labels ?? {}) }, subnet });
      }
    });
    const ips = new Map<string, string>();
    for (const n of out) {
      const other = ips.get(n.ip);
      if (other) report('error', `spec.nodes: nodes ${other} and ${n.name} share the address ${n.ip}`, 'duplicate-ip');
      ips.set(n.ip, n.name);
    }
  }
  for (const n of out) n.labels = { 'kubernetes.io/hostname': n.name, 'kubernetes.io/os': 'linux', ...n.labels };
  return out;
}

function checkOverlaps(pod: Cidr, svc: Cidr, subnets: Cidr[], plugin: CniPluginName, report: Report): void {
  if (cidrsOverlap(pod, svc) && !serviceInsidePods(pod, svc, plugin)) report('error', `spec.podCIDR ${pod.text} overlaps spec.serviceCIDR ${svc.text}`, 'cidr-overlap');
  for (const s of subnets) {
    if (cidrsOverlap(pod, s)) report('error', `spec.podCIDR ${pod.text} overlaps the underlay ${s.text}`, 'cidr-overlap');
    if (cidrsOverlap(svc, s)) report('error', `spec.serviceCIDR ${svc.text} overlaps the underlay ${s.text}`, 'cidr-overlap');
  }
}
