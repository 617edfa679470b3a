// Services through the one walker, per type and traffic policy, with the reply path checked:
// kube-proxy's iptables rules (programmed by compile) decide, netfilter and conntrack act.
import { describe, expect, it } from 'vitest';
import type { BuiltCluster, ClusterBuilder } from '../testing/cluster';
import type { Flow } from '../trace/types';
import { cluster, delivered, innerIp } from '../testing/cluster';
import { renderIptablesSave } from '../render/iptables-save';

type Spec = Record<string, unknown>;

function service(name: string, spec: Spec): string {
  return JSON.stringify({ apiVersion: 'v1', kind: 'Service', metadata: { name, namespace: 'default' }, spec });
}

/** Two nodes; web pods on the nodes listed; a client pod on node-1. */
function withWeb(nodes: string[], ...services: string[]): BuiltCluster {
  let b: ClusterBuilder = cluster().nodes(2).cni('bridge').seed(3).pod('client', { node: 'node-1' });
  nodes.forEach((n, i) => (b = b.pod(`web-${i + 1}`, { node: n, ports: [8080], labels: { app: 'web' } })));
  for (const s of services) b = b.raw(s);
  return b.build();
}

const PORT = { selector: { app: 'web' }, ports: [{ port: 80, targetPort: 8080 }] };

function vipOf(c: BuiltCluster, name: string): string {
  return c.model.services.find((s) => s.metadata.name === name)!.spec.clusterIP!;
}

function nodePortOf(c: BuiltCluster, name: string): number {
  return c.model.services.find((s) => s.metadata.name === name)!.spec.ports![0]!.nodePort!;
}

function natHop(f: Flow, hook: string) {
  return f.hops.find((h) => h.stage === `netfilter:nat/${hook}` && h.changed?.includes('ipv4.dst'));
}

function podIp(c: BuiltCluster, name: string): string {
  return c.model.pods.find((p) => p.name === name)!.ip;
}

/** The reply as the client received it. */
function replyIp(f: Flow) {
  return innerIp(delivered(f.reply!));
}

