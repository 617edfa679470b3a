// Pods waiting in ContainerCreating on the canvas: boxes inside their node, beside the running
// pods, named with the reason, and with no device or edge (their sandbox was never created).
import { describe, expect, it } from 'vitest';
import { loadScenario, summarizeModel } from '../../core/index';
import { layout } from './layout';

/** One bridge node whose /29 leaves 5 pod addresses, and a Deployment of `replicas`. */
function summary(replicas: number) {
  const text = [
    JSON.stringify({ apiVersion: 'hopscope/v1alpha1', kind: 'Cluster', metadata: { name: 'small' }, spec: { nodes: 1, podCIDR: '10.244.0.0/16', nodeCIDRMaskSize: 29, dns: false, cni: { plugin: 'bridge' } } }),
    JSON.stringify({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web' }, spec: { replicas, selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image: 'nginx', ports: [{ containerPort: 80 }] }] } } } }),
  ].join('\n---\n');
  return summarizeModel(loadScenario(text).model!);
}

const WHY = 'failed to allocate for range 0: no IP addresses available in range set: 10.244.0.1-10.244.0.6';

describe('layout: pods waiting in ContainerCreating', () => {
  const s8 = summary(8);
  const s5 = summary(5);

  for (const detail of ['detail', 'overview'] as const) {
    it(`draws each in its node, named with its reason, with no device or edge (${detail})`, () => {
      const l = layout(s8, detail);
      const node = l.nodes.find((n) => n.type === 'k8sNode')!;
      const waiting = l.nodes.filter((n) => n.type === 'pendingPod');
      expect(waiting.map((n) => n.id)).toEqual(s8.pendingPods!.map((p) => `pending:default/${p.name}`));
      const nb = l.boxes[node.id]!;
      for (const n of waiting) {
        expect(n.parentId).toBe(node.id);
        expect(n.ariaLabel).toBe(`Pod ${n.id.slice('pending:'.length)} ContainerCreating: no IP (${WHY})`);
        const b = l.boxes[n.id]!;
        expect(b.x).toBeGreaterThanOrEqual(nb.x);
        expect(b.x + b.w).toBeLessThanOrEqual(nb.x + nb.w);
        expect(b.y + b.h).toBeLessThanOrEqual(nb.y + nb.h);
        expect(l.nodes.some((c) => c.parentId === n.id)).toBe(false);
        expect(l.edges.some((e) => e.source === n.id || e.target === n.id)).toBe(false);
        expect(Object.values(l.anchors)).not.toContain(n.id);
      }
      // Side by side with the running pods, none overlapping.
      const pods = l.nodes.filter((n) => n.type === 'pod' || n.type === 'pendingPod').map((n) => l.boxes[n.id]!).sort((a, b) => a.x - b.x);
      expect(pods).toHaveLength(8);
      for (let i = 1; i < pods.length; i++) expect(pods[i]!.x).toBeGreaterThanOrEqual(pods[i - 1]!.x + pods[i - 1]!.w);
    });
  }

  it('grows the node box to hold them, and draws the running pods as with 5 replicas', () => {
    for (const detail of ['detail', 'overview'] as const) {
      const l8 = layout(s8, detail);
      const l5 = layout(s5, detail);
      const nodeW = (l: typeof l8) => l.boxes[l.nodes.find((n) => n.type === 'k8sNode')!.id]!.w;
      expect(nodeW(l8)).toBeGreaterThan(nodeW(l5) + 3 * 190);
      // (The bridge stays centred in the wider node.)
      const inNode = (l: typeof l8) => l.nodes.filter((n) => n.parentId && n.type !== 'pendingPod' && n.type !== 'service').map((n) => ({ id: n.id, ...(n.type === 'bridge' ? {} : { x: n.position.x }), ...(detail === 'detail' ? { y: n.position.y } : {}) }));
      // In detail not even a row moves down: a waiting pod is no taller than a running one.
      expect(inNode(l8)).toEqual(inNode(l5));
    }
  });

  it('hides a kube-system one with the other kube-system pods', () => {
    const sys = { ...s8, pendingPods: s8.pendingPods!.map((p) => ({ ...p, namespace: 'kube-system', id: `pending:kube-system/${p.name}` })) };
    expect(layout(sys, 'detail', { systemPods: false }).nodes.some((n) => n.type === 'pendingPod')).toBe(false);
    expect(layout(sys, 'detail', { systemPods: true }).nodes.filter((n) => n.type === 'pendingPod')).toHaveLength(3);
  });
});

describe('layout: pods no node took', () => {
  const text = [
    JSON.stringify({ apiVersion: 'hopscope/v1alpha1', kind: 'Cluster', metadata: { name: 'two' }, spec: { nodes: 2, dns: false, cni: { plugin: 'flannel' } } }),
    JSON.stringify({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web' }, spec: { replicas: 4, selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image: 'nginx', ports: [{ containerPort: 80, hostPort: 8080 }] }] } } } }),
  ].join('\n---\n');
  const s = summarizeModel(loadScenario(text).model!);

  for (const detail of ['detail', 'overview'] as const) {
    it(`draws them in an Unscheduled tray beside the nodes, not in a node (${detail})`, () => {
      const l = layout(s, detail);
      const tray = l.nodes.find((n) => n.type === 'unscheduled')!;
      expect(tray).toMatchObject({ id: 'unscheduled', data: { count: 2 }, focusable: false, selectable: false });
      const waiting = l.nodes.filter((n) => n.type === 'pendingPod');
      expect(waiting.map((n) => n.id)).toEqual(s.pendingPods!.map((p) => p.id));
      const tb = l.boxes[tray.id]!;
      for (const n of waiting) {
        expect(n.parentId).toBe(tray.id);
        expect(n.ariaLabel).toMatch(/^Pod default\/web-\S+ Pending: not scheduled \(0\/2 nodes are available: 2 node\(s\) didn't have free ports/);
        const b = l.boxes[n.id]!;
        expect(b.x).toBeGreaterThanOrEqual(tb.x);
        expect(b.x + b.w).toBeLessThanOrEqual(tb.x + tb.w);
        expect(b.y + b.h).toBeLessThanOrEqual(tb.y + tb.h);
      }
      // Apart from every Kubernetes node's box.
      for (const k of l.nodes.filter((n) => n.type === 'k8sNode')) {
        const kb = l.boxes[k.id]!;
        expect(kb.x + kb.w <= tb.x || tb.x + tb.w <= kb.x).toBe(true);
      }
    });
  }

  it('draws no tray when every pod has a node', () => {
    expect(layout(summary(8), 'detail').nodes.some((n) => n.type === 'unscheduled')).toBe(false);
  });
});
