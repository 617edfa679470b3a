import { describe, expect, it } from 'vitest';
import type { EndpointSlice, Service } from '../k8s/types';
import type { Exchange, Resolution } from './resolver';
import { isValidHostname, resolveName, searchCandidates } from './resolver';
import { buildClusterZone } from './zone';
import { corednsAnswer } from './coredns';
import { buildPublicZone, publicReply } from './upstream';
import { renderResolvConf } from './resolv-conf';

const svc = (name: string, spec: Service['spec'], ns = 'default'): Service => ({ kind: 'Service', metadata: { name, namespace: ns }, spec });
const slice = (svcName: string, ips: [string, boolean][], ns = 'default'): EndpointSlice => ({
  kind: 'EndpointSlice',
  metadata: { name: `${svcName}-abcde`, namespace: ns, labels: { 'kubernetes.io/service-name': svcName } },
  addressType: 'IPv4',
  ports: [{ name: 'http', port: 8080, protocol: 'TCP' }],
  endpoints: ips.map(([ip, ready], i) => ({ addresses: [ip], conditions: { ready }, targetRef: { kind: 'Pod', namespace: ns, name: `db-${i}` } })),
});

const zone = buildClusterZone({
  clusterDomain: 'cluster.local',
  services: [
    svc('service-test', { clusterIP: '10.103.241.152', ports: [{ name: 'http', port: 80, protocol: 'TCP' }] }),
    svc('db', { clusterIP: 'None', ports: [{ name: 'http', port: 8080 }] }),
    svc('empty', { clusterIP: 'None' }),
    svc('my-db', { type: 'ExternalName', externalName: 'example.com' }),
    svc('kube-dns', { clusterIP: '10.96.0.10', ports: [{ name: 'dns', port: 53, protocol: 'UDP' }] }, 'kube-system'),
  ],
  endpointSlices: [slice('db', [['10.244.1.6', true], ['10.244.2.7', true], ['10.244.2.9', false]]), slice('empty', [['10.244.1.8', false]])],
  pods: [{ namespace: 'default', name: 'db-0', ip: '10.244.1.6', hostname: 'db-0', subdomain: 'db' }],
});
const upstream = buildPublicZone();
const exchange: Exchange = (_server, name, type) => ({ ok: true, reply: corednsAnswer(zone, name, type, (n, t) => ({ ok: true, reply: publicReply(upstream, n, t) })).reply });
const conf = { nameservers: ['10.96.0.10'], searches: ['default.svc.cluster.local', 'svc.cluster.local', 'cluster.local'], options: ['ndots:5'] };

/** `A? name → answer` lines, as `hopscope dns` prints them. */
function sequence(r: Resolution): string[] {
  return r.steps.map((s) => `${s.type}? ${s.name} → ${s.result.ok ? (s.result.reply.rcode === 3 ? 'NXDOMAIN' : s.result.reply.answers.map((a) => (a.type === 'A' ? a.address : a.type === 'CNAME' ? `CNAME ${a.target}` : a.type)).join(', ') || 'NODATA') : 'timeout'}`);
}

