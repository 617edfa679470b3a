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

describe('NAT hop sentences', () => {
  const service = JSON.stringify({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', namespace: 'default' }, spec: { selector: { app: 'web' }, ports: [{ port: 80, targetPort: 8080 }] } });
  const hairpin = () => cluster().nodes(2).cni('bridge').pod('a', { node: 'node-1', labels: { app: 'web' }, ports: [8080] }).raw(service).build();
  const vipOf = (c: ReturnType<typeof hairpin>) => c.model.services.find((s) => s.metadata.name === 'web')!.spec.clusterIP!;

  it('a hairpin DNAT and its MASQUERADE name their rules and the 0x4000 mark that links them', () => {
    const c = hairpin();
    const vip = vipOf(c);
    const f = c.trace('pod/a', `${vip}:80`);
    const pod = c.model.pods.find((p) => p.name === 'a')!.ip;
    const dnat = f.hops.find((h) => h.stage === 'netfilter:nat/PREROUTING')!;
    expect(dnat.changed).toEqual(['ipv4.dst', 'tcp.dport', 'mark']);
    expect(dnat.rule!.text).toContain('-j DNAT');
    expect(dnat.explain).toBe(`node-1 PREROUTING: DNAT rewrites the destination: ${vip}:80 → ${pod}:8080, by ${dnat.rule!.text}; the rules set the mark 0x0 → 0x4000 (${dnat.rule!.evaluated!.length} rules evaluated).`);
    const masq = f.hops.find((h) => h.stage === 'netfilter:nat/POSTROUTING')!;
    expect(masq.rule!.text).toContain('-j MASQUERADE');
    expect(masq.explain).toContain(`, by ${masq.rule!.text}; the rules set the mark 0x4000 → 0x0 (`);
    // The reply is un-NATed by conntrack alone: no rule count to report.
    const undnat = f.reply!.hops.find((h) => h.stage === 'netfilter:nat/POSTROUTING')!;
    expect(undnat.explain).toBe(`node-1 POSTROUTING: conntrack reverses the earlier DNAT of this connection: ${pod}:8080 → ${vip}:80.`);
  });

  it('a later packet of the connection gets its DNAT from conntrack, not from a rule', () => {
    const c = hairpin();
    const vip = vipOf(c);
    c.trace('pod/a', `${vip}:80`, { index: 0 });
    const again = c.trace('pod/a', `${vip}:80`, { index: 0 });
    const dnat = again.hops.find((h) => h.changed?.includes('ipv4.dst') && h.stage.startsWith('netfilter:'))!;
    expect(dnat.explain).toMatch(new RegExp(`^node-1 PREROUTING: conntrack applies this connection's DNAT to the destination: ${vip.replace(/\./g, '\\.')}:80 → [0-9.]+:8080\\.$`));
  });
});

describe('policy drop hop sentences', () => {
  it('a NetworkPolicy drop is one sentence: the policies as a list, the DROP rule apart from the allow rule', () => {
    const policy = (name: string, spec: object) => JSON.stringify({ apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name, namespace: 'default' }, spec });
    const c = cluster()
      .nodes(2)
      .cni('calico', { backend: 'bgp' })
      .pod('a', { node: 'node-1', labels: { app: 'a' } })
      .pod('b', { node: 'node-2', labels: { app: 'b' }, ports: [80, 81] })
      .raw(policy('deny', { podSelector: { matchLabels: { app: 'b' } }, policyTypes: ['Ingress'] }))
      .raw(policy('allow-a', { podSelector: { matchLabels: { app: 'b' } }, ingress: [{ from: [{ podSelector: { matchLabels: { app: 'a' } } }], ports: [{ port: 80 }] }] }))
      .build();
    const f = c.trace('pod/a', 'pod/default/b:81');
    expect(f.verdict).toBe('dropped');
    const drop = f.hops.find((h) => h.stage === 'netfilter:filter/FORWARD' && h.rule?.text.includes('-j DROP'))!;
    const n = drop.rule!.evaluated!.length;
    expect(drop.explain).toBe(
      `node-2 FORWARD: default deny: no policy allows it; ingress to default/b is isolated by default/allow-a, default/deny; the one allow rule evaluated did not match (dropped by ${drop.rule!.chain} rule ${drop.rule!.index! + 1}; ${n} rules evaluated).`,
    );
  });
});

describe('IPVS hop sentences', () => {
  it('the NAT hop says the rewritten packet goes out again through OUTPUT, before the node appears to send it', () => {
    const ipvs = JSON.stringify({ apiVersion: 'kubeproxy.config.k8s.io/v1alpha1', kind: 'KubeProxyConfiguration', mode: 'ipvs' });
    const service = JSON.stringify({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', namespace: 'default' }, spec: { selector: { app: 'web' }, ports: [{ port: 80, targetPort: 8080 }] } });
    const c = cluster().nodes(2).cni('bridge').pod('a', { node: 'node-1' }).pod('w', { node: 'node-2', labels: { app: 'web' }, ports: [8080] }).raw(ipvs).raw(service).build();
    const vip = c.model.services.find((s) => s.metadata.name === 'web')!.spec.clusterIP!;
    const w = c.model.pods.find((p) => p.name === 'w')!.ip;
    const f = c.trace('pod/a', `${vip}:80`);
    const i = f.hops.findIndex((h) => h.stage === 'ipvs');
    expect(f.hops[i]!.explain).toBe(
      `IPVS (hash lookup, not a rule walk): ${vip}:80/tcp is a virtual service; the rr scheduler picks real server ${w}:8080, and NAT rewrites the destination; IPVS then routes the packet and sends it out through OUTPUT and POSTROUTING, so the next hops show node-1 sending it.`,
    );
    expect(f.hops[i + 1]!.explain).toMatch(/^node-1 sends /);
  });
});