describe('ClusterIP', () => {
  const c = withWeb(['node-1', 'node-2'], service('web', PORT));
  const vip = vipOf(c, 'web');

  it('from a pod: DNAT in the node PREROUTING, client address kept, reply un-DNATed to the VIP', () => {
    const f = c.trace('pod/client', `${vip}:80`);
    expect(f.verdict).toBe('delivered');
    const dnat = natHop(f, 'PREROUTING')!;
    expect(dnat.netns).toBe('node-1');
    expect(dnat.rule?.chain).toMatch(/^KUBE-SEP-/);
    expect(dnat.rule?.evaluated?.length).toBeGreaterThan(2);
    expect(innerIp(delivered(f)).src).toBe(podIp(c, 'client'));
    expect(['default/web-1', 'default/web-2']).toContain(f.endpoint);
    expect(f.reply?.verdict).toBe('delivered');
    expect(replyIp(f)).toMatchObject({ src: vip, dst: podIp(c, 'client') });
  });

  it('from a node: DNAT in nat OUTPUT, masqueraded (the node is outside the cluster CIDR), reply home', () => {
    const f = c.trace('node/node-2', `${vip}:80`);
    expect(f.verdict).toBe('delivered');
    expect(natHop(f, 'OUTPUT')?.netns).toBe('node-2');
    expect(replyIp(f).src).toBe(vip);
  });

  it('leaves ports the Service does not declare alone (no rule matches, nothing answers)', () => {
    const f = c.trace('pod/client', `${vip}:81`);
    expect(f.verdict).toBe('dropped');
    expect(natHop(f, 'PREROUTING')).toBeUndefined();
  });

  it('spreads new connections over both endpoints and is reproducible by seed', () => {
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
    expect(f.hops.some((hop) => hop.stage === 'netfilter:nat/POSTROUTING' && hop.changed?.includes('ipv4.src'))).toBe(true);
    expect(replyIp(f).src).toBe(vipOf(h, 'web'));
  });

  it('same-node endpoint (bridged DNAT): the ARP request comes from the bridge address, and the reply is bridged straight back', () => {
    // arp_solicit (net/ipv4/arp.c, arp_announce 0) uses the packet's source only when it is a
    // local address; the DNATed pod packet's is not, so inet_select_addr picks cni0's. The server
    // thus learns the bridge's MAC for the bridge address only, resolves the client itself and
    // answers it on the bridge; br_netfilter un-DNATs the bridged reply (no routing, no TTL drop).
    const s = cluster().nodes(1).cni('flannel').seed(3).pod('client', { node: 'node-1' })
      .pod('web-1', { node: 'node-1', ports: [8080], labels: { app: 'web' } }).raw(service('web', PORT)).build();
    const f = s.trace('pod/client', `${vipOf(s, 'web')}:80`);
    expect(f.verdict).toBe('delivered');
    const arp = f.hops.find((h) => h.stage === 'arp' && h.netns === 'node-1')!;
    const req = arp.packet.headers.find((h) => h.kind === 'arp')!;
    expect(req).toMatchObject({ targetIp: '10.244.0.1' });
    expect(f.reply!.hops.some((h) => h.stage === 'forward')).toBe(false);
    expect(replyIp(f)).toMatchObject({ src: vipOf(s, 'web'), dst: podIp(s, 'client'), ttl: 64 });
  });

  it('without endpoints: the filter table REJECTs (connection refused)', () => {
    const e = withWeb([], service('web', PORT));
    const f = e.trace('pod/client', `${vipOf(e, 'web')}:80`);
    expect(f.verdict).toBe('dropped');
    expect(f.reason).toBe('reject');
    expect(e.result.diagnostics.some((d) => d.code === 'selector-no-match')).toBe(true);
  });

  it('sessionAffinity ClientIP: every connection from the client sticks to one endpoint', () => {
    const a = withWeb(['node-1', 'node-2'], service('web', { ...PORT, sessionAffinity: 'ClientIP' }));
    const ends = new Set(Array.from({ length: 20 }, (_, i) => a.trace('pod/client', `${vipOf(a, 'web')}:80`, { index: i }).endpoint));
    expect(ends.size).toBe(1);
  });

  it('internalTrafficPolicy Local: a client on a node without a local endpoint is dropped', () => {
    const l = withWeb(['node-2'], service('web', { ...PORT, internalTrafficPolicy: 'Local' }));
    expect(l.trace('pod/client', `${vipOf(l, 'web')}:80`).verdict).toBe('dropped');
    const near = withWeb(['node-1'], service('web', { ...PORT, internalTrafficPolicy: 'Local' }));
    expect(near.trace('pod/client', `${vipOf(near, 'web')}:80`).endpoint).toBe('default/web-1');
  });
});

describe('NodePort', () => {
  const np = (policy: 'Cluster' | 'Local', nodes: string[]) => withWeb(nodes, service('web', { ...PORT, type: 'NodePort', externalTrafficPolicy: policy, ports: [{ port: 80, targetPort: 8080, nodePort: 30080 }] }));

  it('Cluster policy: any node forwards, SNATs to itself, and un-NATs the reply to the client', () => {
    const c = np('Cluster', ['node-1']);
    const f = c.trace('external/client', 'node/node-2:30080');
    expect(f.verdict).toBe('delivered');
    expect(f.endpoint).toBe('default/web-1');
    const node2 = c.model.nodes.find((n) => n.name === 'node-2')!;
    expect(innerIp(delivered(f)).src).toBe(node2.ip); // the backend sees node-2, not the client
    expect(replyIp(f)).toMatchObject({ src: node2.ip });
    expect(delivered(f.reply!).headers.find((h) => h.kind === 'tcp')).toMatchObject({ sport: 30080 });
  });

  it('Local policy: the client address is preserved on a node with an endpoint', () => {
    const c = np('Local', ['node-1']);
    const f = c.trace('external/client', 'node/node-1:30080');
    expect(f.verdict).toBe('delivered');
    const client = innerIp(f.hops[0]!.packet).src;
    expect(innerIp(delivered(f)).src).toBe(client);
    expect(f.reply?.verdict).toBe('delivered');
  });

  it('Local policy: a node without a local endpoint drops the traffic instead of forwarding it', () => {
    const c = np('Local', ['node-1']);
    const f = c.trace('external/client', 'node/node-2:30080');
    expect(f.verdict).toBe('dropped');
    expect(f.hops.some((h) => h.netns.startsWith('pod:default/web'))).toBe(false);
  });

  it('allocates a NodePort in 30000-32767 when none is given', () => {
    const c = withWeb(['node-1'], service('web', { ...PORT, type: 'NodePort' }));
    const port = nodePortOf(c, 'web');
    expect(port).toBeGreaterThanOrEqual(30000);
    expect(port).toBeLessThanOrEqual(32767);
    expect(c.trace('external/client', `node/node-1:${port}`).verdict).toBe('delivered');
  });
});