describe('glibc search order (ndots:5)', () => {
  it('tries the search list first for names with fewer dots than ndots, the name as given last', () => {
    expect(searchCandidates('web', conf.searches, 5)).toEqual(['web.default.svc.cluster.local.', 'web.svc.cluster.local.', 'web.cluster.local.', 'web.']);
    expect(searchCandidates('a.b.c.d.e.f', conf.searches, 5)[0]).toBe('a.b.c.d.e.f.');
    expect(searchCandidates('web.', conf.searches, 5)).toEqual(['web.']);
  });

  it('a short Service name answers on the first candidate', () => {
    expect(sequence(resolveName('service-test', conf, exchange))).toEqual(['A? service-test.default.svc.cluster.local. → 10.103.241.152']);
  });

  it('name.ns wastes one query', () => {
    expect(sequence(resolveName('service-test.default', conf, exchange))).toEqual([
      'A? service-test.default.default.svc.cluster.local. → NXDOMAIN',
      'A? service-test.default.svc.cluster.local. → 10.103.241.152',
    ]);
  });

  it('name.ns.svc wastes two', () => {
    expect(sequence(resolveName('service-test.default.svc', conf, exchange))).toEqual([
      'A? service-test.default.svc.default.svc.cluster.local. → NXDOMAIN',
      'A? service-test.default.svc.svc.cluster.local. → NXDOMAIN',
      'A? service-test.default.svc.cluster.local. → 10.103.241.152',
    ]);
  });

  it('the full name without a trailing dot still has 4 dots < 5 and wastes three', () => {
    expect(resolveName('service-test.default.svc.cluster.local', conf, exchange).steps).toHaveLength(4);
  });

  it('a trailing dot asks exactly once', () => {
    const r = resolveName('service-test.default.svc.cluster.local.', conf, exchange);
    expect(sequence(r)).toEqual(['A? service-test.default.svc.cluster.local. → 10.103.241.152']);
    expect(r.canonical).toBe('service-test.default.svc.cluster.local');
  });

  it('an external name with fewer than 5 dots walks the whole search list first', () => {
    expect(sequence(resolveName('google.com', conf, exchange))).toEqual([
      'A? google.com.default.svc.cluster.local. → NXDOMAIN',
      'A? google.com.svc.cluster.local. → NXDOMAIN',
      'A? google.com.cluster.local. → NXDOMAIN',
      'A? google.com. → 142.250.72.14',
    ]);
  });

  it('a headless Service answers one A per ready endpoint, and endpoint names', () => {
    const r = resolveName('db', conf, exchange);
    expect(r.addresses).toEqual(['10.244.1.6', '10.244.2.7']);
    expect(resolveName('db-0.db', conf, exchange).addresses).toEqual(['10.244.1.6']);
    expect(resolveName('10-244-2-7.db', conf, exchange).addresses).toEqual(['10.244.2.7']);
    expect(resolveName('empty', conf, exchange).error).toBe('NXDOMAIN');
  });

  it('an ExternalName answers a CNAME and CoreDNS chases it upstream', () => {
    const r = resolveName('my-db', conf, exchange);
    expect(sequence(r)).toEqual(['A? my-db.default.svc.cluster.local. → CNAME example.com, 93.184.215.14']);
    expect(r.canonical).toBe('example.com');
  });

  it('a missing name tries every candidate and fails with NXDOMAIN', () => {
    const r = resolveName('nosuch', conf, exchange);
    expect(sequence(r)).toEqual([
      'A? nosuch.default.svc.cluster.local. → NXDOMAIN',
      'A? nosuch.svc.cluster.local. → NXDOMAIN',
      'A? nosuch.cluster.local. → NXDOMAIN',
      'A? nosuch. → NXDOMAIN',
    ]);
    expect(r.error).toBe('NXDOMAIN');
  });

  it('AAAA queries for IPv4 Services are NODATA and do not stop the lookup', () => {
    const r = resolveName('service-test', conf, exchange, { aaaa: true });
    expect(sequence(r)).toEqual(['A? service-test.default.svc.cluster.local. → 10.103.241.152', 'AAAA? service-test.default.svc.cluster.local. → NODATA']);
  });

  it('a server that never answers is a timeout, after trying the next nameserver', () => {
    const dead: Exchange = () => ({ ok: false, reason: 'dropped' });
    const r = resolveName('web', { ...conf, nameservers: ['10.96.0.10', '1.1.1.1'] }, dead);
    expect(r.error).toBe('timeout');
    expect(r.steps.map((s) => s.server)).toEqual(['10.96.0.10', '1.1.1.1']);
  });

  it('refuses malformed names without asking', () => {
    expect(isValidHostname('a..b')).toBe(false);
    expect(resolveName('bad name', conf, exchange)).toMatchObject({ error: 'invalid', steps: [] });
  });
});

describe('cluster zone records', () => {
  const ask = (name: string, type: string) => corednsAnswer(zone, name, type, () => ({ ok: false, reason: 'no upstream' })).reply;
  it('SRV for named ports, PTR for ClusterIPs, pod A records, schema version', () => {
    expect(ask('_http._tcp.service-test.default.svc.cluster.local.', 'SRV').answers).toEqual([
      { name: '_http._tcp.service-test.default.svc.cluster.local', class: 1, ttl: 30, type: 'SRV', priority: 0, weight: 100, port: 80, target: 'service-test.default.svc.cluster.local' },
    ]);
    expect(ask('_http._tcp.db.default.svc.cluster.local', 'SRV').answers.map((a) => (a.type === 'SRV' ? `${a.weight} ${a.port} ${a.target}` : ''))).toEqual(['50 8080 db-0.db.default.svc.cluster.local', '50 8080 10-244-2-7.db.default.svc.cluster.local']);
    expect(ask('152.241.103.10.in-addr.arpa', 'PTR').answers[0]).toMatchObject({ type: 'PTR', target: 'service-test.default.svc.cluster.local' });
    expect(ask('10-244-9-9.default.pod.cluster.local', 'A').answers[0]).toMatchObject({ address: '10.244.9.9' });
    expect(ask('10-244-9-9.nons.pod.cluster.local', 'A').rcode).toBe(3);
    expect(ask('dns-version.cluster.local', 'TXT').answers).toHaveLength(1);
  });

  it('NODATA for names that exist, NXDOMAIN with the zone SOA otherwise, case-insensitive', () => {
    expect(ask('default.svc.cluster.local', 'A')).toMatchObject({ rcode: 0, answers: [] });
    expect(ask('SERVICE-TEST.Default.svc.cluster.local', 'A').answers).toHaveLength(1);
    const nx = ask('nope.default.svc.cluster.local', 'A');
    expect(nx.rcode).toBe(3);
    expect(nx.authority[0]).toMatchObject({ type: 'SOA', name: 'cluster.local', mname: 'ns.dns.cluster.local' });
  });

  it('an unreachable upstream is SERVFAIL for names outside the zone', () => {
    expect(ask('example.com', 'A').rcode).toBe(2);
  });
});

describe('renderResolvConf', () => {
  it('writes search, nameservers, options in containerd order', () => {
    expect(renderResolvConf(conf)).toBe('search default.svc.cluster.local svc.cluster.local cluster.local\nnameserver 10.96.0.10\noptions ndots:5\n');
  });
});
