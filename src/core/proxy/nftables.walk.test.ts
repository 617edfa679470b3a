// kube-proxy's nftables mode through the one walker: the `ip kube-proxy` table decides (verdict
// maps, numgen, dnat, masquerade), netfilter's conntrack un-NATs the replies, and the node has
// no KUBE-* iptables chains at all. Mirrors services.walk.test.ts (iptables mode).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { BuiltCluster, ClusterBuilder } from '../testing/cluster';
import type { Flow, Hop } from '../trace/types';
import { cluster, delivered, innerIp } from '../testing/cluster';
import { renderIptablesSave } from '../render/iptables-save';
import { loadScenario } from '../compile/load';
import { runTraffic } from '../simulate/run';

type Spec = Record<string, unknown>;

const NFT_MODE = JSON.stringify({ apiVersion: 'kubeproxy.config.k8s.io/v1alpha1', kind: 'KubeProxyConfiguration', mode: 'nftables' });

function service(name: string, spec: Spec): string {
  return JSON.stringify({ apiVersion: 'v1', kind: 'Service', metadata: { name, namespace: 'default' }, spec });
}

/** Two nodes in nftables mode; web pods on the nodes listed; a client pod on node-1. */
function withWeb(nodes: string[], ...services: string[]): BuiltCluster {
  let b: ClusterBuilder = cluster().nodes(2).cni('bridge').seed(3).raw(NFT_MODE).pod('client', { node: 'node-1' });
  nodes.forEach((n, i) => (b = b.pod(`web-${i + 1}`, { node: n, ports: [8080], labels: { app: 'web' } })));
  for (const s of services) b = b.raw(s);
  return b.build();
}

const PORT = { selector: { app: 'web' }, ports: [{ port: 80, targetPort: 8080 }] };

function vipOf(c: BuiltCluster, name: string): string {
  return c.model.services.find((s) => s.metadata.name === name)!.spec.clusterIP!;
}

function podIp(c: BuiltCluster, name: string): string {
  return c.model.pods.find((p) => p.name === name)!.ip;
}

function nodeIp(c: BuiltCluster, name: string): string {
  return c.model.nodes.find((n) => n.name === name)!.ip;
}

/** The hop whose nft rule rewrote the destination at `hook`. */
function dnatHop(f: Flow, hook: string): Hop | undefined {
  return f.hops.find((h) => h.stage === `netfilter:nft/${hook}` && h.changed?.includes('ipv4.dst'));
}

function replyIp(f: Flow) {
  return innerIp(delivered(f.reply!));
}

