import { describe, expect, it } from 'vitest';
import type { Flow } from '../trace/types';
import { cluster, innerIp, stages } from '../testing/cluster';
import { loadScenario } from '../compile/load';
import { traceRequest } from './request';
import { traceFlow } from './flow';
import { exchangeProtocol, lookupWithFlows } from './dns-flows';
import { resolveSource } from './refs';
import { questionLine } from '../render/dns-lookup';
import { renderDescribeIngress, renderGetIngress } from '../render/kubectl-ingress';
import { podDnsConf } from '../dns/cluster-dns';
import { renderResolvConf } from '../dns/resolv-conf';

const deployment = (name: string, port: number, replicas = 2) =>
  JSON.stringify({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name }, spec: { replicas, selector: { matchLabels: { app: name } }, template: { metadata: { labels: { app: name } }, spec: { containers: [{ name, image: name, ports: [{ name: 'http', containerPort: port }] }] } } } });
const service = (name: string, spec: object) => JSON.stringify({ apiVersion: 'v1', kind: 'Service', metadata: { name }, spec });

const dnsCluster = () =>
  cluster()
    .dns()
    .cni('flannel', { backend: 'vxlan' })
    .pod('client', { node: 'node-1' })
    .raw(deployment('web', 80))
    .raw(service('web', { selector: { app: 'web' }, ports: [{ name: 'http', port: 80, targetPort: 'http' }] }))
    .raw(service('db', { clusterIP: 'None', selector: { app: 'web' }, ports: [{ name: 'http', port: 80 }] }))
    .raw(service('ext', { type: 'ExternalName', externalName: 'example.com' }))
    .build();

function lookup(name: string, from = 'pod/default/client') {
  const c = dnsCluster();
  const src = resolveSource(c.model, from);
  if (!src.ok) throw new Error(src.error);
  return { c, l: lookupWithFlows(c.model, src.value, name, { index: 0 }) };
}

const lines = (l: ReturnType<typeof lookup>['l']) => l.exchanges.map(questionLine);

describe('CoreDNS add-on', () => {
  it('runs 2 coredns pods in kube-system behind kube-dns at the tenth service address', () => {
    const c = dnsCluster();
    const dns = c.model.pods.filter((p) => p.namespace === 'kube-system');
    expect(dns.map((p) => p.name.replace(/-[a-z0-9]+-[a-z0-9]+$/, ''))).toEqual(['coredns', 'coredns']);
    expect(dns[0]!.containers[0]!.image).toBe('registry.k8s.io/coredns/coredns:v1.11.3');
    const svc = c.model.services.find((s) => s.metadata.name === 'kube-dns')!;
    expect(svc.spec.clusterIP).toBe('10.96.0.10');
    expect(svc.spec.ports!.map((p) => `${p.name} ${p.port}/${p.protocol}`)).toEqual(['dns 53/UDP', 'dns-tcp 53/TCP', 'metrics 9153/TCP']);
    const client = c.model.pods.find((p) => p.name === 'client')!;
    expect(renderResolvConf(podDnsConf(c.model, client).conf)).toBe('search default.svc.cluster.local svc.cluster.local cluster.local\nnameserver 10.96.0.10\noptions ndots:5\n');
  });

  it('Cluster.spec.dns: false adds nothing and pods fall back to the node resolver', () => {
    const c = cluster().pod('client').build();
    expect(c.model.pods.map((p) => p.name)).toEqual(['client']);
    expect(renderResolvConf(podDnsConf(c.model, c.model.pods[0]!).conf)).toBe('nameserver 203.0.113.53\n');
  });
});

