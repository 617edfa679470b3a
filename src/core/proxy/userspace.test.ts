// kube-proxy's legacy userspace mode: proxy ports on the node, the portal rules that redirect a
// Service's addresses to them, and the proxy's own second connection to a backend.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { BuiltCluster } from '../testing/cluster';
import { cluster, delivered, innerIp } from '../testing/cluster';
import { loadScenario } from '../compile/load';
import { traceRequest } from '../simulate/request';
import { runTraffic } from '../simulate/run';
import { renderIptablesSave } from '../render/iptables-save';
import { getProxyMode } from './index';
import { USERSPACE_OWNER } from './userspace';

const USERSPACE = JSON.stringify({ apiVersion: 'kubeproxy.config.k8s.io/v1alpha1', kind: 'KubeProxyConfiguration', mode: 'userspace' });

function service(name: string, spec: Record<string, unknown>): string {
  return JSON.stringify({ apiVersion: 'v1', kind: 'Service', metadata: { name, namespace: 'default' }, spec });
}

const WEB = { selector: { app: 'web' }, ports: [{ name: 'http', port: 80, targetPort: 8080, nodePort: 30080 }], type: 'NodePort' };

function userspaceCluster(...docs: string[]): BuiltCluster {
  let b = cluster().nodes(2).cni('bridge').pod('client', { node: 'node-1' }).raw(USERSPACE);
  b = b.pod('web-1', { node: 'node-1', ports: [8080], labels: { app: 'web' } }).pod('web-2', { node: 'node-2', ports: [8080], labels: { app: 'web' } });
  for (const d of docs) b = b.raw(d);
  return b.build();
}

function proxyPort(c: BuiltCluster, node: string, vipPort: string): number {
  const save = renderIptablesSave(c.model.netns.get(node)!.netfilter, { tables: ['nat'] });
  return Number(new RegExp(`--dport ${vipPort} -j REDIRECT --to-ports (\\d+)`).exec(save)![1]);
}

function trace(c: BuiltCluster, from: string, to: string, index = 0) {
  const r = traceRequest(c.model, { from, to }, { index });
  if (!r.ok) throw new Error(r.error);
  return r.trace;
}

