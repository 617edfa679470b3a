/**
 * A pod's pinned address: `hopscope.dev/pod-ip`, or Calico's own `cni.projectcalico.org/ipAddrs`
 * (a JSON list). An address outside the cluster's pod CIDR is an error (DESIGN §2).
 */
import type { Severity } from '../scenario/types';
import type { ResolvedCluster } from './resolved';
import { cidrContains, ipv4ToInt, isIPv4 } from '../util/ip';

/** The address pod `name` (its annotations `a`) pins, or undefined. */
export function podAnnotatedIp(a: Record<string, string> | undefined, name: string, c: ResolvedCluster, report: (s: Severity, m: string, code: string) => void): string | undefined {
  if (!a) return undefined; // the usual pod (no empty object made per pod to look nothing up in)
  let ip = a['hopscope.dev/pod-ip'];
  const calico = a['cni.projectcalico.org/ipAddrs'];
  if (!ip && calico) {
    try {
      const list = JSON.parse(calico) as unknown;
      if (Array.isArray(list) && typeof list[0] === 'string') ip = list[0];
    } catch {
      report('error', `annotation cni.projectcalico.org/ipAddrs must be a JSON list of addresses, got ${calico}`, 'invalid-annotation');
    }
  }
  if (ip === undefined) return undefined;
  if (!isIPv4(ip)) {
    report('error', `pod ${name}: pinned IP "${ip}" is not an IPv4 address`, 'invalid-ip');
    return undefined;
  }
  if (!cidrContains(c.podCIDR, ipv4ToInt(ip))) {
    report('error', `pod ${name}: pinned IP ${ip} is outside the cluster pod CIDR ${c.podCIDR.text}`, 'pod-ip-outside');
    return undefined;
  }
  return ip;
}
