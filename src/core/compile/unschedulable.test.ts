/**
 * A pod no node can take (a nodeSelector no node matches, a host port held on every node) is
 * accepted and left Pending, as kube-scheduler leaves it: a warning at its manifest with the
 * FailedScheduling message, the pod with no node, no netns and no IP, and the rest of the
 * cluster built and usable.
 */
import { describe, expect, it } from 'vitest';
import { loadScenario } from './load';
import { renderGetPods } from '../render/kubectl';
import { renderDescribeNode, renderDescribePod } from '../shell/kubectl-describe';
import { summarizeModel } from '../view/summary';
import { traceFlow } from '../simulate/flow';
import { computeReachability } from '../simulate/reach';
import { runTraffic } from '../simulate/run';

const CLUSTER = JSON.stringify({ apiVersion: 'hopscope/v1alpha1', kind: 'Cluster', metadata: { name: 'two' }, spec: { nodes: 2, dns: false, cni: { plugin: 'flannel' } } });
const pod = (name: string, labels: Record<string, string>, spec: Record<string, unknown> = {}) => JSON.stringify({ apiVersion: 'v1', kind: 'Pod', metadata: { name, labels }, spec: { containers: [{ name: 'c', image: 'nginx', ports: [{ containerPort: 80 }] }], ...spec } });
const service = (name: string, app: string) => JSON.stringify({ apiVersion: 'v1', kind: 'Service', metadata: { name }, spec: { selector: { app }, ports: [{ port: 80 }] } });

/** Pod `a` asks for an ssd node, and neither node has the label; `b` and `c` run. */
const SCENARIO = [CLUSTER, pod('a', { app: 'a' }, { nodeSelector: { disktype: 'ssd' } }), pod('b', { app: 'b' }), pod('c', { app: 'b' }), service('a', 'a'), service('b', 'b')].join('\n---\n');
const WHY = "0/2 nodes are available: 2 node(s) didn't match Pod's node affinity/selector. preemption: 0/2 nodes are available: 2 Preemption is not helpful for scheduling.";

