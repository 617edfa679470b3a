/**
 * Egress ipBlocks written for Services: a peer whose block reaches into the service network but
 * admits no pod address. Calico (like kube-proxy-based clusters generally) evaluates a pod's
 * egress policy after kube-proxy's DNAT in PREROUTING, so a connection to a ClusterIP meets the
 * policy with the chosen endpoint's pod address as destination; such a peer never matches it,
 * and the Service "is blocked although its range is allowed" — a classic misreading. The
 * NetworkPolicy docs leave the order undefined; this model, like Calico, checks after DNAT.
 *
 * Read first: Kubernetes docs "Network Policies" (ipBlock: "it is not defined whether this
 * happens before or after NetworkPolicy processing"); Calico's policy chains in the filter
 * table's FORWARD hook (cni/policy/felix.ts). Pure.
 */
import type { Cidr } from '../util/ip';
import type { Policy } from './types';
import { parseCidr } from '../util/ip';

/** One ipBlock peer of an egress rule that allows no pod address but overlaps the service network. */
export interface ServiceNetworkIpBlock {
  policy: Policy;
  /** Index in `spec.egress` and in that rule's `to`. */
  rule: number;
  peer: number;
  cidr: string;
}

function overlaps(a: Cidr, b: Cidr): boolean {
  const mask = a.prefix < b.prefix ? a.mask : b.mask;
  return ((a.network & mask) >>> 0) === ((b.network & mask) >>> 0);
}

/** `outer` holds every address of `inner`. */
function contains(outer: Cidr, inner: Cidr): boolean {
  return outer.prefix <= inner.prefix && ((inner.network & outer.mask) >>> 0) === outer.network;
}

/** True when the block, less its exceptions, holds at least part of the pod network. */
function admitsPods(block: Cidr, except: Cidr[], pods: Cidr): boolean {
  if (!overlaps(block, pods)) return false;
  const shared = block.prefix > pods.prefix ? block : pods;
  return !except.some((e) => contains(e, shared));
}

/** The egress ipBlock peers that overlap `serviceCIDR` and admit no address of `podCIDR`. */
export function serviceNetworkIpBlocks(policies: Policy[], serviceCIDR: string, podCIDR: string): ServiceNetworkIpBlock[] {
  const services = parseCidr(serviceCIDR);
  const pods = parseCidr(podCIDR);
  if (!services || !pods) return [];
  const out: ServiceNetworkIpBlock[] = [];
  for (const policy of policies) {
    for (const rule of policy.egress ?? []) {
      (rule.peers ?? []).forEach((peer, i) => {
        if (peer.kind !== 'ipBlock') return;
        const block = parseCidr(peer.cidr);
        if (!block || !overlaps(block, services)) return;
        const except = peer.except.map((e) => parseCidr(e)).filter((c): c is Cidr => c !== null);
        if (!admitsPods(block, except, pods)) out.push({ policy, rule: rule.index, peer: i, cidr: peer.cidr });
      });
    }
  }
  return out;
}