describe('LoadBalancer (its NodePorts; the external load balancer device comes later)', () => {
  it('gets a NodePort and an ingress address from 203.0.113.200-250, and its NodePort answers', () => {
    const c = withWeb(['node-2'], service('web', { ...PORT, type: 'LoadBalancer' }));
    const svc = c.model.services.find((s) => s.metadata.name === 'web')!;
    const ip = svc.status!.loadBalancer!.ingress![0]!.ip!;
    const last = Number(ip.split('.')[3]);
    expect(ip.startsWith('203.0.113.')).toBe(true);
    expect(last).toBeGreaterThanOrEqual(200);
    expect(last).toBeLessThanOrEqual(250);
    const f = c.trace('external/client', `node/node-1:${nodePortOf(c, 'web')}`);
    expect(f.verdict).toBe('delivered');
    expect(f.reply?.verdict).toBe('delivered');
    expect(renderIptablesSave(c.model.netns.get('node-1')!.netfilter, { tables: ['nat'] })).toContain(`-d ${ip}/32 -p tcp -m comment --comment "default/web loadbalancer IP"`);
  });
});

describe('headless and ExternalName', () => {
  it('headless (clusterIP: None): no VIP, no rules; pods are reached directly', () => {
    const c = withWeb(['node-2'], service('web', { ...PORT, clusterIP: 'None' }));
    expect(vipOf(c, 'web')).toBe('None');
    expect(renderIptablesSave(c.model.netns.get('node-1')!.netfilter)).not.toContain('default/web');
    expect(c.model.endpointSlices.some((e) => e.metadata.labels?.['kubernetes.io/service-name'] === 'web')).toBe(true);
    expect(c.trace('pod/client', `pod/default/web-1:8080`).verdict).toBe('delivered');
  });

  it('ExternalName: no ClusterIP, no endpoints, no rules', () => {
    const c = withWeb(['node-2'], service('db', { type: 'ExternalName', externalName: 'db.example.com' }));
    const svc = c.model.services.find((s) => s.metadata.name === 'db')!;
    expect(svc.spec.clusterIP).toBeUndefined();
    expect(c.model.endpointSlices.some((e) => e.metadata.labels?.['kubernetes.io/service-name'] === 'db')).toBe(false);
    expect(renderIptablesSave(c.model.netns.get('node-1')!.netfilter)).not.toContain('default/db');
  });
});

describe('default/kubernetes', () => {
  it('takes the first service address and reaches the apiserver on node-1:6443', () => {
    const c = withWeb([]);
    expect(vipOf(c, 'kubernetes')).toBe('10.96.0.1');
    const f = c.trace('pod/client', '10.96.0.1:443');
    expect(f.verdict).toBe('delivered');
    expect(f.endpoint).toBe('node-1');
  });
});

describe('terminating endpoints (a pod with a deletionTimestamp, KEP 1672/1669)', () => {
  const terminatingPod = (name: string, node: string) =>
    JSON.stringify({ apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'default', labels: { app: 'web' }, deletionTimestamp: '2026-01-01T00:00:00Z' }, spec: { nodeName: node, containers: [{ name: 'c', image: 'nginx', ports: [{ containerPort: 8080 }] }] } });

  it('a ready endpoint exists: new connections never go to the terminating pod', () => {
    const c = withWeb(['node-1'], service('web', PORT), terminatingPod('old', 'node-2'));
    const ends = new Set(Array.from({ length: 20 }, (_, i) => c.trace('pod/client', `${vipOf(c, 'web')}:80`, { index: i }).endpoint));
    expect([...ends]).toEqual(['default/web-1']);
  });

  it('only terminating endpoints: kube-proxy falls back to the serving ones rather than rejecting', () => {
    const c = withWeb([], service('web', PORT), terminatingPod('old', 'node-2'));
    const f = c.trace('pod/client', `${vipOf(c, 'web')}:80`);
    expect(f.verdict).toBe('delivered');
    expect(f.endpoint).toBe('default/old');
  });
});