describe('nftables mode: ClusterIP', () => {
  const c = withWeb(['node-1', 'node-2'], service('web', PORT));
  const vip = vipOf(c, 'web');

  it('from a pod: the nat-prerouting chain DNATs through @service-ips, the reply is un-NATed, and no KUBE-* iptables chain exists', () => {
    for (const node of ['node-1', 'node-2']) expect(renderIptablesSave(c.model.netns.get(node)!.netfilter, { tables: ['nat', 'filter'] })).not.toContain('KUBE-');
    const f = c.trace('pod/client', `${vip}:80`);
    expect(f.verdict).toBe('delivered');
    expect(['default/web-1', 'default/web-2']).toContain(f.endpoint);
    const dnat = dnatHop(f, 'prerouting')!;
    expect(dnat.netns).toBe('node-1');
    expect(dnat.rule).toMatchObject({ kind: 'nft', table: 'ip kube-proxy' });
    expect(dnat.rule!.chain).toMatch(/^endpoint-[A-Z2-7]{8}-default\/web\/tcp\/__10\./);
    expect(dnat.rule!.text).toMatch(/^meta l4proto tcp dnat to 10\.\d+\.\d+\.\d+:8080$/);
    // The dispatch is one map lookup: the element found is recorded on the rule that looked it up.
    const lookup = dnat.rule!.evaluated!.find((e) => e.chain === 'services')!;
    expect(lookup.element).toMatch(new RegExp(`^${vip.replace(/\./g, '\\.')} \\. tcp \\. 80 : goto service-`));
    expect(innerIp(delivered(f)).src).toBe(podIp(c, 'client'));
    expect(f.reply?.verdict).toBe('delivered');
    expect(replyIp(f)).toMatchObject({ src: vip, dst: podIp(c, 'client') });
  });

  it('from a node: nat-output DNATs, mark-for-masquerade marks it (not from a pod), nat-postrouting masquerades, reply home', () => {
    const f = c.trace('node/node-2', `${vip}:80`);
    expect(f.verdict).toBe('delivered');
    expect(dnatHop(f, 'output')?.netns).toBe('node-2');
    const masq = f.hops.find((h) => h.stage === 'netfilter:nft/postrouting' && h.changed?.includes('ipv4.src'));
    expect(masq?.rule?.text).toBe('masquerade fully-random');
    // Masqueraded to the address of the device it leaves by (cni0 when the backend is local).
    const own = c.model.netns.get('node-2')!.devices.flatMap((d) => d.addresses.map((a) => a.ip));
    expect(own).toContain(innerIp(delivered(f)).src);
    expect(replyIp(f).src).toBe(vip);
  });

  it('rejects a port the Service does not declare (cluster-ips-check)', () => {
    const f = c.trace('pod/client', `${vip}:81`);
    expect(f.verdict).toBe('dropped');
    expect(f.reason).toBe('reject');
    expect(f.hops.some((h) => h.rule?.kind === 'nft' && h.rule.text === 'ip daddr @cluster-ips reject')).toBe(true);
  });

  it('spreads connections over both endpoints with numgen, reproducibly by seed', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 20; i++) seen.add(c.trace('pod/client', `${vip}:80`, { index: i }).endpoint!);
    expect(seen).toEqual(new Set(['default/web-1', 'default/web-2']));
    const again = withWeb(['node-1', 'node-2'], service('web', PORT));
    const a = Array.from({ length: 10 }, (_, i) => c.trace('pod/client', `${vip}:80`, { index: 100 + i }).endpoint);
    const b = Array.from({ length: 10 }, (_, i) => again.trace('pod/client', `${vip}:80`, { index: 100 + i }).endpoint);
    expect(a).toEqual(b);
  });

  it('hairpin: a pod reaching itself through its Service is masqueraded and answered', () => {
    const h = withWeb(['node-1'], service('web', PORT));
    const f = h.trace('pod/web-1', `${vipOf(h, 'web')}:80`);
    expect(f.verdict).toBe('delivered');
    expect(f.endpoint).toBe('default/web-1');
    expect(innerIp(delivered(f)).src).not.toBe(podIp(h, 'web-1'));
    expect(f.hops.some((hop) => hop.stage === 'netfilter:nft/postrouting' && hop.changed?.includes('ipv4.src'))).toBe(true);
    expect(replyIp(f).src).toBe(vipOf(h, 'web'));
  });

  it('without endpoints: @no-endpoint-services sends it to reject-chain (connection refused)', () => {
    const e = withWeb([], service('web', PORT));
    const f = e.trace('pod/client', `${vipOf(e, 'web')}:80`);
    expect(f.verdict).toBe('dropped');
    expect(f.reason).toBe('reject');
    const hop = f.hops.find((h) => h.rule?.kind === 'nft')!;
    expect(hop.rule).toMatchObject({ chain: 'reject-chain', text: 'reject' });
    expect(hop.rule!.evaluated!.some((r) => r.element?.endsWith(': goto reject-chain'))).toBe(true);
  });

  it('internalTrafficPolicy Local on a node without a local endpoint: @no-endpoint-services drops it (the Service has endpoints elsewhere, so no reject)', () => {
    const l = withWeb(['node-2'], service('web', { ...PORT, internalTrafficPolicy: 'Local' }));
    const f = l.trace('pod/client', `${vipOf(l, 'web')}:80`);
    expect(f.verdict).toBe('dropped');
    expect(f.reason).not.toBe('reject');
    expect(f.hops.some((h) => h.rule?.kind === 'nft' && h.rule.evaluated!.some((e) => e.element?.endsWith(': drop')))).toBe(true);
    expect(f.hops.some((h) => h.netns.startsWith('pod:default/web'))).toBe(false);
  });

  // proxier.go puts the ClusterIP's masquerade rule into internalTrafficChain, which is the
  // local- chain under internalTrafficPolicy Local: a node's own process (not a pod address)
  // reaching the VIP is masqueraded there just as it is through the service- chain.
  it('internalTrafficPolicy Local with a local endpoint: the local- chain masquerades a node\'s own connection', () => {
    const l = withWeb(['node-1', 'node-2'], service('web', { ...PORT, internalTrafficPolicy: 'Local' }));
    const f = l.trace('node/node-1', `${vipOf(l, 'web')}:80`);
    expect(f.verdict).toBe('delivered');
    expect(f.endpoint).toBe('default/web-1');
    const mark = f.hops.find((h) => h.rule?.kind === 'nft' && h.rule.evaluated!.some((e) => e.chain.startsWith('local-') && e.text.endsWith('jump mark-for-masquerade')));
    expect(mark).toBeDefined();
    const masq = f.hops.find((h) => h.stage === 'netfilter:nft/postrouting' && h.changed?.includes('ipv4.src'));
    expect(masq?.rule?.text).toBe('masquerade fully-random');
  });

  it('internalTrafficPolicy Local with externalTrafficPolicy Cluster: the VIP\'s masquerade rule is in the local- chain, not in the service- chain external traffic uses', () => {
    const l = withWeb(['node-1', 'node-2'], service('web', { ...PORT, type: 'NodePort', internalTrafficPolicy: 'Local' }));
    const vip = vipOf(l, 'web');
    const chains = l.model.netns.get('node-1')!.nftables![0]!.chains;
    const local = chains.find((ch) => ch.name.startsWith('local-') && ch.name.includes('default/web/'))!;
    const svc = chains.find((ch) => ch.name.startsWith('service-') && ch.name.includes('default/web/'))!;
    expect(local.rules[0]!.text).toBe(`ip daddr ${vip} ip saddr != 10.244.0.0/16 jump mark-for-masquerade`);
    expect(svc.rules.some((r) => r.text.includes(`ip daddr ${vip}`))).toBe(false);
  });

  it('sessionAffinity ClientIP: update @affinity-… pins every later connection to one endpoint', () => {
    const a = withWeb(['node-1', 'node-2'], service('web', { ...PORT, sessionAffinity: 'ClientIP' }));
    const ends = new Set(Array.from({ length: 20 }, (_, i) => a.trace('pod/client', `${vipOf(a, 'web')}:80`, { index: i }).endpoint));
    expect(ends.size).toBe(1);
    const sets = a.model.netns.get('node-1')!.nftables![0]!.sets.filter((s) => s.name.startsWith('affinity-'));
    expect(sets.filter((s) => s.dynamic?.has(podIp(a, 'client')))).toHaveLength(1);
  });
});

