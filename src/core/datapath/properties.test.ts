/**
 * Properties over random clusters (DESIGN §6): 1–20 nodes, 0–50 pods, every plugin and
 * backend. The Kubernetes network model must hold — every pod reaches every pod, with no NAT
 * on the pod-to-pod path — every walk ends delivered or dropped with a reason, and the same
 * seed gives the same trace.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { cluster, delivered, innerIp } from '../testing/cluster';

const PLUGINS = [
  ['bridge', undefined],
  ['kubenet', undefined],
  ['flannel', 'vxlan'],
  ['flannel', 'host-gw'],
  ['calico', 'bgp'],
  ['calico', 'ipip'],
  ['calico', 'vxlan'],
] as const;

const arbCluster = fc.record({
  plugin: fc.constantFrom(...PLUGINS),
  nodes: fc.integer({ min: 1, max: 20 }),
  pods: fc.integer({ min: 0, max: 50 }),
  seed: fc.integer({ min: 0, max: 1_000_000 }),
  underlay: fc.constantFrom('l2' as const, 'cloud' as const),
  pairs: fc.array(fc.tuple(fc.nat(), fc.nat()), { minLength: 1, maxLength: 6 }),
});

interface Arb {
  plugin: readonly [string, string | undefined];
  nodes: number;
  pods: number;
  seed: number;
  underlay: 'l2' | 'cloud';
}

function build(p: Arb) {
  const b = cluster().nodes(p.nodes).seed(p.seed).underlay(p.underlay).cni(p.plugin[0], p.plugin[1] ? { backend: p.plugin[1] } : {});
  for (let i = 0; i < p.pods; i++) b.pod(`p${i}`, { ports: [80] });
  return b.build();
}

describe('the Kubernetes network model holds on random clusters', () => {
  it('every pod reaches every pod, and the receiver sees the sender’s own IP', () => {
    fc.assert(
      fc.property(arbCluster, (p) => {
        const c = build(p);
        expect(c.result.hasErrors).toBe(false);
        const pods = c.model.pods;
        if (pods.length === 0) return;
        for (const [i, j] of p.pairs) {
          const a = pods[i % pods.length]!;
          const b = pods[j % pods.length]!;
          const f = c.trace(`pod/${a.namespace}/${a.name}`, `pod/${b.namespace}/${b.name}:80`, { index: i });
          expect(f.verdict, `${p.plugin.join('/')} ${a.name}(${a.node}) → ${b.name}(${b.node}): ${f.reason}`).toBe('delivered');
          const seen = innerIp(delivered(f));
          expect(seen.src).toBe(a.ip);
          expect(seen.dst).toBe(b.ip);
          expect(f.reply?.verdict).toBe('delivered');
        }
      }),
      { numRuns: 60 },
    );
  });

  it('every walk ends delivered, or dropped with a reason, within its TTL', () => {
    const targets = ['10.244.3.7:80', '8.8.8.8:53', '192.168.0.99:22', '10.96.0.1:443', '127.0.0.1:9', '10.244.0.1'];
    fc.assert(
      fc.property(arbCluster, fc.constantFrom(...targets), (p, to) => {
        const c = build(p);
        const from = c.model.pods[0] ? `pod/default/${c.model.pods[0].name}` : `node/${c.model.nodes[0]!.name}`;
        const f = c.trace(from, to);
        expect(['delivered', 'dropped']).toContain(f.verdict);
        if (f.verdict === 'dropped') expect(f.reason).toBeTruthy();
        const last = f.hops.at(-1)!;
        expect(['deliver', 'drop']).toContain(last.stage);
        for (const h of f.hops) for (const hdr of h.packet.headers) if (hdr.kind === 'ipv4') expect(hdr.ttl).toBeGreaterThanOrEqual(0);
      }),
      { numRuns: 60 },
    );
  });

  it('the same seed gives the same trace', () => {
    fc.assert(
      fc.property(arbCluster, (p) => {
        if (p.pods < 2) return;
        const one = build(p).trace('pod/default/p0', 'pod/default/p1:80', { seed: p.seed });
        const two = build(p).trace('pod/default/p0', 'pod/default/p1:80', { seed: p.seed });
        expect(JSON.stringify(two)).toBe(JSON.stringify(one));
      }),
      { numRuns: 25 },
    );
  });
});
