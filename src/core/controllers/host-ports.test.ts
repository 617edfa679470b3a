// The NodePorts filter (kube-scheduler plugins/nodeports; the kubelet's admission runs the same
// check for a pod bound by nodeName): a pod that asks for a host port goes to a node where no
// pod holds that (protocol, host IP, port), hostNetwork pods claiming their containerPorts.
import { describe, expect, it } from 'vitest';
import { loadScenario } from '../compile/load';
import type { ModelNode } from '../model/types';
import type { ContainerPort } from '../k8s/types';
import { hostPortClaims, NodeLoad, schedule } from './scheduler';

const CLUSTER = JSON.stringify({ apiVersion: 'hopscope/v1alpha1', kind: 'Cluster', spec: { nodes: 2, dns: false, cni: { plugin: 'flannel' } } });
type Port = ContainerPort;
const pod = (name: string, spec: { nodeName?: string; hostNetwork?: boolean; ports?: Port[] }) =>
  JSON.stringify({ apiVersion: 'v1', kind: 'Pod', metadata: { name }, spec: { ...(spec.nodeName ? { nodeName: spec.nodeName } : {}), ...(spec.hostNetwork ? { hostNetwork: true } : {}), containers: [{ name: 'c', image: 'nginx', ports: spec.ports ?? [] }] } });
