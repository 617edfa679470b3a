/**
 * What a student reads on a netfilter or IPVS hop: the sentence must agree with the hop's own
 * `changed` list and name the rule the hop's `rule` reference points at.
 */
import { describe, expect, it } from 'vitest';
import type { Hop } from '../trace/types';
import { cluster } from '../testing/cluster';

function netfilterHops(f: { hops: Hop[] }): Hop[] {
  return f.hops.filter((h) => h.stage.startsWith('netfilter:'));
}

describe('netfilter hop sentences', () => {
  it('a Calico FORWARD hop whose rules set the mark says so, and names the rule that accepted', () => {
    const allowAll = JSON.stringify({ apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'allow-all', namespace: 'default' }, spec: { podSelector: {}, ingress: [{}] } });
    const c = cluster().nodes(2).cni('calico', { backend: 'bgp' }).pod('a', { node: 'node-1' }).pod('b', { node: 'node-2', ports: [80] }).raw(allowAll).build();
    const f = c.trace('pod/a', 'pod/default/b:80');
    const fwd = f.hops.find((h) => h.stage === 'netfilter:filter/FORWARD' && h.changed?.includes('mark'))!;
    expect(fwd).toBeDefined();
    expect(fwd.explain).not.toContain('none changed the packet');
    expect(fwd.explain).toContain('the rules set the mark 0x0 → 0x10000; ');
    expect(fwd.explain).toContain(`accepted by ${fwd.rule!.text} (`);
  });

  it('a FORWARD hop a conntrack rule accepted names that rule', () => {
    const c = cluster().nodes(2).cni('bridge').pod('a', { node: 'node-1' }).pod('b', { node: 'node-2', ports: [80] }).build();
    c.trace('pod/a', 'pod/default/b:80', { index: 0 });
    // The same index again reuses the source port: the packet meets the connection the first made.
    const again = c.trace('pod/a', 'pod/default/b:80', { index: 0 });
    const fwd = netfilterHops(again).find((h) => h.stage === 'netfilter:filter/FORWARD')!;
    expect(fwd.rule?.text).toBeDefined();
    expect(fwd.explain).toBe(`node-1 FORWARD: accepted by ${fwd.rule!.text} (${fwd.rule!.evaluated!.length} rules evaluated).`);
  });
});
