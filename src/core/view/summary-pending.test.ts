// Pods left ContainerCreating by an exhausted pod range: listed on their node with no IP and the
// CNI plugin's error, while the pods that got a sandbox are summarised as before.
import { describe, expect, it } from 'vitest';
import { loadScenario } from '../compile/load';
import { summarizeModel } from './summary';
import type { SandboxlessPod } from '../model/types';

/** One bridge node whose /29 leaves 5 pod addresses, and a Deployment of `replicas`. */
function scenario(replicas: number): string {
  return [
    JSON.stringify({ apiVersion: 'hopscope/v1alpha1', kind: 'Cluster', metadata: { name: 'small' }, spec: { nodes: 1, podCIDR: '10.244.0.0/16', nodeCIDRMaskSize: 29, dns: false, cni: { plugin: 'bridge' } } }),
    JSON.stringify({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web' }, spec: { replicas, selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image: 'nginx', ports: [{ containerPort: 80 }] }] } } } }),
  ].join('\n---\n');
}

describe('summarizeModel: pods waiting in ContainerCreating', () => {
  const model = loadScenario(scenario(8)).model!;
  const s = summarizeModel(model);

  it('lists each on its node, ContainerCreating, with no IP, the CNI error and the whole event message', () => {
    expect(s.pendingPods?.map((p) => p.name)).toEqual(model.pendingPods!.map((p) => p.name));
    expect(s.pendingPods).toHaveLength(3);
    for (const p of s.pendingPods!) {
      const src = model.pendingPods!.find((x) => x.name === p.name) as SandboxlessPod;
      expect(p).toEqual({
        id: `pending:default/${p.name}`,
        namespace: 'default',
        name: src.name,
        node: 'node-1',
        status: 'ContainerCreating',
        containers: [{ name: 'c', image: 'nginx', ports: ['80/TCP'] }],
        owner: src.owner,
        labels: { app: 'web', 'pod-template-hash': src.owner!.slice('ReplicaSet/web-'.length) },
        cniError: 'failed to allocate for range 0: no IP addresses available in range set: 10.244.0.1-10.244.0.6',
        sandboxError: src.sandboxError,
      });
      expect(p).not.toHaveProperty('ip');
      // No netns of its own: nothing a packet could be placed on.
      expect(s.netns.some((ns) => ns.pod?.name === p.name || ns.id === p.id)).toBe(false);
    }
  });

  it('leaves the pods that got a sandbox as they are with 5 replicas', () => {
    const five = summarizeModel(loadScenario(scenario(5)).model!);
    expect(five.pendingPods).toBeUndefined();
    expect(s.netns).toEqual(five.netns);
    expect(s.links).toEqual(five.links);
    expect(Object.keys(s).slice(0, -1)).toEqual(Object.keys(five));
  });
});
