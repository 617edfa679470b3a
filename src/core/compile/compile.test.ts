import { describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { cluster } from '../testing/cluster';
import { loadScenario } from './load';
import { renderIpRoute } from '../render/ip-route';
import { renderIpNeigh } from '../render/ip-neigh';
import { renderBridgeFdb } from '../render/bridge-fdb';
import { calicoVethName } from '../cni/calico';

describe('controllers', () => {
  it('gives each node the next /24 of the pod CIDR and each pod the next address after the gateway', () => {
    const c = cluster().nodes(3).cni('flannel').pod('a', { node: 'node-2' }).pod('b', { node: 'node-2' }).build();
    expect(c.model.nodes.map((n) => n.podCIDR)).toEqual(['10.244.0.0/24', '10.244.1.0/24', '10.244.2.0/24']);
    expect(c.model.pods.map((p) => p.ip)).toEqual(['10.244.1.2', '10.244.1.3']);
  });

  it('spreads unpinned pods over the nodes and honours nodeSelector', () => {
    const c = cluster()
      .nodes([{ name: 'n1' }, { name: 'n2' }])
      .pod('x')
      .pod('y')
      .raw(JSON.stringify({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'z' }, spec: { nodeSelector: { 'kubernetes.io/hostname': 'n1' }, containers: [{ name: 'c' }] } }))
      .build();
    expect(c.model.pods.map((p) => `${p.name}@${p.node}`)).toEqual(['x@n1', 'y@n2', 'z@n1']);
  });

  it('creates Deployment pods with ReplicaSet-style names, deterministically', () => {
    const dep = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web' }, spec: { replicas: 3, selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'nginx', image: 'nginx' }] } } } };
    const a = cluster().raw(JSON.stringify(dep)).build().model.pods;
    const b = cluster().raw(JSON.stringify(dep)).build().model.pods;
    expect(a.map((p) => p.name)).toEqual(b.map((p) => p.name));
    expect(a).toHaveLength(3);
    for (const p of a) {
      expect(p.name).toMatch(/^web-[bcdfghjklmnpqrstvwxz2456789]{10}-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
      expect(p.labels['pod-template-hash']).toBe(p.name.split('-')[1]);
      expect(p.owner).toMatch(/^ReplicaSet\/web-/);
    }
  });

  it('reports a pod naming a missing node at the pod, and keeps the rest', () => {
    const c = cluster().pod('a', { node: 'node-9' }).pod('b').build();
    const d = c.result.diagnostics.find((x) => x.code === 'missing-node')!;
    expect(d.message).toMatch(/node "node-9" does not exist/);
    expect(d.pos.line).toBeGreaterThan(1);
    expect(c.model.pods.map((p) => p.name)).toEqual(['b']);
  });

  it('reports an exhausted pod range with host-local’s message', () => {
    const b = cluster().nodes(1).raw('');
    const text = b.yaml().replace('"nodes":1', '"nodes":1,"nodeCIDRMaskSize":29');
    let yaml = text;
    for (let i = 0; i < 7; i++) yaml += `---\n{"apiVersion":"v1","kind":"Pod","metadata":{"name":"p${i}"},"spec":{"containers":[{"name":"c"}]}}\n`;
    const r = loadScenario(yaml);
    const errs = r.diagnostics.filter((d) => d.code === 'sandbox-failed');
    expect(errs).toHaveLength(2); // a /29 has 6 hosts, one is the gateway
    expect(errs[0]!.message).toMatch(/no IP addresses available in range set: 10\.244\.0\.1-10\.244\.0\.6/);
    // The pods wait in ContainerCreating; the cluster is built (sandbox-failure.test.ts).
    expect(errs.map((e) => e.severity)).toEqual(['warning', 'warning']);
    expect(r.hasErrors).toBe(false);
    expect(r.model!.pods).toHaveLength(5);
    expect(r.model!.pendingPods?.map((p) => p.name)).toEqual(['p5', 'p6']);
  });

  it('words an exhausted range as the kubelet’s event: the CRI error around containerd’s, around libcni’s around host-local’s', () => {
    // host-local cmdAdd: fmt.Errorf("failed to allocate for range %d: %v", idx, err); libcni:
    // fmt.Errorf("plugin %s failed (add): %w", pluginDescription(...)) with type="<plugin type>".
    // flannel's "failed to delegate add: %w" wraps a *types.Error, which skel unwraps (errors.As).
    // containerd RunPodSandbox: "failed to setup network for sandbox %q: %w" (the sandbox id), sent
    // as a gRPC Unknown; kubelet kuberuntime: Eventf(..., "Failed to create pod sandbox: %v", err).
    for (const [plugin, type] of [['flannel', 'flannel'], ['bridge', 'bridge'], ['kubenet', 'bridge']] as const) {
      let yaml = `{"apiVersion":"hopscope/v1alpha1","kind":"Cluster","spec":{"nodes":1,"nodeCIDRMaskSize":30,"dns":false,"cni":{"plugin":"${plugin}"}}}\n`;
      for (let i = 0; i < 2; i++) yaml += `---\n{"apiVersion":"v1","kind":"Pod","metadata":{"name":"p${i}"},"spec":{"containers":[{"name":"c"}]}}\n`;
      const r = loadScenario(yaml);
      const errs = r.diagnostics.filter((d) => d.code === 'sandbox-failed');
      const sandbox = r.model!.cniLog.find((i) => i.pod === 'default/p1')!.containerId;
      expect(errs.map((e) => e.message)).toEqual([
        `pod default/p1 on node-1: Failed to create pod sandbox: rpc error: code = Unknown desc = failed to setup network for sandbox "${sandbox}": plugin type="${type}" failed (add): failed to allocate for range 0: no IP addresses available in range set: 10.244.0.1-10.244.0.2`,
      ]);
    }
  });

  it('accepts a service CIDR carved from the pod CIDR (GKE 10.0.0.0/14 + 10.3.240.0/20) and keeps node ranges out of it', () => {
    // kube-controller-manager's range allocator occupies the service range in the cluster CIDR
    // (nodeipam/ipam/range_allocator.go filterOutServiceRange); spec/pod-networking.md §0.
    const g = loadScenario('{"apiVersion":"hopscope/v1alpha1","kind":"Cluster","spec":{"nodes":2,"podCIDR":"10.0.0.0/14","serviceCIDR":"10.3.240.0/20","cni":{"plugin":"kubenet"}}}\n');
    expect(g.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    const r = loadScenario('{"apiVersion":"hopscope/v1alpha1","kind":"Cluster","spec":{"nodes":3,"dns":false,"podCIDR":"10.0.0.0/22","serviceCIDR":"10.0.1.0/24","cni":{"plugin":"flannel"}}}\n');
    expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(r.model!.nodes.map((n) => n.podCIDR)).toEqual(['10.0.0.0/24', '10.0.2.0/24', '10.0.3.0/24']);
    // Calico's IPAM ignores node ranges and would hand out blocks inside the service range.
    const c = loadScenario('{"apiVersion":"hopscope/v1alpha1","kind":"Cluster","spec":{"podCIDR":"10.0.0.0/14","serviceCIDR":"10.3.240.0/20","cni":{"plugin":"calico"}}}\n');
    expect(c.diagnostics.some((d) => d.severity === 'error' && d.code === 'cidr-overlap')).toBe(true);
  });

  it('reports a pod CIDR too small for the nodes', () => {
    const r = loadScenario('{"apiVersion":"hopscope/v1alpha1","kind":"Cluster","spec":{"nodes":3,"podCIDR":"10.244.0.0/23"}}\n');
    const err = r.diagnostics.find((d) => d.severity === 'error')!;
    expect(err.message).toMatch(/room for 2 nodes, but the cluster has 3/);
    expect(err.pos).toMatchObject({ line: 1 });
  });

  it('pins a pod IP from the annotation and places the pod on the node whose range holds it', () => {
    const c = cluster().nodes(2).pod('a', { ip: '10.244.1.50' }).build();
    expect(c.model.pods[0]).toMatchObject({ ip: '10.244.1.50', node: 'node-2' });
    const bad = cluster().pod('a', { ip: '10.9.0.1' }).build();
    expect(bad.result.diagnostics.find((d) => d.code === 'pod-ip-outside')?.message).toMatch(/outside the cluster pod CIDR/);
  });

  it('warns when two containers of a pod want the same port (one netns, one port space)', () => {
    const pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { containers: [{ name: 'a', ports: [{ containerPort: 80 }] }, { name: 'b', ports: [{ containerPort: 80 }] }] } };
    const c = cluster().raw(JSON.stringify(pod)).build();
    expect(c.result.diagnostics.find((d) => d.code === 'port-in-use')?.message).toMatch(/bind: address already in use/);
    // The second container's bind fails: the pod is not Ready and no endpoint of any Service.
    expect(c.model.pods.find((p) => p.name === 'p')?.ready).toBe(false);
  });
});

describe('CNI as the runtime calls it', () => {
  it('calls ADD for lo, then eth0 with the flannel conflist, and records a 0.3.1 result', () => {
    const c = cluster().cni('flannel').pod('a', { node: 'node-2' }).build();
    const calls = c.model.cniLog.filter((x) => x.pod === 'default/a');
    expect(calls.map((x) => `${x.command} ${x.ifname}`)).toEqual(['ADD lo', 'ADD eth0']);
    expect(calls[0]!.result).toMatchObject({ interfaces: [{ name: 'lo', mac: '00:00:00:00:00:00' }], ips: [{ address: '127.0.0.1/8' }] });
    expect(calls[1]!.config).toMatchObject({ name: 'cbr0', cniVersion: '0.3.1', plugins: [{ type: 'flannel' }, { type: 'portmap' }] });
    const result = calls[1]!.result as { interfaces: { name: string; sandbox?: string }[]; ips: unknown[]; routes: unknown[] };
    expect(result.interfaces.map((i) => i.name)).toEqual(['cni0', expect.stringMatching(/^veth[0-9a-f]{8}$/), 'eth0']);
    expect(result.interfaces[2]!.sandbox).toMatch(/^\/var\/run\/netns\/cni-[0-9a-f]{8}-[0-9a-f]{4}-/);
    expect(result.ips).toEqual([{ version: '4', interface: 2, address: '10.244.1.2/24', gateway: '10.244.1.1' }]);
    expect(result.routes).toEqual([{ dst: '10.244.0.0/16' }, { dst: '0.0.0.0/0', gw: '10.244.1.1' }]);
  });

  it('flannel VXLAN installs one route, one PERMANENT neighbour and one FDB entry per remote node', () => {
    const c = cluster().nodes(3).cni('flannel', { backend: 'vxlan' }).build();
    const n2 = c.model.netns.get('node-2')!;
    expect(renderIpRoute(n2)).toBe(
      ['default via 192.168.0.1 dev eth0 proto static ', '10.244.0.0/24 via 10.244.0.0 dev flannel.1 onlink ', '10.244.2.0/24 via 10.244.2.0 dev flannel.1 onlink ', '192.168.0.0/24 dev eth0 proto kernel scope link src 192.168.0.12 ', ''].join('\n'),
    );
    expect(renderIpNeigh(n2)).toMatch(/^10\.244\.0\.0 dev flannel\.1 lladdr [0-9a-f:]{17} PERMANENT \n10\.244\.2\.0 dev flannel\.1 lladdr [0-9a-f:]{17} PERMANENT \n$/);
    // vxlan_fdb_dump lists the newest entry first (Linux 6.16+).
    expect(renderBridgeFdb(n2, { dev: 'flannel.1' })).toMatch(/^[0-9a-f:]{17} dst 192\.168\.0\.13 self permanent\n[0-9a-f:]{17} dst 192\.168\.0\.11 self permanent\n$/);
    // The MAC in node-2's neighbour entry for node-1's lease is node-1's flannel.1 MAC.
    const mac1 = c.model.netns.get('node-1')!.devices.find((d) => d.name === 'flannel.1')!.mac;
    expect(n2.neighbours[0]!.mac).toBe(mac1);
  });

  it('calico names host veths cali + 11 hex of SHA-1("<ns>.<pod>") and gives pods a /32 and 169.254.1.1', () => {
    expect(calicoVethName('default', 'web')).toBe('cali' + createHash('sha1').update('default.web').digest('hex').slice(0, 11));
    const c = cluster().cni('calico', { backend: 'ipip' }).pod('web', { node: 'node-1' }).build();
    const pod = c.model.netns.get('pod:default/web')!;
    expect(renderIpRoute(pod)).toBe('default via 169.254.1.1 dev eth0 \n169.254.1.1 dev eth0 scope link \n');
    expect(pod.devices.map((d) => `${d.ifindex}:${d.name}`)).toEqual(['1:lo', '2:tunl0', '3:eth0']);
    const host = c.model.netns.get('node-1')!;
    const routes = renderIpRoute(host);
    expect(routes).toMatch(/^blackhole 10\.244\.\d+\.\d+\/26 proto bird $/m);
    expect(routes).toMatch(new RegExp(`^${c.model.pods[0]!.ip} dev ${calicoVethName('default', 'web')} scope link $`, 'm'));
    expect(routes).toMatch(/via 192\.168\.0\.12 dev tunl0 proto bird onlink $/m);
    expect(host.devices.find((d) => d.name === calicoVethName('default', 'web'))).toMatchObject({ mac: 'ee:ee:ee:ee:ee:ee', proxyArp: true });
  });
});
