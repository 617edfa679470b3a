/**
 * Cross-field checks of `kind: Cluster` that a per-field shape cannot express: overlapping
 * networks, a per-node mask that does not fit the pod CIDR, backends that belong to another
 * plugin, and the node list (unique names and addresses, inside the underlay).
 */
import { cidrContains, cidrsOverlap, ipv4ToInt, isIPv4, parseCidr, subnetCount } from '../util/ip';
import type { Cidr } from '../util/ip';
import { CLUSTER_DEFAULTS, CNI_BACKENDS } from './cluster-defaults';
import type { FieldAt } from './shape';
import type { CniPluginName } from './types';

interface Network {
  /** Path below `spec`, e.g. ['underlay', 'cidr']. */
  path: (string | number)[];
  cidr: Cidr;
  /** True when the user wrote it; false for a default. */
  explicit: boolean;
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

function network(path: (string | number)[], value: unknown, fallback: string | undefined): Network | null {
  const text = str(value) ?? fallback;
  const cidr = text === undefined ? null : parseCidr(text, true);
  return cidr && text?.includes('/') ? { path, cidr, explicit: str(value) !== undefined } : null;
}

/** The pod, service and underlay networks, with defaults filled in where the user wrote none. */
function networks(spec: Record<string, unknown>): Network[] {
  const underlay = (spec['underlay'] ?? {}) as Record<string, unknown>;
  const type = str(underlay['type']) ?? 'l2';
  const out = [
    network(['podCIDR'], spec['podCIDR'], CLUSTER_DEFAULTS.podCIDR),
    network(['serviceCIDR'], spec['serviceCIDR'], CLUSTER_DEFAULTS.serviceCIDR),
    network(['underlay', 'cidr'], underlay['cidr'], type === 'routed' ? undefined : CLUSTER_DEFAULTS.underlay.cidr),
  ];
  const subnets = underlay['subnets'];
  if (Array.isArray(subnets)) subnets.forEach((s, i) => out.push(network(['underlay', 'subnets', i], s, undefined)));
  return out.filter((n): n is Network => n !== null);
}

function describe(n: Network): string {
  return `spec.${n.path.join('.')} ${n.cidr.text}${n.explicit ? '' : ' (the default)'}`;
}

/**
 * A service CIDR inside the pod CIDR is how GKE's routes-based clusters were set up (10.0.0.0/14
 * with services 10.3.240.0/20): kube-controller-manager's node IPAM occupies the service range
 * before handing out node ranges (range_allocator.go filterOutServiceRange). Not with Calico,
 * whose IPAM ignores node ranges and could hand out blocks inside it.
 */
export function serviceInsidePods(pod: Cidr, svc: Cidr, plugin: unknown): boolean {
  return plugin !== 'calico' && svc.prefix >= pod.prefix && cidrsOverlap(pod, svc);
}

/** Pod, service and underlay networks must not overlap: routing could not tell them apart. */
function checkOverlaps(spec: Record<string, unknown>, at: FieldAt): void {
  const nets = networks(spec);
  const plugin = (spec['cni'] as { plugin?: unknown } | undefined)?.plugin;
  for (let i = 0; i < nets.length; i++) {
    for (let j = i + 1; j < nets.length; j++) {
      const a = nets[i] as Network;
      const b = nets[j] as Network;
      if (!cidrsOverlap(a.cidr, b.cidr) || (!a.explicit && !b.explicit)) continue;
      if (a.path[0] === 'podCIDR' && b.path[0] === 'serviceCIDR' && serviceInsidePods(a.cidr, b.cidr, plugin)) continue;
      const blame = b.explicit ? b : a;
      const other = blame === b ? a : b;
      at.error('cidr-overlap', `${describe(blame)} overlaps ${describe(other)}`, blame.path);
    }
  }
}

/** Each node takes one /nodeCIDRMaskSize block of the pod CIDR (except with Calico's own blocks). */
function checkNodeMask(spec: Record<string, unknown>, at: FieldAt): void {
  const pod = parseCidr(str(spec['podCIDR']) ?? CLUSTER_DEFAULTS.podCIDR, true);
  const mask = spec['nodeCIDRMaskSize'] ?? CLUSTER_DEFAULTS.nodeCIDRMaskSize;
  if (!pod || typeof mask !== 'number' || !Number.isInteger(mask)) return;
  if (mask < pod.prefix) {
    // With the default mask (not in the text) the position is the pod CIDR the user wrote.
    const written = spec['nodeCIDRMaskSize'] !== undefined;
    at.error('invalid-value', `spec.nodeCIDRMaskSize ${mask}${written ? '' : ' (the default)'} is shorter than the pod CIDR's /${pod.prefix}`, written ? ['nodeCIDRMaskSize'] : ['podCIDR']);
    return;
  }
  const plugin = (spec['cni'] as { plugin?: unknown } | undefined)?.plugin;
  const nodes = spec['nodes'] ?? CLUSTER_DEFAULTS.nodes;
  const count = Array.isArray(nodes) ? nodes.length : typeof nodes === 'number' ? nodes : 0;
  const room = subnetCount(pod, mask);
  if (plugin !== 'calico' && count > room) {
    const where = spec['nodeCIDRMaskSize'] === undefined ? ['podCIDR'] : ['nodeCIDRMaskSize'];
    at.error('invalid-value', `pod CIDR ${pod.text} split into /${mask} blocks has room for ${room} node${room === 1 ? '' : 's'}, but the cluster has ${count}`, where);
  }
}

/** `backend` must be one the chosen plugin offers; `crossSubnet` is Calico's alone, `hairpinMode` the bridge plugin's. */
export function checkCni(cni: Record<string, unknown>, at: FieldAt): void {
  const plugin = (str(cni['plugin']) ?? CLUSTER_DEFAULTS.cni.plugin) as CniPluginName;
  const backends = CNI_BACKENDS[plugin];
  const backend = str(cni['backend']);
  if (!backends) return;
  // A backend no plugin offers was already reported by the field's enum (with a suggestion):
  // saying again that this plugin does not offer it only adds a second error at the same place.
  const known = backend !== undefined && Object.values(CNI_BACKENDS).some((b) => b.includes(backend));
  if (known && !backends.includes(backend!)) {
    const allowed = backends.length === 0 ? `plugin ${plugin} has no backends` : `plugin ${plugin} offers ${backends.join(', ')}`;
    at.error('invalid-value', `${at.name}.backend "${backend}" is not valid: ${allowed}`, ['backend']);
  }
  if (cni['crossSubnet'] !== undefined && plugin !== 'calico') {
    at.warning('ignored-field', `${at.name}.crossSubnet only applies to plugin calico`, ['crossSubnet']);
  }
  // kubenet's hairpin is the kubelet's --hairpin-mode (promiscuous cbr0), Calico has no bridge.
  if (cni['hairpinMode'] !== undefined && plugin !== 'bridge' && plugin !== 'flannel') {
    at.warning('ignored-field', `${at.name}.hairpinMode only applies to plugins bridge and flannel (the bridge plugin's setting)`, ['hairpinMode']);
  }
}

/** Node names and addresses are unique, and addresses sit in the underlay network. */
export function checkNodeList(nodes: unknown[], at: FieldAt, spec: Record<string, unknown>): void {
  const underlay = (spec['underlay'] ?? {}) as Record<string, unknown>;
  const segment = network(['underlay', 'cidr'], underlay['cidr'], str(underlay['type']) === 'routed' ? undefined : CLUSTER_DEFAULTS.underlay.cidr);
  const names = new Map<string, number>();
  const ips = new Map<string, number>();
  nodes.forEach((n, i) => {
    if (!n || typeof n !== 'object') return;
    const { name, ip } = n as { name?: unknown; ip?: unknown };
    if (typeof name === 'string') {
      const first = names.get(name);
      if (first !== undefined) at.error('duplicate-name', `${at.name}.${i}.name: node ${name} is listed twice (first as ${at.name}.${first})`, [i, 'name']);
      else names.set(name, i);
    }
    if (typeof ip !== 'string' || !isIPv4(ip)) return;
    const first = ips.get(ip);
    if (first !== undefined) at.error('duplicate-ip', `${at.name}.${i}.ip ${ip} is already used by ${at.name}.${first}`, [i, 'ip']);
    else ips.set(ip, i);
    if (segment && !cidrContains(segment.cidr, ipv4ToInt(ip))) {
      at.error('invalid-ip', `${at.name}.${i}.ip ${ip} is outside the underlay ${segment.cidr.text}`, [i, 'ip']);
    }
  });
}

/** All cross-field checks of a Cluster's `spec`. */
export function checkClusterSpec(spec: Record<string, unknown>, at: FieldAt): void {
  checkOverlaps(spec, at);
  checkNodeMask(spec, at);
  if (Array.isArray(spec['nodes'])) checkNodeList(spec['nodes'], at.child('nodes'), spec);
  const underlay = spec['underlay'] as Record<string, unknown> | undefined;
  if (underlay && underlay['subnets'] !== undefined && underlay['type'] !== 'routed') {
    at.warning('ignored-field', 'spec.underlay.subnets is only used with type: routed', ['underlay', 'subnets']);
  }
}