describe('userspace mode: what kube-proxy programs', () => {
  const c = userspaceCluster(service('web', WEB));
  const vip = c.model.services.find((s) => s.metadata.name === 'web')!.spec.clusterIP!;

  it('is registered (no iptables fallback)', () => {
    expect(getProxyMode('userspace').fallback).toBe(false);
    expect(c.result.diagnostics.filter((d) => d.code === 'proxy-mode-fallback' || d.severity === 'error')).toEqual([]);
  });

  it('opens a proxy port per service port on each node, owned by kube-proxy', () => {
    const port = proxyPort(c, 'node-1', '80');
    expect(port).toBeGreaterThanOrEqual(32768);
    expect(c.model.netns.get('node-1')!.sockets).toContainEqual({ protocol: 'tcp', port, owner: USERSPACE_OWNER });
  });

  it('installs the portal rules: REDIRECT for containers, DNAT to the node IP for the host, NodePort chains', () => {
    const nat = renderIptablesSave(c.model.netns.get('node-1')!.netfilter, { tables: ['nat'] });
    const p = proxyPort(c, 'node-1', '80');
    expect(nat).toContain('-A PREROUTING -m comment --comment "handle ClusterIPs; NOTE: this must be before the NodePort rules" -j KUBE-PORTALS-CONTAINER');
    expect(nat).toContain(`-A KUBE-PORTALS-CONTAINER -d ${vip}/32 -p tcp -m comment --comment "default/web:http" -m tcp --dport 80 -j REDIRECT --to-ports ${p}`);
    expect(nat).toContain(`-A KUBE-PORTALS-HOST -d ${vip}/32 -p tcp -m comment --comment "default/web:http" -m tcp --dport 80 -j DNAT --to-destination 192.168.0.11:${p}`);
    expect(nat).toContain(`-A KUBE-NODEPORT-CONTAINER -p tcp -m comment --comment "default/web:http" -m tcp --dport 30080 -j REDIRECT --to-ports ${p}`);
    const filter = renderIptablesSave(c.model.netns.get('node-1')!.netfilter, { tables: ['filter'] });
    expect(filter).toContain(`-A KUBE-NODEPORT-NON-LOCAL -p tcp -m comment --comment "default/web:http" -m tcp --dport ${p} -m state --state NEW -j ACCEPT`);
  });

  it('pod → ClusterIP: the first leg ends at kube-proxy on the client\'s node, the reply comes from the VIP; the second leg is a new connection from the node', () => {
    const t = trace(c, 'pod/client', `${vip}:80`);
    expect(t.flow!.verdict).toBe('delivered');
    expect(t.flow!.endpoint).toBe('node-1');
    expect(t.flow!.hops.find((h) => h.changed?.includes('ipv4.dst'))?.rule?.text).toContain('REDIRECT');
    expect(innerIp(delivered(t.flow!.reply!)).src).toBe(vip);
    const leg = t.proxy!;
    expect(leg.who).toBe('kube-proxy (userspace) for default/web:http');
    expect(leg.flow!.from).toBe('node/node-1');
    expect(leg.flow!.verdict).toBe('delivered');
    expect(['default/web-1', 'default/web-2']).toContain(leg.flow!.endpoint);
    expect(innerIp(delivered(leg.flow!)).src).not.toBe(innerIp(t.flow!.hops[0]!.packet).src); // the backend sees the node
    expect(t.flows).toEqual([t.flow, ...leg.attempts]);
  });

  it('node → ClusterIP: KUBE-PORTALS-HOST DNATs to the node IP and the proxy port', () => {
    const t = trace(c, 'node/node-2', `${vip}:80`);
    const dnat = t.flow!.hops.find((h) => h.changed?.includes('ipv4.dst'))!;
    expect(dnat.stage).toBe('netfilter:nat/OUTPUT');
    expect(innerIp(dnat.packet).dst).toBe('192.168.0.12');
    expect(t.proxy?.flow?.verdict).toBe('delivered');
  });

  it('NodePort from an external client: redirected to the proxy port, accepted by KUBE-NODEPORT-NON-LOCAL', () => {
    const t = trace(c, 'external/client', 'node/node-2:30080');
    expect(t.flow!.verdict).toBe('delivered');
    expect(t.flow!.endpoint).toBe('node-2');
    expect(t.proxy?.flow?.from).toBe('node/node-2');
    expect(t.proxy?.flow?.verdict).toBe('delivered');
  });

  it('round robin: successive connections alternate between the backends', () => {
    const ends = [0, 1, 2, 3].map((i) => trace(c, 'pod/client', `${vip}:80`, i).proxy!.endpoint);
    expect(ends[0]).not.toBe(ends[1]);
    expect(ends[0]).toBe(ends[2]);
    expect(ends[1]).toBe(ends[3]);
  });
});

