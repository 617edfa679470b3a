import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { loadScenario, summarizeModel, traceFlow } from '../../core/index';
import type { Flow } from '../../core/index';
import { layout } from './layout';
import { meshNote, withFlowTunnels } from './tunnel-mesh';
import type { CanvasLayout } from './layout-types';

const cluster = (nodes: number, cni: string) => `apiVersion: hopscope/v1alpha1
kind: Cluster
metadata: {name: big}
spec: {seed: 1, nodes: ${nodes}, cni: ${cni}}
---
apiVersion: v1
kind: Pod
metadata: {name: client}
spec: {nodeName: node-1, containers: [{name: curl, image: curlimages/curl}]}
---
apiVersion: v1
kind: Pod
metadata: {name: far}
spec: {nodeName: node-${nodes}, containers: [{name: http, image: python:3, ports: [{containerPort: 8080}]}]}
`;

function load(nodes: number, cni = '{plugin: flannel, backend: vxlan}') {
  const model = loadScenario(cluster(nodes, cni)).model!;
  const r = traceFlow(model, { from: 'pod/default/client', to: 'pod/default/far:8080' });
  if (!r.ok) throw new Error(r.error);
  return { summary: summarizeModel(model), flow: r.flow };
}

const devicesOf = (f: Flow) => [f.hops.map((h) => h.deviceId), (f.reply?.hops ?? []).map((h) => h.deviceId)];
const tunnels = (l: CanvasLayout) => l.edges.filter((e) => e.className === 'edge-tunnel');

describe('the tunnel mesh at scale', () => {
  const big = load(100);

  it('does not draw the 4,950 tunnels of a 100-node VXLAN mesh, and says so', () => {
    for (const detail of ['detail', 'overview'] as const) {
      const l = layout(big.summary, detail);
      expect(tunnels(l)).toHaveLength(0);
      expect(l.mesh?.count).toBe(4950);
      // What is left: one veth and bridge port per pod, one segment port per node, nothing n².
      expect(l.edges.length).toBeLessThan(big.summary.netns.length * 3);
      expect(meshNote(l.mesh!, 0)).toBe('4,950 VXLAN VNI 1 udp/8472 tunnels (full mesh of 100 nodes) not drawn; a flow that crosses one draws it');
    }
  });

  it("draws the selected flow's tunnel, labelled, with a handle on each end", () => {
    const detail = layout(big.summary, 'detail');
    const d = withFlowTunnels(detail, devicesOf(big.flow));
    expect(tunnels(d).map((e) => [e.source, e.target, e.label])).toEqual([['node-1#flannel.1', 'node-100#flannel.1', 'VXLAN VNI 1 udp/8472']]);
    for (const id of ['node-1#flannel.1', 'node-100#flannel.1']) expect(d.nodes.find((n) => n.id === id)!.data.ports).toContain('b');
    // Only the two tunnel devices changed: the rest of the picture keeps its objects.
    expect(d.nodes.filter((n, i) => n !== detail.nodes[i]).map((n) => n.id).sort()).toEqual(['node-1#flannel.1', 'node-100#flannel.1']);
    const over = withFlowTunnels(layout(big.summary, 'overview'), devicesOf(big.flow));
    expect(tunnels(over).map((e) => [e.source, e.target])).toEqual([['node-1', 'node-100']]);
    expect(meshNote(over.mesh!, 1)).toContain("the selected flow's tunnel is drawn");
  });

  it('draws no tunnel for a flow that stays on one node', () => {
    const l = layout(big.summary, 'detail');
    const local = big.flow.hops.filter((h) => h.netns === 'pod:default/client').map((h) => h.deviceId);
    expect(withFlowTunnels(l, [local])).toBe(l);
  });

  it('hides an IPIP mesh the same way', () => {
    const { summary, flow } = load(12, '{plugin: calico}');
    const l = layout(summary, 'detail');
    expect(tunnels(l)).toHaveLength(0);
    expect(l.mesh?.count).toBe(66);
    expect(tunnels(withFlowTunnels(l, devicesOf(flow))).map((e) => [e.source, e.target])).toEqual([['node-1#tunl0', 'node-12#tunl0']]);
  });
});

describe('small clusters keep the full mesh', () => {
  it('draws all 45 tunnels of 10 nodes, labelled, and no note', () => {
    const { summary, flow } = load(10);
    const l = layout(summary, 'detail');
    expect(tunnels(l)).toHaveLength(45);
    expect(tunnels(l).every((e) => e.label === 'VXLAN VNI 1 udp/8472')).toBe(true);
    expect(l.mesh).toBeUndefined();
    expect(withFlowTunnels(l, devicesOf(flow))).toBe(l);
  });

  it('leaves the default scenario as it was', () => {
    const s = summarizeModel(loadScenario(readFileSync(new URL('../default-scenario.yaml', import.meta.url), 'utf8')).model!);
    const l = layout(s, 'overview');
    expect(l.mesh).toBeUndefined();
    expect(tunnels(l).map((e) => [e.source, e.target])).toEqual([['node-1', 'node-2']]);
  });

  it('starts hiding at 11 nodes (55 tunnels)', () => {
    const l = layout(load(11).summary, 'overview');
    expect(tunnels(l)).toHaveLength(0);
    expect(l.mesh?.count).toBe(55);
  });
});