describe('nftables mode: NodePort', () => {
  const np = (policy: 'Cluster' | 'Local', nodes: string[]) => withWeb(nodes, service('web', { ...PORT, type: 'NodePort', externalTrafficPolicy: policy, ports: [{ port: 80, targetPort: 8080, nodePort: 30080 }] }));

  it('Cluster policy: any node forwards via @service-nodeports, SNATs to itself, and un-NATs the reply', () => {
    const c = np('Cluster', ['node-1']);
    const f = c.trace('external/client', 'node/node-2:30080');
    expect(f.verdict).toBe('delivered');
    expect(f.endpoint).toBe('default/web-1');
    expect(dnatHop(f, 'prerouting')?.rule?.evaluated?.some((e) => e.chain === 'services' && /^tcp \. 30080 : goto external-/.test(e.element ?? ''))).toBe(true);
    expect(innerIp(delivered(f)).src).toBe(nodeIp(c, 'node-2'));
    expect(replyIp(f)).toMatchObject({ src: nodeIp(c, 'node-2') });
    expect(delivered(f.reply!).headers.find((h) => h.kind === 'tcp')).toMatchObject({ sport: 30080 });
  });

  it('Local policy: the client address is preserved on a node with an endpoint', () => {
    const c = np('Local', ['node-1']);
    const f = c.trace('external/client', 'node/node-1:30080');
    expect(f.verdict).toBe('delivered');
    expect(innerIp(delivered(f)).src).toBe(innerIp(f.hops[0]!.packet).src);
    expect(f.reply?.verdict).toBe('delivered');
  });

  it('Local policy: a node without a local endpoint drops it (@no-endpoint-nodeports) instead of forwarding', () => {
    const c = np('Local', ['node-1']);
    const f = c.trace('external/client', 'node/node-2:30080');
    expect(f.verdict).toBe('dropped');
    expect(f.hops.some((h) => h.netns.startsWith('pod:default/web'))).toBe(false);
    expect(f.hops.some((h) => h.rule?.kind === 'nft' && h.rule.evaluated!.some((e) => e.element === 'tcp . 30080 : drop'))).toBe(true);
  });
});