const deployment = (replicas: number, port: Port) =>
  JSON.stringify({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web' }, spec: { replicas, selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image: 'nginx', ports: [port] }] } } } });
const load = (...docs: string[]) => loadScenario([CLUSTER, ...docs].join('\n---\n'));
const placed = (r: ReturnType<typeof load>) => Object.fromEntries(r.model!.pods.map((p) => [p.name.replace(/^web-\w+-\w+$/, `web@${p.node}`), p.node]));

describe('host ports and the scheduler', () => {
  it('spreading would stack two hostPort replicas on the emptier node; NodePorts puts the second elsewhere', () => {
    const pinned = ['p1', 'p2', 'p3'].map((n) => pod(n, { nodeName: 'node-2' }));
    const r = load(...pinned, deployment(2, { containerPort: 80, hostPort: 8080 }));
    expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    const web = r.model!.pods.filter((p) => p.name.startsWith('web-')).map((p) => p.node);
    expect(web.sort()).toEqual(['node-1', 'node-2']);
    // Without a host port both go to node-1, the emptier node.
    const free = load(...pinned, deployment(2, { containerPort: 80 }));
    expect(free.model!.pods.filter((p) => p.name.startsWith('web-')).map((p) => p.node)).toEqual(['node-1', 'node-1']);
  });

  it('a replica with no node left is unschedulable, with the scheduler’s reason: a warning, and the pod stays Pending', () => {
    const r = load(deployment(3, { containerPort: 80, hostPort: 8080 }));
    expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    const warnings = r.diagnostics.filter((d) => d.code === 'unschedulable');
    expect(r.model!.pendingPods).toHaveLength(1);
    expect(warnings.map((d) => [d.severity, d.message.replace(/web-\w+-\w+/, 'web-…')])).toEqual([['warning', "pod default/web-…: 0/2 nodes are available: 2 node(s) didn't have free ports for the requested pod ports. preemption: 0/2 nodes are available: 2 No preemption victims found for incoming pod."]]);
  });

  it('hostNetwork pods claim their containerPorts: a second one pinned to the node is rejected by the kubelet, a hostPort pod goes elsewhere', () => {
    const r = load(pod('exporter', { nodeName: 'node-1', hostNetwork: true, ports: [{ containerPort: 9100 }] }), pod('exporter2', { nodeName: 'node-1', hostNetwork: true, ports: [{ containerPort: 9100 }] }), pod('hp', { ports: [{ containerPort: 9100, hostPort: 9100 }] }));
    const errors = r.diagnostics.filter((d) => d.severity === 'error');
    expect(errors.map((d) => d.message)).toEqual(["pod default/exporter2: Pod was rejected: Predicate NodePorts failed: node(s) didn't have free ports for the requested pod ports (on node-1)"]);
    expect(placed(r)).toMatchObject({ exporter: 'node-1', hp: 'node-2' });
  });

  it('a DaemonSet pod whose node already has its hostPort taken is created and left Pending (FailedScheduling), not an error', () => {
    // Since 1.12 the DaemonSet controller does not bind its pods: it pins each to its node with a
    // required node affinity on metadata.name, and the default scheduler's NodePorts filter
    // rejects that node, the others failing NodeAffinity's PreFilter.
    const daemonSet = JSON.stringify({ apiVersion: 'apps/v1', kind: 'DaemonSet', metadata: { name: 'agent' }, spec: { selector: { matchLabels: { app: 'agent' } }, template: { metadata: { labels: { app: 'agent' } }, spec: { containers: [{ name: 'a', image: 'agent', ports: [{ containerPort: 9100, hostPort: 8080 }] }] } } } });
    const r = load(pod('holder', { nodeName: 'node-1', ports: [{ containerPort: 80, hostPort: 8080 }] }), daemonSet);
    expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(r.model!.pods.filter((p) => p.name.startsWith('agent-')).map((p) => p.node)).toEqual(['node-2']);
    const pending = r.model!.pendingPods ?? [];
    expect(pending.map((p) => [p.name.startsWith('agent-'), p.node, 'unschedulable' in p ? p.unschedulable : ''])).toEqual([
      [true, undefined, "0/2 nodes are available: 1 node(s) didn't have free ports for the requested pod ports, 1 node(s) didn't satisfy plugin(s) [NodeAffinity]. preemption: 0/2 nodes are available: 1 No preemption victims found for incoming pod, 1 Preemption is not helpful for scheduling."],
    ]);
    expect(r.diagnostics.filter((d) => d.code === 'unschedulable').map((d) => d.severity)).toEqual(['warning']);
  });

  it('counts each node under its first failing filter, selector before ports, sorted', () => {
    const n = (name: string, zone: string): ModelNode => ({ name, ip: '192.168.0.1', labels: { zone }, netns: name, ready: true, subnet: 0, blocks: [] });
    const nodes = [n('a', 'x'), n('b', 'y'), n('c', 'y')];
    const l = new NodeLoad(nodes);
    const tcp = [{ protocol: 'TCP', hostIP: '0.0.0.0', port: 80 }];
    l.bind('a', tcp);
    l.bind('b', tcp);
    expect(schedule(nodes, l, { nodeSelector: { zone: 'x' }, hostPorts: tcp })).toEqual({ unschedulable: "0/3 nodes are available: 1 node(s) didn't have free ports for the requested pod ports, 2 node(s) didn't match Pod's node affinity/selector. preemption: 0/3 nodes are available: 1 No preemption victims found for incoming pod, 2 Preemption is not helpful for scheduling." });
    expect(schedule(nodes, l, { hostPorts: tcp })).toMatchObject({ node: { name: 'c' } });
  });

  it('clashes on the same protocol and port when the host IPs overlap (0.0.0.0 overlaps every address)', () => {
    const nodes: ModelNode[] = [{ name: 'a', ip: '192.168.0.1', labels: {}, netns: 'a', ready: true, subnet: 0, blocks: [] }];
    const fits = (held: Port[], want: Port[]) => {
      const l = new NodeLoad(nodes);
      l.bind('a', hostPortClaims({ containers: [{ name: 'c', ports: held }] }));
      return 'node' in schedule(nodes, l, { hostPorts: hostPortClaims({ containers: [{ name: 'c', ports: want }] })! });
    };
    expect(fits([{ containerPort: 1, hostPort: 80 }], [{ containerPort: 2, hostPort: 80 }])).toBe(false);
    expect(fits([{ containerPort: 1, hostPort: 80 }], [{ containerPort: 2, hostPort: 80, protocol: 'UDP' }])).toBe(true);
    expect(fits([{ containerPort: 1, hostPort: 80, hostIP: '10.0.0.1' }], [{ containerPort: 2, hostPort: 80, hostIP: '10.0.0.2' }])).toBe(true);
    expect(fits([{ containerPort: 1, hostPort: 80, hostIP: '10.0.0.1' }], [{ containerPort: 2, hostPort: 80 }])).toBe(false);
    expect(fits([{ containerPort: 1, hostPort: 80 }], [{ containerPort: 2, hostPort: 81 }])).toBe(true);
    // A containerPort without hostPort claims nothing outside hostNetwork.
    expect(hostPortClaims({ containers: [{ name: 'c', ports: [{ containerPort: 80 }] }] })).toBeUndefined();
    expect(hostPortClaims({ hostNetwork: true, containers: [{ name: 'c', ports: [{ containerPort: 80 }] }] })).toEqual([{ protocol: 'TCP', hostIP: '0.0.0.0', port: 80 }]);
  });
});