describe('userspace mode: failures and re-sync', () => {
  it('retries the next backend when a connect fails', () => {
    // web-0 carries the label but listens on nothing: connecting to it is refused.
    const c = userspaceCluster(service('web', WEB)).yaml;
    const text = c.replace('---', `---\n${JSON.stringify({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'web-0', namespace: 'default', labels: { app: 'web' } }, spec: { nodeName: 'node-2', containers: [{ name: 'c', image: 'busybox' }] } })}\n---`);
    const model = loadScenario(text).model!;
    const vip = model.services.find((s) => s.metadata.name === 'web')!.spec.clusterIP!;
    const legs = [0, 1, 2].map((i) => {
      const r = traceRequest(model, { from: 'pod/client', to: `${vip}:80` }, { index: i });
      return r.ok ? r.trace.proxy! : undefined;
    });
    const retried = legs.find((l) => l!.attempts.length > 1)!;
    expect(retried.attempts[0]!.verdict).toBe('dropped');
    expect(retried.flow!.verdict).toBe('delivered');
    expect(retried.note).toContain('after 1 failed attempt');
  });

  it('without endpoints the proxy accepts, has no backend to connect to, and closes', () => {
    const c = cluster().nodes(2).cni('bridge').pod('client', { node: 'node-1' }).raw(USERSPACE).raw(service('empty', { selector: { app: 'none' }, ports: [{ port: 80 }] })).build();
    const vip = c.model.services.find((s) => s.metadata.name === 'empty')!.spec.clusterIP!;
    const t = trace(c, 'pod/client', `${vip}:80`);
    expect(t.flow!.verdict).toBe('delivered');
    expect(t.proxy!.attempts).toEqual([]);
    expect(t.proxy!.note).toContain('no ready endpoint');
  });

  it('a re-sync keeps the proxy ports; a gone Service closes its socket and loses its rules', () => {
    const c = userspaceCluster(service('web', WEB), service('other', { selector: { app: 'web' }, ports: [{ port: 81, targetPort: 8080 }] }));
    const ns = c.model.netns.get('node-1')!;
    const port = proxyPort(c, 'node-1', '80');
    const other = proxyPort(c, 'node-1', '81');
    const ctx = { model: c.model, config: undefined, nodeObject: () => undefined, report: () => {} };
    getProxyMode('userspace').mode.programNode(ctx, c.model.nodes[0]!, ns, c.model.services.filter((s) => s.metadata.name !== 'other'), c.model.endpointSlices);
    expect(proxyPort(c, 'node-1', '80')).toBe(port);
    expect(ns.sockets.some((s) => s.port === other)).toBe(false);
    expect(renderIptablesSave(ns.netfilter)).not.toContain('default/other');
  });
});

describe('userspace mode: the seed experiment', () => {
  it('the proxy\'s round robin answers exactly 100/100', () => {
    const text = readFileSync(join(__dirname, '../../../fixtures/scenarios/service-test-userspace.yaml'), 'utf8');
    const r = loadScenario(text);
    const res = runTraffic(r.model!, r.scenario);
    expect(res.requests[0]).toMatchObject({ count: 200, delivered: 200, dropped: 0 });
    expect(Object.keys(res.requests[0]!.byEndpoint).every((k) => k.startsWith('default/service-test-'))).toBe(true);
    expect(Object.values(res.requests[0]!.byEndpoint)).toEqual([100, 100]);
  });
});

describe('userspace mode: cluster DNS', () => {
  it('a name resolves: the query to the kube-dns ClusterIP is redirected to kube-proxy, which relays it to a CoreDNS pod and sends the answer back', () => {
    const c = cluster().nodes(2).cni('bridge').dns().raw(USERSPACE).pod('client', { node: 'node-1' }).pod('web-1', { node: 'node-2', ports: [8080], labels: { app: 'web' } }).raw(service('web', { selector: { app: 'web' }, ports: [{ port: 80, targetPort: 8080 }] })).build();
    const t = trace(c, 'pod/client', 'http://web:80');
    expect(t.error).toBeUndefined();
    expect(t.lookup!.resolution.error).toBeUndefined();
    expect(t.lookup!.resolution.addresses).toEqual([c.model.services.find((x) => x.metadata.name === 'web')!.spec.clusterIP]);
    const first = t.lookup!.exchanges[0]!;
    // The client's datagram ends at kube-proxy's socket on its own node, and its reply comes from the VIP.
    expect(first.flow.hops.at(-1)!.netns).toBe('node-1');
    expect(first.reply?.answers.length).toBe(1);
    expect(innerIp(delivered(first.flow.reply!)).src).toBe('10.96.0.10');
    // The relayed datagram is a flow of its own, from the node to a CoreDNS pod.
    const relayed = first.forwards[0]!;
    expect(relayed.flow.verdict).toBe('delivered');
    expect(relayed.flow.hops.at(-1)!.netns).toMatch(/^pod:kube-system\/coredns-/);
    expect(relayed.relayedBy).toBe('kube-proxy (userspace) for kube-system/kube-dns:dns');
    expect(t.flow?.verdict).toBe('delivered');
    expect(t.proxy?.endpoint).toMatch(/:8080$/);
  });
});
