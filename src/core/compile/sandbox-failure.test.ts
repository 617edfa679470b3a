/**
 * A pod whose sandbox cannot be created (its CNI ADD finds no free address) is left
 * ContainerCreating, as the kubelet leaves it: a warning at its manifest, the pod bound to its
 * node with no netns and no IP, and the rest of the cluster built and usable.
 */
import { describe, expect, it } from 'vitest';
import { loadScenario } from './load';
import { renderGetPods } from '../render/kubectl';
import { renderDescribePod } from '../shell/kubectl-describe';
import { traceFlow } from '../simulate/flow';
import { computeReachability } from '../simulate/reach';
import { renderCniLog } from '../render/cni-log';
import { runTraffic } from '../simulate/run';
import type { SandboxlessPod } from '../model/types';

/** One node whose /29 leaves 5 pod addresses (.1 is the gateway), and a Deployment of `replicas`. */
function scenario(replicas: number, extra: Record<string, unknown> = {}): string {
  return [
    JSON.stringify({ apiVersion: 'hopscope/v1alpha1', kind: 'Cluster', metadata: { name: 'small' }, spec: { nodes: 1, podCIDR: '10.244.0.0/16', nodeCIDRMaskSize: 29, dns: false, cni: { plugin: 'bridge' }, ...extra } }),
    JSON.stringify({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web' }, spec: { replicas, selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image: 'nginx', ports: [{ containerPort: 80 }] }] } } } }),
    JSON.stringify({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'web' }, spec: { selector: { app: 'web' }, ports: [{ port: 80 }] } }),
  ].join('\n---\n');
}

const EXHAUSTED = /^Failed to create pod sandbox: rpc error: code = Unknown desc = failed to setup network for sandbox "[0-9a-f]{64}": plugin type="bridge" failed \(add\): failed to allocate for range 0: no IP addresses available in range set: 10\.244\.0\.1-10\.244\.0\.6$/;

describe('a pod whose sandbox failed', () => {
  const r = loadScenario(scenario(8));
  const m = r.model!;
  // Every pod here was bound to the node: each waits for its sandbox.
  const pending = (m.pendingPods ?? []) as SandboxlessPod[];

  it('is a warning at the Deployment, not an error: the model is built', () => {
    expect(r.hasErrors).toBe(false);
    const warnings = r.diagnostics.filter((d) => d.code === 'sandbox-failed');
    expect(warnings).toHaveLength(3);
    for (const w of warnings) {
      expect(w.severity).toBe('warning');
      expect(w.pos.line).toBe(3); // the Deployment's document
      expect(w.message.replace(/^pod default\/web-\S+ on node-1: /, '')).toMatch(EXHAUSTED);
    }
    expect(m.pods).toHaveLength(5);
  });

  it('is bound to its node with no netns and no IP, and the event message', () => {
    expect(pending.map((p) => p.node)).toEqual(['node-1', 'node-1', 'node-1']);
    for (const p of pending) {
      expect(p.sandboxError).toMatch(EXHAUSTED);
      expect(p.owner).toMatch(/^ReplicaSet\/web-/);
      expect([...m.netns.values()].some((ns) => ns.pod === `${p.namespace}/${p.name}`)).toBe(false);
    }
  });

  it('changes nothing else: the other pods, their namespaces and the node are as with 5 replicas', () => {
    const five = loadScenario(scenario(5)).model!;
    expect(five.pendingPods).toBeUndefined();
    expect(m.pods).toEqual(five.pods);
    expect([...m.netns.keys()]).toEqual([...five.netns.keys()]);
    const host = (x: typeof m) => x.netns.get(x.nodes[0]!.netns)!.devices.map((d) => d.name);
    expect(host(m)).toEqual(host(five)); // no veth left behind by the failed ADDs
  });

  it('was torn down by the runtime: CNI ADD lo, a failed ADD eth0, then DEL eth0 and DEL lo', () => {
    const key = `${pending[0]!.namespace}/${pending[0]!.name}`;
    const log = m.cniLog.filter((i) => i.pod === key).map((i) => `${i.command} ${i.ifname} ${i.ok ? 'ok' : 'failed'}`);
    expect(log).toEqual(['ADD lo ok', 'ADD eth0 failed', 'DEL eth0 ok', 'DEL lo ok']);
    expect(renderCniLog(m, key)).toMatch(/no IP addresses available in range set/);
  });

  it('kubectl get pods shows it 0/1 ContainerCreating, and <none> for its IP with -o wide', () => {
    const rows = renderGetPods(m, { wide: true }).split('\n');
    expect(rows[0]).toMatch(/^NAME\s+READY\s+STATUS\s+RESTARTS\s+AGE\s+IP\s+NODE\s+NOMINATED NODE\s+READINESS GATES$/);
    for (const p of pending) expect(rows.find((l) => l.startsWith(`${p.name} `))).toMatch(new RegExp(`^${p.name}\\s+0/1\\s+ContainerCreating\\s+0\\s+<unknown>\\s+<none>\\s+node-1\\s+<none>\\s+<none>$`));
    expect(rows.filter((l) => /\s1\/1\s+Running\s+0\s+<unknown>\s+10\.244\.0\.\d\s+node-1/.test(l))).toHaveLength(5);
    const all = renderGetPods(m, { allNamespaces: true });
    expect(all).toContain(`default     ${pending[0]!.name}   0/1     ContainerCreating   0          <unknown>`);
  });

  it('kubectl describe pod shows it Pending without IPs, containers waiting, and the FailedCreatePodSandBox event', () => {
    const p = pending[0]!;
    const text = renderDescribePod(m, p.name, 'default')!;
    expect(text).toMatch(/^Status: +Pending$/m);
    expect(text).toMatch(/^IP: +$/m);
    expect(text).toMatch(/^IPs: +<none>$/m);
    expect(text).toMatch(/^ {4}State: +Waiting\n {6}Reason: +ContainerCreating\n {4}Ready: +False$/m);
    expect(text).toMatch(/^ {2}PodReadyToStartContainers +False $/m);
    const events = text.slice(text.indexOf('Events:'));
    expect(events.split('\n').slice(1, 3)).toEqual(['  Type     Reason                  Age        From     Message', '  ----     ------                  ----       ----     -------']);
    expect(events.split('\n')[3]).toBe(`  Warning  FailedCreatePodSandBox  <unknown>  kubelet  ${p.sandboxError}`);
  });

  it('is left out of the Service’s endpoints (not ready, no IP)', () => {
    const slice = m.endpointSlices.find((s) => s.metadata.labels?.['kubernetes.io/service-name'] === 'web')!;
    const addresses = (slice.endpoints ?? []).map((e) => e.addresses[0]).sort();
    expect(addresses).toEqual(m.pods.map((p) => p.ip).sort());
  });

  it('cannot be traced from or to: a clear error with the reason, not a crash', () => {
    const p = pending[0]!;
    const running = m.pods[0]!;
    const why = new RegExp(`^pod default/${p.name} has no IP: its sandbox was not created \\(Failed to create pod sandbox: .*no IP addresses available in range set: 10\\.244\\.0\\.1-10\\.244\\.0\\.6\\)$`);
    const from = traceFlow(m, { from: `pod/${p.name}`, to: `pod/default/${running.name}:80` });
    expect(from.ok).toBe(false);
    expect(!from.ok && from.error).toMatch(why);
    const to = traceFlow(m, { from: `pod/${running.name}`, to: `pod/default/${p.name}:80` });
    expect(!to.ok && to.error).toMatch(why);
    // A name that is no pod at all keeps its own answer.
    const none = traceFlow(m, { from: 'pod/nope', to: `pod/default/${running.name}:80` });
    expect(!none.ok && none.error).toMatch(/^no pod default\/nope/);
  });

  it('a Traffic run lists the requests from it as errors and sends the others', () => {
    const p = pending[0]!;
    const running = m.pods[0]!;
    const traffic = JSON.stringify({ apiVersion: 'hopscope/v1alpha1', kind: 'Traffic', metadata: { name: 't' }, spec: { requests: [{ from: `pod/${p.name}`, to: 'http://web:80', count: 2 }, { from: `pod/${running.name}`, to: 'http://web:80', count: 2 }] } });
    const loaded = loadScenario(`${scenario(8)}\n---\n${traffic}`);
    const run = runTraffic(loaded.model!, loaded.scenario);
    expect(run.errors).toHaveLength(1);
    expect(run.errors[0]).toMatch(new RegExp(`^pod/${p.name} → http://web:80: pod default/${p.name} has no IP: its sandbox was not created \\(`));
    expect(run.requests[1]!.delivered).toBe(2);
  });

  it('a Traffic fault naming it says it has no sandbox, with the reason, not that there is no such pod', () => {
    const p = pending[0]!;
    const running = m.pods[0]!;
    const faults = [`pod/${p.name}`, `pod/default/${p.name}`].map((target) => ({ after: 0, action: 'not-ready', target }));
    const traffic = JSON.stringify({ apiVersion: 'hopscope/v1alpha1', kind: 'Traffic', metadata: { name: 't' }, spec: { requests: [{ from: `pod/${running.name}`, to: 'http://web:80', count: 2 }], faults: [...faults, { after: 1, action: 'delete', target: 'pod/nope' }] } });
    const loaded = loadScenario(`${scenario(8)}\n---\n${traffic}`);
    const run = runTraffic(loaded.model!, loaded.scenario);
    expect(run.errors).toEqual([
      `fault not-ready pod/${p.name}: pod default/${p.name} has no IP: its sandbox was not created (${p.sandboxError})`,
      `fault not-ready pod/default/${p.name}: pod default/${p.name} has no IP: its sandbox was not created (${p.sandboxError})`,
      'fault delete pod/nope: no such pod',
    ]);
    expect(run.requests[0]!.delivered).toBe(2);
  });

  it('is not a row of the reachability matrix; the running pods reach each other', () => {
    const reach = computeReachability(m, { port: 80, dns: false });
    expect(reach.ok).toBe(true);
    if (!reach.ok) return;
    expect(reach.matrix.pods).toEqual(m.pods.map((p) => `${p.namespace}/${p.name}`).sort());
    expect(reach.matrix.cells.flat().every((c) => c.allowed)).toBe(true);
  });
});

describe('system pods get their addresses first, as at bootstrap', () => {
  /** The issue's scenario: CoreDNS (2 replicas, kube-system) and 8 web replicas on one /29. */
  const issue = (replicas: number) => scenario(replicas).replace('"dns":false,', '');

  it('CoreDNS holds the node’s first addresses and runs; the user pods past the range wait', () => {
    const r = loadScenario(issue(8));
    expect(r.hasErrors).toBe(false);
    const m = r.model!;
    const dns = m.pods.filter((p) => p.namespace === 'kube-system');
    expect(dns.map((p) => p.ip)).toEqual(['10.244.0.2', '10.244.0.3']);
    expect(m.pendingPods!.map((p) => p.namespace)).toEqual(['default', 'default', 'default', 'default', 'default']);
    expect(m.pods.filter((p) => p.namespace === 'default').map((p) => p.ip)).toEqual(['10.244.0.4', '10.244.0.5', '10.244.0.6']);
    // kube-dns has its two endpoints: name lookups work for the running pods.
    const slice = m.endpointSlices.find((s) => s.metadata.labels?.['kubernetes.io/service-name'] === 'kube-dns')!;
    expect((slice.endpoints ?? []).map((e) => e.addresses[0])).toEqual(['10.244.0.2', '10.244.0.3']);
    expect(r.diagnostics.some((d) => /kube-dns.*matches no pod/.test(d.message))).toBe(false);
  });

  it('keeps placement and the model’s order: only the addresses on CoreDNS’s nodes move', () => {
    const two = (dns: boolean) => loadScenario(scenario(4, { nodes: 2, nodeCIDRMaskSize: 24, dns })).model!;
    const withDns = two(true);
    const without = two(false);
    // The scheduler still binds in the scenario's order: the web pods sit where they sat without DNS.
    const web = (m: ReturnType<typeof two>) => m.pods.filter((p) => p.namespace === 'default').map((p) => `${p.name}@${p.node}`);
    expect(web(withDns)).toEqual(web(without));
    expect(withDns.pods.map((p) => p.namespace)).toEqual(['default', 'default', 'default', 'default', 'kube-system', 'kube-system']);
    // Each CoreDNS replica has its node's first address; the web pods come after it.
    for (const p of withDns.pods.filter((q) => q.namespace === 'kube-system')) expect(p.ip).toMatch(/^10\.244\.[01]\.2$/);
    expect(withDns.pods.filter((p) => p.namespace === 'default').map((p) => p.ip)).toEqual(['10.244.0.3', '10.244.1.3', '10.244.0.4', '10.244.1.4']);
  });
});

describe('Calico: calico-ipam out of addresses', () => {
  const calico = (nodes: number, podCIDR: string, pods: { name: string; node?: string }[]) =>
    [
      JSON.stringify({ apiVersion: 'hopscope/v1alpha1', kind: 'Cluster', spec: { nodes, podCIDR, nodeCIDRMaskSize: 28, dns: false, cni: { plugin: 'calico' } } }),
      ...pods.map((p) => JSON.stringify({ apiVersion: 'v1', kind: 'Pod', metadata: { name: p.name }, spec: { ...(p.node ? { nodeName: p.node } : {}), containers: [{ name: 'c', image: 'nginx', ports: [{ containerPort: 80 }] }] } })),
    ].join('\n---\n');

  it('the pool’s last address gone: the pod waits with calico-ipam’s error, the others run', () => {
    // A /28 pool is one block: the IPIP tunnel takes an address, 15 pods get the rest.
    const r = loadScenario(calico(1, '10.244.0.0/28', Array.from({ length: 16 }, (_, i) => ({ name: `p${i}` }))));
    expect(r.hasErrors).toBe(false);
    const m = r.model!;
    expect(m.pods).toHaveLength(15);
    expect(m.pendingPods!.map((p) => p.name)).toEqual(['p15']);
    const w = r.diagnostics.find((d) => d.code === 'sandbox-failed')!;
    expect(w.severity).toBe('warning');
    expect(w.message).toMatch(/^pod default\/p15 on node-1: Failed to create pod sandbox: rpc error: code = Unknown desc = failed to setup network for sandbox "[0-9a-f]{64}": plugin type="calico" failed \(add\): failed to request IPv4 addresses: Assigned 0 out of 1 requested IPv4 addresses; No IPs available in pools: \[10\.244\.0\.0\/28\]$/);
    // No cali veth left on the node for it.
    const host = m.netns.get(m.nodes[0]!.netns)!;
    expect(host.devices.filter((d) => d.name.startsWith('cali'))).toHaveLength(15);
    const t = traceFlow(m, { from: 'pod/p0', to: 'pod/default/p15:80' });
    expect(!t.ok && t.error).toMatch(/^pod default\/p15 has no IP: its sandbox was not created \(.*No IPs available in pools/);
  });

  it('a node whose blocks are full borrows from another node’s block, and the address is reachable', () => {
    // A /25 is two /26 blocks, one per node (each minus its tunnel address): node-1's 64th pod borrows.
    const pods = Array.from({ length: 64 }, (_, i) => ({ name: `p${i}`, node: 'node-1' }));
    pods.push({ name: 'other', node: 'node-2' });
    const m = loadScenario(calico(2, '10.244.0.0/25', pods)).model!;
    expect(m.pendingPods).toBeUndefined();
    const borrower = m.pods.find((p) => p.name === 'p63')!;
    const block2 = m.nodes[1]!.blocks[0]!;
    expect(block2).toMatch(/^10\.244\.0\.(0|64)\/26$/);
    const [net] = block2.split('/');
    expect(Number(borrower.ip.split('.')[3]) >> 6).toBe(Number(net!.split('.')[3]) >> 6); // in node-2's block
    const there = traceFlow(m, { from: 'pod/other', to: `pod/default/p63:80` });
    expect(there.ok && there.flow.verdict).toBe('delivered');
  });
});

describe('a Service whose pods all wait for a sandbox', () => {
  it('warns that its pods have no IP, not that it selects none', () => {
    const docs = [
      JSON.stringify({ apiVersion: 'hopscope/v1alpha1', kind: 'Cluster', spec: { nodes: 1, nodeCIDRMaskSize: 30, dns: false } }),
      JSON.stringify({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'first' }, spec: { containers: [{ name: 'c', image: 'busybox' }] } }),
      JSON.stringify({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'api' }, spec: { replicas: 2, selector: { matchLabels: { app: 'api' } }, template: { metadata: { labels: { app: 'api' } }, spec: { containers: [{ name: 'c', image: 'api' }] } } } }),
      JSON.stringify({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'api' }, spec: { selector: { app: 'api' }, ports: [{ port: 80 }] } }),
      JSON.stringify({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'none' }, spec: { selector: { app: 'none' }, ports: [{ port: 80 }] } }),
    ].join('\n---\n');
    const r = loadScenario(docs);
    expect(r.model!.pendingPods!.map((p) => p.name.split('-')[0])).toEqual(['api', 'api']);
    const warn = r.diagnostics.filter((d) => d.code === 'selector-no-match').map((d) => d.message);
    expect(warn).toEqual([
      'Service default/api: selector app=api matches only pods without an IP in namespace default (2 waiting in ContainerCreating: their sandbox was not created); the Service has no endpoints (connections are refused)',
      'Service default/none: selector app=none matches no pod in namespace default; the Service has no endpoints (connections are refused)',
    ]);
  });
});
