/**
 * The node IPAM controller (kube-controller-manager `--allocate-node-cidrs`): carves the
 * cluster CIDR into `/nodeCIDRMaskSize` blocks and gives each node the next free one, in node
 * order, keeping any podCIDR a Node object already states. Out of blocks → the node gets none
 * (and a diagnostic), as the real allocator leaves it with `CIDRNotAvailable`.
 */
import type { Diagnostic, Scenario, SourcePos } from '../scenario/types';
import type { ResolvedCluster } from '../compile/resolved';
import type { Cidr } from '../util/ip';
import { cidrsOverlap, parseCidr, subnetAt, subnetCount } from '../util/ip';

type Report = (severity: Diagnostic['severity'], message: string, code: string, pos?: SourcePos) => void;

export function allocateNodeCIDRs(c: ResolvedCluster, scenario: Scenario, report: Report): Map<string, string> {
  const out = new Map<string, string>();
  // filterOutServiceRange: a service range inside the cluster CIDR is never a node's.
  const taken: Cidr[] = cidrsOverlap(c.podCIDR, c.serviceCIDR) ? [c.serviceCIDR] : [];
  for (const n of scenario.nodes) {
    const given = n.value.spec?.podCIDR;
    const name = n.value.metadata?.name;
    if (!given || !name || !c.nodes.some((x) => x.name === name)) continue;
    const cidr = parseCidr(given);
    if (!cidr) {
      report('error', `Node ${name}: spec.podCIDR "${given}" is not a valid CIDR`, 'invalid-cidr', n.pos);
      continue;
    }
    if (!cidrsOverlap(cidr, c.podCIDR) || cidr.prefix < c.podCIDR.prefix) report('warning', `Node ${name}: spec.podCIDR ${cidr.text} is outside the cluster pod CIDR ${c.podCIDR.text}`, 'node-cidr-outside', n.pos);
    const clash = taken.find((t) => cidrsOverlap(t, cidr));
    if (clash) report('error', `Node ${name}: spec.podCIDR ${cidr.text} overlaps another node's ${clash.text}`, 'cidr-overlap', n.pos);
    out.set(name, cidr.text);
    taken.push(cidr);
  }
  const count = subnetCount(c.podCIDR, c.nodeCIDRMaskSize);
  let next = 0;
  let exhausted = 0;
  for (const node of c.nodes) {
    if (out.has(node.name)) continue;
    let block = null;
    while (next < count) {
      const candidate = subnetAt(c.podCIDR, c.nodeCIDRMaskSize, next++);
      if (candidate && !taken.some((t) => cidrsOverlap(t, candidate))) {
        block = candidate;
        break;
      }
    }
    if (!block) {
      exhausted++;
      continue;
    }
    out.set(node.name, block.text);
    taken.push(block);
  }
  if (exhausted && c.cni.plugin !== 'calico') {
    report('error', `pod CIDR ${c.podCIDR.text} holds only ${count} /${c.nodeCIDRMaskSize} node ranges; ${exhausted} node(s) got none (CIDRNotAvailable) and cannot run pods`, 'cidr-exhausted');
  }
  return out;
}
