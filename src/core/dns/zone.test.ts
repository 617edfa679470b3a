// The cluster zone per query type, held to CoreDNS's kubernetes plugin (plugin/kubernetes
// handler.go, reverse.go; plugin/backend_lookup.go SRV): SRV with its ADDITIONAL addresses,
// PTR for ClusterIPs and endpoint IPs, NODATA versus NXDOMAIN, the apex SOA and NS.
import { describe, expect, it } from 'vitest';
import type { EndpointSlice, Service } from '../k8s/types';
import type { DnsRecord } from '../wire/dns-rdata';
import { answerFromZone, buildClusterZone } from './zone';

const svc = (name: string, spec: Service['spec'], ns = 'default'): Service => ({ kind: 'Service', metadata: { name, namespace: ns }, spec });
const slice = (svcName: string, ips: string[], ports: EndpointSlice['ports'], ns = 'default'): EndpointSlice => ({
  kind: 'EndpointSlice',
  metadata: { name: `${svcName}-x`, namespace: ns, labels: { 'kubernetes.io/service-name': svcName } },
  addressType: 'IPv4',
  ports,
  endpoints: ips.map((ip, i) => ({ addresses: [ip], conditions: { ready: true }, targetRef: { kind: 'Pod', namespace: ns, name: `${svcName}-${i}` } })),
});

const zone = buildClusterZone({
  clusterDomain: 'cluster.local',
  services: [
    svc('web', { clusterIP: '10.96.0.20', ports: [{ name: 'http', port: 80, protocol: 'TCP' }, { port: 443, protocol: 'TCP' }] }),
    svc('db', { clusterIP: 'None', ports: [{ name: 'pg', port: 5432 }] }),
    svc('my-db', { type: 'ExternalName', externalName: 'example.com' }),
    svc('kube-dns', { clusterIP: '10.96.0.10', ports: [{ name: 'dns', port: 53, protocol: 'UDP' }] }, 'kube-system'),
  ],
  endpointSlices: [slice('web', ['10.244.1.5'], [{ name: 'http', port: 8080, protocol: 'TCP' }]), slice('db', ['10.244.1.6', '10.244.2.7'], [{ name: 'pg', port: 5432, protocol: 'TCP' }])],
  pods: [],
});

const ask = (name: string, type: string) => {
  const a = answerFromZone(zone, name, type);
  if (a.kind !== 'reply') throw new Error(`${name} was forwarded`);
  return a.reply;
};
const text = (rs: DnsRecord[] | undefined) =>
  (rs ?? []).map((r) => `${r.name} ${r.type} ${r.type === 'A' ? r.address : r.type === 'SRV' ? `${r.priority} ${r.weight} ${r.port} ${r.target}` : r.type === 'PTR' || r.type === 'NS' || r.type === 'CNAME' ? r.target : ''}`.trim());