describe('nftables mode: the seed experiment (fixtures/scenarios/service-test.yaml)', () => {
  const text = readFileSync(join(__dirname, '../../../fixtures/scenarios/service-test.yaml'), 'utf8').replace('cni: {plugin: kubenet}', 'cni: {plugin: kubenet}\n  kubeProxy: {mode: nftables}');

  function run(seed?: number) {
    const r = loadScenario(text);
    expect(r.diagnostics.filter((d) => d.severity !== 'info')).toEqual([]);
    return runTraffic(r.model!, r.scenario, seed !== undefined ? { seed } : {});
  }

  it('each of the two pods answers 35–65 % of the 200 requests, for several seeds', () => {
    for (const seed of [undefined, 2, 3, 4]) {
      const result = run(seed);
      expect(result.errors).toEqual([]);
      expect(result.requests[0]).toMatchObject({ count: 200, delivered: 200, dropped: 0 });
      const counts = Object.values(result.requests[0]!.byEndpoint);
      expect(counts).toHaveLength(2);
      for (const n of counts) {
        expect(n / 200).toBeGreaterThanOrEqual(0.35);
        expect(n / 200).toBeLessThanOrEqual(0.65);
      }
    }
  });

  it('is reproducible by seed and changes with it', () => {
    expect(run(9)).toEqual(run(9));
    expect(run(9)).not.toEqual(run(10));
  });
});

describe('nftables mode: LoadBalancer through the cloud box', () => {
  function lb(spec: Spec): BuiltCluster {
    return cluster().nodes(3).cni('bridge').raw(NFT_MODE).pod('web-1', { node: 'node-2', ports: [8080], labels: { app: 'web' } })
      .raw(service('web', { type: 'LoadBalancer', selector: { app: 'web' }, ports: [{ port: 80, targetPort: 8080 }], ...spec })).build();
  }
  const lbIp = (c: BuiltCluster) => c.model.services.find((s) => s.metadata.name === 'web')!.status!.loadBalancer!.ingress![0]!.ip!;

  it('the node DNATs the LB IP via @service-ips → external-…, masquerades, and the reply comes home from the LB IP', () => {
    const c = lb({});
    const f = c.trace('external/client', `${lbIp(c)}:80`);
    expect(f.verdict).toBe('delivered');
    const dnat = dnatHop(f, 'prerouting')!;
    expect(dnat.node).toMatch(/^node-/);
    expect(dnat.rule!.evaluated!.some((e) => e.element?.startsWith(`${lbIp(c)} . tcp . 80 : goto external-`))).toBe(true);
    expect(innerIp(delivered(f)).src).not.toBe(innerIp(f.hops[0]!.packet).src);
    expect(innerIp(delivered(f.reply!))).toMatchObject({ src: lbIp(c), dst: innerIp(f.hops[0]!.packet).src });
  });

  it('loadBalancerSourceRanges: @firewall-ips sends outsiders to the firewall chain\'s drop; insiders pass', () => {
    const denied = lb({ loadBalancerSourceRanges: ['198.51.100.0/24'] });
    const f = denied.trace('external/client', `${lbIp(denied)}:80`);
    expect(f.verdict).toBe('dropped');
    const drop = f.hops.find((h) => h.rule?.kind === 'nft' && h.rule.text === 'ip saddr != 198.51.100.0/24 drop');
    expect(drop?.stage).toBe('netfilter:nft/prerouting');
    const allowed = lb({ loadBalancerSourceRanges: ['203.0.113.0/24'] });
    expect(allowed.trace('external/client', `${lbIp(allowed)}:80`).verdict).toBe('delivered');
  });

  // proxier.go allowFromNode: a range holding the node IP lets the LB IPs in as sources too (a
  // node reaching a VIP that is a local address loops back from the VIP); nft lists the
  // anonymous interval set in address order.
  it('loadBalancerSourceRanges that hold the node IP also admit the LB IP as a source, listed in address order', () => {
    const fw = (b: BuiltCluster) => b.model.netns.get('node-1')!.nftables![0]!.chains.find((ch) => ch.name.startsWith('firewall-') && ch.name.includes('default/web/'))!.rules[0]!.text;
    const c = lb({ loadBalancerSourceRanges: ['203.0.113.0/25', '192.168.0.0/24'] });
    const ip = lbIp(c);
    expect(ip.startsWith('203.0.113.') && Number(ip.split('.')[3]) >= 128).toBe(true); // outside both ranges
    const expected = ['192.168.0.0/24', ip, '203.0.113.0/25'].sort((a, b) => { const n = (x: string) => x.split('/')[0]!.split('.').reduce((v, o) => v * 256 + Number(o), 0); return n(a) - n(b); });
    expect(fw(c)).toBe(`ip saddr != { ${expected.join(', ')} } drop`);
    expect(c.trace('external/client', `${ip}:80`).verdict).toBe('delivered');
    const outside = lb({ loadBalancerSourceRanges: ['203.0.113.0/24', '198.18.0.0/15'] });
    expect(fw(outside)).toBe('ip saddr != { 198.18.0.0/15, 203.0.113.0/24 } drop');
  });
});