describe('every DNS query is a flow', () => {
  it('goes to the kube-dns ClusterIP, is DNAT-ed to a CoreDNS pod, and comes back from the ClusterIP', () => {
    const { l } = lookup('web');
    expect(lines(l)).toEqual([`A? web.default.svc.cluster.local. → ${l.resolution.addresses[0]}`]);
    const f = l.exchanges[0]!.flow;
    expect(f.verdict).toBe('delivered');
    expect(f.endpoint).toMatch(/^kube-system\/coredns-/);
    expect(stages(f)).toContain('netfilter:nat/PREROUTING');
    expect(innerIp(f.hops[0]!.packet).dst).toBe('10.96.0.10');
    expect(innerIp(f.hops.at(-1)!.packet).dst).not.toBe('10.96.0.10'); // DNAT-ed to the pod
    const back = f.reply!.hops.at(-1)!.packet;
    expect(f.reply!.verdict).toBe('delivered');
    expect(innerIp(back).src).toBe('10.96.0.10'); // un-DNAT-ed on the way home
    expect(back.payload.dns?.qr).toBe(true);
    expect(f.hops[0]!.packet.payload.summary).toMatch(/^DNS \d+\+ A\? web\.default\.svc\.cluster\.local\. \(\d+\)$/);
  });

  it('reaches CoreDNS pods on other nodes through the overlay', () => {
    const c = dnsCluster();
    const src = resolveSource(c.model, 'pod/default/client');
    if (!src.ok) throw new Error(src.error);
    const flows: Flow[] = [];
    for (let i = 0; i < 12; i++) flows.push(...lookupWithFlows(c.model, src.value, 'web', { index: i }).exchanges.map((e) => e.flow));
    const remote = flows.find((f) => !f.endpoint?.includes(c.model.pods.find((p) => p.namespace === 'kube-system' && p.node === 'node-1')?.name ?? '#'));
    expect(remote).toBeDefined();
    expect(stages(remote!)).toContain('encap');
    expect(innerIp(remote!.reply!.hops.at(-1)!.packet).src).toBe('10.96.0.10');
  });

  it('the query sequences: name.ns, name.ns.svc, full name with a trailing dot', () => {
    expect(lines(lookup('web.default').l).map((s) => s.split(' → ')[1])).toEqual(['NXDOMAIN', expect.stringMatching(/^10\./)]);
    expect(lines(lookup('web.default.svc').l)).toHaveLength(3);
    expect(lines(lookup('web.default.svc.cluster.local.').l)).toEqual([expect.stringMatching(/^A\? web\.default\.svc\.cluster\.local\. → 10\./)]);
  });

  it('an external name wastes three search-list queries, then CoreDNS forwards it upstream as a flow of its own', () => {
    const { l } = lookup('example.com');
    expect(lines(l)).toEqual(['A? example.com.default.svc.cluster.local. → NXDOMAIN', 'A? example.com.svc.cluster.local. → NXDOMAIN', 'A? example.com.cluster.local. → NXDOMAIN', 'A? example.com. → 93.184.215.14']);
    const fwd = l.exchanges[3]!.forwards[0]!;
    expect(fwd.flow.endpoint).toBe('external/upstream-dns');
    expect(fwd.flow.from).toMatch(/^pod\/kube-system\/coredns-/);
    expect(stages(fwd.flow)).toContain('netfilter:nat/POSTROUTING'); // masqueraded by the CoreDNS pod's node
  });

  it('a headless Service answers its ready endpoints; an ExternalName a CNAME; a missing name NXDOMAIN everywhere', () => {
    const { c, l } = lookup('db');
    expect([...l.resolution.addresses].sort()).toEqual(c.model.pods.filter((p) => p.labels.app === 'web').map((p) => p.ip).sort());
    expect(lines(lookup('ext').l)).toEqual(['A? ext.default.svc.cluster.local. → CNAME example.com., 93.184.215.14']);
    const miss = lookup('nosuch').l;
    expect(lines(miss).map((s) => s.split(' → ')[1])).toEqual(['NXDOMAIN', 'NXDOMAIN', 'NXDOMAIN', 'NXDOMAIN']);
    expect(miss.resolution.error).toBe('NXDOMAIN');
  });
});