describe('SRV', () => {
  it('a named port answers one SRV, with the target\'s A record as ADDITIONAL', () => {
    const r = ask('_http._tcp.web.default.svc.cluster.local', 'SRV');
    expect(text(r.answers)).toEqual(['_http._tcp.web.default.svc.cluster.local SRV 0 100 80 web.default.svc.cluster.local']);
    expect(text(r.additional)).toEqual(['web.default.svc.cluster.local A 10.96.0.20']);
  });

  it('the Service name itself answers every port, named or not, the weights splitting 100', () => {
    expect(text(ask('web.default.svc.cluster.local', 'SRV').answers)).toEqual([
      'web.default.svc.cluster.local SRV 0 50 80 web.default.svc.cluster.local',
      'web.default.svc.cluster.local SRV 0 50 443 web.default.svc.cluster.local',
    ]);
  });

  it('a headless Service answers one SRV per ready endpoint, each endpoint\'s address in ADDITIONAL', () => {
    const r = ask('_pg._tcp.db.default.svc.cluster.local', 'SRV');
    expect(text(r.answers)).toEqual([
      '_pg._tcp.db.default.svc.cluster.local SRV 0 50 5432 10-244-1-6.db.default.svc.cluster.local',
      '_pg._tcp.db.default.svc.cluster.local SRV 0 50 5432 10-244-2-7.db.default.svc.cluster.local',
    ]);
    expect(text(r.additional)).toEqual(['10-244-1-6.db.default.svc.cluster.local A 10.244.1.6', '10-244-2-7.db.default.svc.cluster.local A 10.244.2.7']);
    expect(text(ask('db.default.svc.cluster.local', 'SRV').answers)).toHaveLength(2);
  });

  it('the SRV name answers A as well: the ClusterIP, or a headless Service\'s endpoints', () => {
    expect(text(ask('_http._tcp.web.default.svc.cluster.local', 'A').answers)).toEqual(['_http._tcp.web.default.svc.cluster.local A 10.96.0.20']);
    expect(text(ask('_pg._tcp.db.default.svc.cluster.local', 'A').answers)).toEqual(['_pg._tcp.db.default.svc.cluster.local A 10.244.1.6', '_pg._tcp.db.default.svc.cluster.local A 10.244.2.7']);
  });

  it('an ExternalName asked SRV names the external host, port 0', () => {
    expect(text(ask('my-db.default.svc.cluster.local', 'SRV').answers)).toEqual(['my-db.default.svc.cluster.local SRV 0 100 0 example.com']);
    expect(text(ask('my-db.default.svc.cluster.local', 'AAAA').answers)).toEqual(['my-db.default.svc.cluster.local CNAME example.com']);
  });
});

describe('PTR', () => {
  it('a ClusterIP answers its Service; a ready endpoint IP answers <host>.<svc>.<ns>.svc, which resolves', () => {
    expect(text(ask('10.0.96.10.in-addr.arpa', 'PTR').answers)).toEqual(['10.0.96.10.in-addr.arpa PTR kube-dns.kube-system.svc.cluster.local']);
    expect(text(ask('5.1.244.10.in-addr.arpa', 'PTR').answers)).toEqual(['5.1.244.10.in-addr.arpa PTR 10-244-1-5.web.default.svc.cluster.local']);
    expect(text(ask('10-244-1-5.web.default.svc.cluster.local', 'A').answers)).toEqual(['10-244-1-5.web.default.svc.cluster.local A 10.244.1.5']);
    expect(text(ask('6.1.244.10.in-addr.arpa', 'PTR').answers)).toEqual(['6.1.244.10.in-addr.arpa PTR 10-244-1-6.db.default.svc.cluster.local']);
  });

  it('an address nobody owns is not the plugin\'s: it falls through to forward', () => {
    expect(answerFromZone(zone, '9.9.244.10.in-addr.arpa', 'PTR').kind).toBe('forward');
  });
});

describe('NODATA and NXDOMAIN', () => {
  it('AAAA for an IPv4 Service is NOERROR with no answer and the SOA in AUTHORITY', () => {
    const r = ask('web.default.svc.cluster.local', 'AAAA');
    expect(r).toMatchObject({ rcode: 0, aa: true, answers: [] });
    expect(r.authority.map((a) => a.type)).toEqual(['SOA']);
  });

  it('a name that does not exist is NXDOMAIN whatever the type', () => {
    for (const t of ['A', 'AAAA', 'SRV', 'TXT']) expect(ask('nope.default.svc.cluster.local', t).rcode).toBe(3);
  });

  it('the apex answers SOA and NS, the NS target\'s address in ADDITIONAL', () => {
    expect(ask('cluster.local', 'SOA').answers.map((a) => a.type)).toEqual(['SOA']);
    const ns = ask('cluster.local', 'NS');
    expect(text(ns.answers)).toEqual(['cluster.local NS ns.dns.cluster.local']);
    expect(text(ns.additional)).toEqual(['ns.dns.cluster.local A 10.96.0.10']);
    expect(ask('cluster.local', 'A')).toMatchObject({ rcode: 0, answers: [] });
  });
});