describe('a pod no node can take', () => {
  const r = loadScenario(SCENARIO);
  const m = r.model!;

  it('is a warning at the pod with the scheduler’s message, not an error: the model is built', () => {
    expect(r.hasErrors).toBe(false);
    const w = r.diagnostics.filter((d) => d.code === 'unschedulable');
    expect(w.map((d) => [d.severity, d.message, d.pos.line])).toEqual([['warning', `pod default/a: ${WHY}`, 3]]);
    expect(m.pods.map((p) => p.name)).toEqual(['b', 'c']);
  });

  it('is Pending with no node, no netns and no IP', () => {
    expect(m.pendingPods).toEqual([{ namespace: 'default', name: 'a', labels: { app: 'a' }, containers: [{ name: 'c', image: 'nginx', ports: [{ containerPort: 80, protocol: 'TCP' }] }], unschedulable: WHY, nodeSelector: { disktype: 'ssd' } }]);
    expect([...m.netns.values()].some((ns) => ns.pod === 'default/a')).toBe(false);
    // Nothing was set up for it: no CNI call.
    expect(m.cniLog.some((i) => i.pod === 'default/a')).toBe(false);
  });

  it('changes nothing else: the other pods and namespaces are as without it', () => {
    const without = loadScenario([CLUSTER, pod('b', { app: 'b' }), pod('c', { app: 'b' })].join('\n---\n')).model!;
    expect(m.pods).toEqual(without.pods);
    expect([...m.netns.keys()]).toEqual([...without.netns.keys()]);
  });

  it('kubectl get pods: 0/1 Pending, and <none> for IP and NODE with -o wide', () => {
    const rows = renderGetPods(m, { wide: true }).split('\n');
    expect(rows.find((l) => l.startsWith('a '))).toMatch(/^a\s+0\/1\s+Pending\s+0\s+<unknown>\s+<none>\s+<none>\s+<none>\s+<none>$/);
    expect(rows.filter((l) => /\s1\/1\s+Running\s/.test(l))).toHaveLength(2);
    expect(renderGetPods(m, {}).split('\n')[1]).toBe('a      0/1     Pending   0          <unknown>');
  });

  it('kubectl describe pod: Node <none>, no Start Time, PodScheduled False, and the FailedScheduling event', () => {
    const text = renderDescribePod(m, 'a', 'default')!;
    expect(text).toBe(
      [
        'Name:             a',
        'Namespace:        default',
        'Priority:         0',
        'Service Account:  default',
        'Node:             <none>',
        'Labels:           app=a',
        'Annotations:      <none>',
        'Status:           Pending',
        'IP:               ',
        'IPs:              <none>',
        'Containers:',
        '  c:',
        '    Image:        nginx',
        '    Port:         80/TCP',
        '    Host Port:    0/TCP',
        '    Environment:  <none>',
        'Conditions:',
        '  Type           Status',
        '  PodScheduled   False ',
        // (A line with no tab, "Conditions:", ends tabwriter's column block: a new width below.)
        'QoS Class:       BestEffort',
        'Node-Selectors:  disktype=ssd',
        'Tolerations:     node.kubernetes.io/not-ready:NoExecute op=Exists for 300s',
        '                 node.kubernetes.io/unreachable:NoExecute op=Exists for 300s',
        'Events:',
        '  Type     Reason            Age        From               Message',
        '  ----     ------            ----       ----               -------',
        `  Warning  FailedScheduling  <unknown>  default-scheduler  ${WHY}`,
        '',
      ].join('\n'),
    );
    // On no node's list.
    for (const n of m.nodes) expect(renderDescribeNode(m, n.name)).not.toMatch(/\sa\s+0 \(0%\)/);
  });

  it('the view summary lists it apart, with no node and the scheduler’s reason', () => {
    const s = summarizeModel(m);
    expect(s.pendingPods).toEqual([{ id: 'pending:default/a', namespace: 'default', name: 'a', status: 'Pending', containers: [{ name: 'c', image: 'nginx', ports: ['80/TCP'] }], labels: { app: 'a' }, unschedulable: WHY }]);
    expect(s.netns.some((ns) => ns.pod?.name === 'a')).toBe(false);
  });

  it('is never an endpoint: its Service has none and says why', () => {
    const slice = m.endpointSlices.find((x) => x.metadata.labels?.['kubernetes.io/service-name'] === 'a')!;
    expect(slice.endpoints ?? []).toEqual([]);
    expect(r.diagnostics.filter((d) => d.code === 'selector-no-match').map((d) => d.message)).toEqual([
      'Service default/a: selector app=a matches only pods without an IP in namespace default (1 Pending: no node could take it); the Service has no endpoints (connections are refused)',
    ]);
    const b = m.endpointSlices.find((x) => x.metadata.labels?.['kubernetes.io/service-name'] === 'b')!;
    expect((b.endpoints ?? []).map((e) => e.targetRef?.name).sort()).toEqual(['b', 'c']);
  });

  it('a flow from or to it is refused with the reason, not a crash', () => {
    const why = `pod default/a is Pending: not scheduled (${WHY})`;
    const from = traceFlow(m, { from: 'pod/a', to: 'pod/default/b:80' });
    expect(!from.ok && from.error).toBe(why);
    const to = traceFlow(m, { from: 'pod/b', to: 'pod/default/a:80' });
    expect(!to.ok && to.error).toBe(why);
    const ok = traceFlow(m, { from: 'pod/b', to: 'pod/default/c:80' });
    expect(ok.ok && ok.flow.verdict).toBe('delivered');
  });

  it('a Traffic run reports the request from it and a fault on it with the reason, and sends the others', () => {
    const traffic = JSON.stringify({ apiVersion: 'hopscope/v1alpha1', kind: 'Traffic', metadata: { name: 't' }, spec: { requests: [{ from: 'pod/a', to: 'pod/default/b:80', count: 1 }, { from: 'pod/b', to: 'pod/default/c:80', count: 2 }], faults: [{ after: 0, action: 'not-ready', target: 'pod/a' }] } });
    const loaded = loadScenario(`${SCENARIO}\n---\n${traffic}`);
    const run = runTraffic(loaded.model!, loaded.scenario);
    expect(run.errors).toEqual([`fault not-ready pod/a: pod default/a is Pending: not scheduled (${WHY})`, `pod/a → pod/default/b:80: pod default/a is Pending: not scheduled (${WHY})`]);
    expect(run.requests[1]!.delivered).toBe(2);
  });

  it('is not a row of the reachability matrix', () => {
    const reach = computeReachability(m, { port: 80, dns: false });
    expect(reach.ok && reach.matrix.pods).toEqual(['default/b', 'default/c']);
  });
});

describe('a Deployment with more hostPort replicas than nodes', () => {
  const deployment = JSON.stringify({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web' }, spec: { replicas: 3, selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image: 'nginx', ports: [{ containerPort: 80, hostPort: 8080 }] }] } } } });
  const r = loadScenario([CLUSTER, deployment, service('web', 'web')].join('\n---\n'));
  const m = r.model!;

  it('runs one replica per node and leaves the third Pending, owned by the ReplicaSet', () => {
    expect(r.hasErrors).toBe(false);
    expect(m.pods.map((p) => p.node).sort()).toEqual(['node-1', 'node-2']);
    expect(m.pendingPods).toHaveLength(1);
    const p = m.pendingPods![0]!;
    expect(p.node).toBeUndefined();
    expect(p.owner).toMatch(/^ReplicaSet\/web-/);
    expect('unschedulable' in p && p.unschedulable).toBe("0/2 nodes are available: 2 node(s) didn't have free ports for the requested pod ports. preemption: 0/2 nodes are available: 2 No preemption victims found for incoming pod.");
    expect(renderGetPods(m, {})).toMatch(new RegExp(`^${p.name}\\s+0/1\\s+Pending\\s`, 'm'));
  });

  it('the Service has the two running replicas only', () => {
    const slice = m.endpointSlices.find((x) => x.metadata.labels?.['kubernetes.io/service-name'] === 'web')!;
    expect((slice.endpoints ?? []).map((e) => e.addresses[0]).sort()).toEqual(m.pods.map((p) => p.ip).sort());
    expect(r.diagnostics.some((d) => d.code === 'selector-no-match')).toBe(false);
  });
});