describe('a reply too big for UDP', () => {
  const bigCluster = (policy?: object) => {
    let b = cluster()
      .dns()
      .cni('calico')
      .pod('client', { node: 'node-1', labels: { app: 'client' } })
      .raw(deployment('web', 80, 40))
      .raw(service('big', { clusterIP: 'None', selector: { app: 'web' }, ports: [{ name: 'http', port: 80 }] }));
    if (policy) b = b.raw(JSON.stringify(policy));
    return b.build();
  };
  const lookupBig = (c: ReturnType<typeof bigCluster>) => {
    const src = resolveSource(c.model, 'pod/default/client');
    if (!src.ok) throw new Error(src.error);
    return lookupWithFlows(c.model, src.value, 'big', { index: 0 });
  };

  it('40 ready endpoints over UDP come back truncated (TC, the 29 records that fit 512 bytes); glibc asks again over TCP to kube-dns dns-tcp and gets all 40', () => {
    const c = bigCluster();
    const l = lookupBig(c);
    expect(l.exchanges.map((e) => `${exchangeProtocol(e)} ${e.reply?.answers.length} ${e.reply?.tc}`)).toEqual(['udp 29 true', 'tcp 40 false']);
    expect(questionLine(l.exchanges[0]!)).toMatch(/^A\? big\.default\.svc\.cluster\.local\. → 10\..* \(truncated: TC set\)$/);
    const tcp = l.exchanges[1]!.flow;
    expect(tcp.verdict).toBe('delivered');
    expect(tcp.from).toBe('pod/default/client');
    expect(tcp.endpoint).toMatch(/^kube-system\/coredns-/);
    expect(l.resolution.addresses).toHaveLength(40);
  });

  it('a NetworkPolicy that lets only UDP 53 out breaks the lookup: the TCP retry is dropped and the partial answer is not used', () => {
    const c = bigCluster({
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: { name: 'dns-udp-only' },
      spec: { podSelector: { matchLabels: { app: 'client' } }, policyTypes: ['Egress'], egress: [{ ports: [{ protocol: 'UDP', port: 53 }] }] },
    });
    const l = lookupBig(c);
    expect(l.exchanges.map((e) => `${exchangeProtocol(e)} ${e.flow.verdict}`)).toEqual(['udp delivered', 'tcp dropped']);
    expect(l.resolution.error).toBe('timeout');
    expect(l.resolution.addresses).toEqual([]);
  });
});

describe('traceRequest and traceFlow with names', () => {
  it('returns the DNS flows then the connection, which goes to a web pod', () => {
    const c = dnsCluster();
    const r = traceRequest(c.model, { from: 'pod/client', to: 'http://web' }, { index: 3 });
    if (!r.ok) throw new Error(r.error);
    expect(r.trace.flows).toHaveLength(2);
    expect(r.trace.flows[0]!.to).toBe('udp://10.96.0.10:53');
    expect(r.trace.flow!.endpoint).toMatch(/^default\/web-/);
    const f = traceFlow(c.model, { from: 'pod/client', to: 'http://web' }, { index: 3 });
    expect(f.ok && f.flow.endpoint).toBe(r.trace.flow!.endpoint);
    expect(traceFlow(c.model, { from: 'pod/client', to: 'http://nosuch' })).toMatchObject({ ok: false, error: expect.stringContaining('NXDOMAIN') });
  });

  it('is deterministic: the same seed gives the same DNS flows and connection', () => {
    const a = traceRequest(dnsCluster().model, { from: 'pod/client', to: 'http://web.default' }, { seed: 9 });
    const b = traceRequest(dnsCluster().model, { from: 'pod/client', to: 'http://web.default' }, { seed: 9 });
    expect(JSON.stringify(a)).toBe(JSON.stringify(b));
  });
});

const SHOP = `apiVersion: hopscope/v1alpha1
kind: Cluster
metadata: {name: shop}
spec: {nodes: 2, cni: {plugin: flannel}}
---
${deployment('web', 80)}
---
${deployment('api', 8080)}
---
${service('web-svc', { selector: { app: 'web' }, ports: [{ name: 'http', port: 80, targetPort: 'http' }] })}
---
${service('api-svc', { selector: { app: 'api' }, ports: [{ port: 8080, targetPort: 8080 }] })}
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: shop, namespace: default}
spec:
  ingressClassName: nginx
  defaultBackend:
    service: {name: web-svc, port: {number: 80}}
  tls:
  - hosts: [shop.example.com]
    secretName: shop-tls
  rules:
  - host: shop.example.com
    http:
      paths:
      - path: /api
        pathType: Prefix
        backend: {service: {name: api-svc, port: {number: 8080}}}
      - path: /
        pathType: Prefix
        backend: {service: {name: web-svc, port: {name: http}}}
`;

