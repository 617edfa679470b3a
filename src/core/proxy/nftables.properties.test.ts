// Properties of nftables mode over random clusters (DESIGN §6): every CNI plugin and backend,
// 1–6 nodes, 1–4 backends. A pod or node calling a ClusterIP reaches a backend and the reply
// reverses every NAT (it comes from the VIP to the caller's own address); the same seed picks
// the same backend.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { cluster, delivered, innerIp } from '../testing/cluster';

const PLUGINS = [['bridge'], ['kubenet'], ['flannel', 'vxlan'], ['flannel', 'host-gw'], ['calico', 'bgp'], ['calico', 'ipip'], ['calico', 'vxlan']] as const;
const NFT_MODE = JSON.stringify({ apiVersion: 'kubeproxy.config.k8s.io/v1alpha1', kind: 'KubeProxyConfiguration', mode: 'nftables' });

const arb = fc.record({
  plugin: fc.constantFrom(...PLUGINS),
  nodes: fc.integer({ min: 1, max: 6 }),
  backends: fc.integer({ min: 1, max: 4 }),
  seed: fc.integer({ min: 0, max: 1_000_000 }),
  fromNode: fc.boolean(),
  index: fc.nat(1000),
});

type Arb = typeof arb extends fc.Arbitrary<infer T> ? T : never;

function build(p: Arb) {
  const b = cluster().nodes(p.nodes).seed(p.seed).cni(p.plugin[0], p.plugin[1] ? { backend: p.plugin[1] } : {}).raw(NFT_MODE).pod('client', { node: 'node-1' });
  for (let i = 0; i < p.backends; i++) b.pod(`web-${i}`, { node: `node-${(i % p.nodes) + 1}`, ports: [8080], labels: { app: 'web' } });
  b.raw(JSON.stringify({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', namespace: 'default' }, spec: { selector: { app: 'web' }, ports: [{ port: 80, targetPort: 8080 }] } }));
  return b.build();
}

describe('nftables mode on random clusters', () => {
  it('a ClusterIP call reaches a backend and its reply reverses every NAT; the same seed picks the same backend', () => {
    fc.assert(
      fc.property(arb, (p) => {
        const c = build(p);
        expect(c.result.hasErrors).toBe(false);
        const vip = c.model.services.find((s) => s.metadata.name === 'web')!.spec.clusterIP!;
        const from = p.fromNode ? `node/node-${p.nodes}` : 'pod/client';
        const f = c.trace(from, `${vip}:80`, { index: p.index });
        expect(f.verdict, `${p.plugin.join('/')} ${from} → ${vip}: ${f.reason}`).toBe('delivered');
        expect(f.endpoint).toMatch(/^default\/web-\d$/);
        const sent = innerIp(f.hops[0]!.packet);
        expect(innerIp(delivered(f.reply!))).toMatchObject({ src: vip, dst: sent.src });
        expect(build(p).trace(from, `${vip}:80`, { index: p.index }).endpoint).toBe(f.endpoint);
      }),
      { numRuns: 30 },
    );
  });
});