describe('ingress-nginx', () => {
  const load = () => {
    const r = loadScenario(SHOP);
    if (!r.model) throw new Error('no model');
    return { model: r.model, diagnostics: r.diagnostics };
  };

  it('adds the controller Deployment and a NodePort Service on bare metal; the Ingress address is the controller’s node', () => {
    const { model, diagnostics } = load();
    expect(diagnostics.filter((d) => d.severity !== 'info')).toEqual([]);
    const ctl = model.pods.find((p) => p.namespace === 'ingress-nginx')!;
    expect(ctl.name).toMatch(/^ingress-nginx-controller-/);
    expect(model.services.find((s) => s.metadata.name === 'ingress-nginx-controller')!.spec.type).toBe('NodePort');
    const ip = model.nodes.find((n) => n.name === ctl.node)!.ip;
    expect(renderGetIngress(model)).toBe(`NAME   CLASS   HOSTS              ADDRESS        PORTS     AGE\nshop   nginx   shop.example.com   ${ip}   80, 443   <unknown>\n`);
  });

  it('kubectl describe ingress in kubectl’s layout', () => {
    const { model } = load();
    const ep = (app: string, port: number) => model.pods.filter((p) => p.labels.app === app).map((p) => `${p.ip}:${port}`).join(',');
    const ctl = model.pods.find((p) => p.namespace === 'ingress-nginx')!;
    const ip = model.nodes.find((n) => n.name === ctl.node)!.ip;
    expect(renderDescribeIngress(model, 'shop')).toBe(
      [
        'Name:             shop',
        'Labels:           <none>',
        'Namespace:        default',
        `Address:          ${ip}`,
        'Ingress Class:    nginx',
        `Default backend:  web-svc:80 (${ep('web', 80)})`,
        'TLS:',
        '  shop-tls terminates shop.example.com',
        'Rules:',
        '  Host              Path  Backends',
        '  ----              ----  --------',
        '  shop.example.com  ',
        `                    /api   api-svc:8080 (${ep('api', 8080)})`,
        `                    /      web-svc:http (${ep('web', 80)})`,
        'Annotations:        <none>',
        'Events:             <none>',
        '',
      ].join('\n'),
    );
  });

  it('an external client: DNS, client → NodePort → controller pod via kube-proxy, then a new connection to the backend pod', () => {
    const { model } = load();
    const r = traceRequest(model, { from: 'external/client', to: 'https://shop.example.com/api/items' });
    if (!r.ok) throw new Error(r.error);
    const t = r.trace;
    expect(t.lookup!.exchanges.map(questionLine)).toEqual([expect.stringMatching(/^A\? shop\.example\.com\. → 192\.168\.0\.1\d$/)]);
    expect(t.flow!.endpoint).toMatch(/^ingress-nginx\/ingress-nginx-controller-/);
    expect(stages(t.flow!)).toContain('netfilter:nat/PREROUTING');
    expect(t.ingress).toMatchObject({ status: 200, tls: 'shop-tls', backend: 'default/api-svc:8080' });
    const leg = t.ingress!.flow!;
    expect(leg.endpoint).toMatch(/^default\/api-/);
    expect(innerIp(leg.hops[0]!.packet).src).toBe(model.pods.find((p) => p.namespace === 'ingress-nginx')!.ip);
    expect(innerIp(leg.hops.at(-1)!.packet).dst).toBe(t.ingress!.endpoint!.split(':')[0]); // pod IP, no Service hop
    expect(t.flows).toHaveLength(3);
  });

  it('paths no rule matches go to the rule\'s Prefix /; a host no rule names gets the controller\'s 404, not the defaultBackend of an Ingress with rules', () => {
    const { model } = load();
    const r = traceRequest(model, { from: 'external/client', to: 'http://shop.example.com/cart' });
    expect(r.ok && r.trace.ingress?.backend).toBe('default/web-svc:http');
    const ctl = model.services.find((s) => s.metadata.name === 'ingress-nginx-controller')!;
    const node = model.nodes[0]!.ip;
    // ingress-nginx createServers: `shop` has rules, so its defaultBackend is only its own
    // hosts' `location /`; the catch-all server keeps the controller's default backend (404).
    const other = traceRequest(model, { from: 'external/client', to: `http://${node}:${ctl.spec.ports![0]!.nodePort}/x` });
    expect(other.ok && other.trace.ingress).toMatchObject({ decision: { kind: 'not-found' }, status: 404 });
    expect(other.ok && other.trace.ingress?.note).toContain('the defaultBackend of default/shop serves only that Ingress\'s own hosts');
  });
});
