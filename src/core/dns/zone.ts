/**
 * The cluster zone CoreDNS's `kubernetes` plugin serves (Kubernetes DNS spec 1.1.0 plus the
 * CoreDNS pod records; spec/dns-and-ingress.md §4), built once per model into a map keyed by
 * lower-case owner name so a lookup is O(1) whatever the number of Services.
 *
 * Records:
 * - `<svc>.<ns>.svc.<zone>` A → ClusterIP (ClusterIP, NodePort, LoadBalancer Services);
 * - headless (`clusterIP: None`): one A per ready endpoint, and `<host>.<svc>.<ns>.svc.<zone>`
 *   per endpoint (host = endpoint hostname, the pod's `hostname` when its `subdomain` names the
 *   Service, else the dashed IP); no ready endpoint → NXDOMAIN;
 * - `_<port>._<proto>.<svc>.<ns>.svc.<zone>` SRV per named port (headless: per ready endpoint),
 *   answering A as well (the Service's address, or its endpoints'),
 *   and SRV at the Service name itself for every port, named or not (the plugin treats a missing
 *   port and protocol as "any"); an SRV answer carries its targets' A records as ADDITIONAL;
 * - ExternalName: CNAME to `spec.externalName` (an SRV question gets `0 100 0 <externalName>.`);
 * - `<d>.<c>.<b>.<a>.in-addr.arpa` PTR for ClusterIPs, else for ready endpoint IPs of any Service
 *   (`<host>.<svc>.<ns>.svc.<zone>`, one per Service selecting it; CoreDNS `serviceRecordForIP`),
 *   and `<host>.<svc>.<ns>.svc.<zone>` A for those endpoints, which CoreDNS answers for
 *   ClusterIP Services too;
 * - the apex: SOA, NS `ns.dns.<zone>`, and `ns.dns.<zone>` A → the kube-dns ClusterIP;
 * - `<a-b-c-d>.<ns>.pod.<zone>` A (`pods insecure`, kubeadm's Corefile: any dashed IPv4 in a
 *   namespace that exists; `verified` needs a pod with that IP; `disabled` answers NXDOMAIN);
 * - `dns-version.<zone>` TXT "1.1.0".
 * Names that exist but lack the type asked are NODATA (NOERROR, SOA in authority); names that
 * do not exist are NXDOMAIN. Names outside the zone (and reverse names without a PTR here —
 * the Corefile's `fallthrough in-addr.arpa`) are for `forward`.
 */
import type { EndpointSlice, Service } from '../k8s/types';
import type { DnsRecord } from '../wire/dns-rdata';
import type { DnsReply } from './resolver';
import { isIPv4 } from '../util/ip';
import { dnsTypeCode } from '../wire/dns-rdata';

const IXFR = 251;
const AXFR = 252;

/** TTL of the kubeadm Corefile (`ttl 30`). */
export const CLUSTER_TTL = 30;
export const DNS_SCHEMA_VERSION = '1.1.0';

export interface ZonePod {
  namespace: string;
  name: string;
  ip: string;
  hostname?: string;
  subdomain?: string;
}

export interface ZoneInput {
  clusterDomain: string;
  services: readonly Service[];
  endpointSlices: readonly EndpointSlice[];
  pods: readonly ZonePod[];
  /** Namespaces that exist besides those holding Services or pods. */
  namespaces?: readonly string[];
  podsMode?: 'insecure' | 'verified' | 'disabled';
  ttl?: number;
}

export interface ClusterZone {
  domain: string;
  ttl: number;
  podsMode: 'insecure' | 'verified' | 'disabled';
  /** Lower-case owner name (no trailing dot) → records. */
  records: Map<string, DnsRecord[]>;
  /** Names that exist without records of their own (empty non-terminals, namespaces). */
  existing: Set<string>;
  namespaces: Set<string>;
  /** `ns/ip` of every pod, for `pods verified`. */
  podIps: Set<string>;
}

/** What the zone says about a question: an authoritative reply, or "not mine, forward it". */
export type ZoneAnswer = { kind: 'reply'; reply: DnsReply } | { kind: 'forward' };

function add(zone: ClusterZone, r: DnsRecord): void {
  const key = r.name.toLowerCase();
  const list = zone.records.get(key);
  if (list) list.push(r);
  else zone.records.set(key, [r]);
  // Every ancestor inside the zone exists (RFC 8020: an empty non-terminal is not NXDOMAIN).
  let rest = key;
  for (let i = rest.indexOf('.'); i !== -1 && rest.length > zone.domain.length; i = rest.indexOf('.')) {
    rest = rest.slice(i + 1);
    if (zone.existing.has(rest)) break;
    zone.existing.add(rest);
  }
}

function dashed(ip: string): string {
  return ip.replace(/\./g, '-');
}

function reverseName(ip: string): string {
  return `${ip.split('.').reverse().join('.')}.in-addr.arpa`;
}

function isReady(e: { conditions?: { ready?: boolean } }): boolean {
  return e.conditions?.ready !== false;
}

function slicesByService(slices: readonly EndpointSlice[]): Map<string, EndpointSlice[]> {
  const out = new Map<string, EndpointSlice[]>();
  for (const s of slices) {
    const svc = s.metadata.labels?.['kubernetes.io/service-name'];
    if (!svc) continue;
    const key = `${s.metadata.namespace ?? 'default'}/${svc}`;
    const list = out.get(key);
    if (list) list.push(s);
    else out.set(key, [s]);
  }
  return out;
}

function srvRecords(owner: string, port: number, targets: string[], ttl: number): DnsRecord[] {
  const weight = Math.floor(100 / Math.max(1, targets.length));
  return targets.map((target) => ({ name: owner, class: 1, ttl, type: 'SRV' as const, priority: 0, weight, port, target }));
}

function addClusterIpService(zone: ClusterZone, svc: Service, fqdn: string, slices: EndpointSlice[], pods: Map<string, ZonePod>, endpointNames: Map<string, string[]>): void {
  const ip = svc.spec.clusterIP!;
  const ttl = zone.ttl;
  add(zone, { name: fqdn, class: 1, ttl, type: 'A', address: ip });
  add(zone, { name: reverseName(ip), class: 1, ttl, type: 'PTR', target: fqdn });
  const ports = svc.spec.ports ?? [];
  // SRV at the Service name: one per port, named or not, the weights splitting 100.
  const weight = Math.floor(100 / Math.max(1, ports.length));
  for (const p of ports) add(zone, { name: fqdn, class: 1, ttl, type: 'SRV', priority: 0, weight, port: p.port, target: fqdn });
  for (const p of ports) {
    if (!p.name) continue;
    const owner = `_${p.name}._${(p.protocol ?? 'TCP').toLowerCase()}.${fqdn}`;
    for (const r of srvRecords(owner, p.port, [fqdn], ttl)) add(zone, r);
    // The plugin answers A at the SRV name too: `_port._proto` only narrows the Service's ports.
    add(zone, { name: owner, class: 1, ttl, type: 'A', address: ip });
  }
  // Endpoint names exist for a ClusterIP Service too (CoreDNS answers `r.endpoint` queries for any Service).
  for (const { ip: epIp, host } of readyEndpoints(slices, svc.metadata.name ?? '', pods)) {
    const name = `${host}.${fqdn}`;
    add(zone, { name, class: 1, ttl, type: 'A', address: epIp });
    noteEndpointName(endpointNames, epIp, name);
  }
}

function noteEndpointName(names: Map<string, string[]>, ip: string, name: string): void {
  const list = names.get(ip);
  if (list) list.push(name);
  else names.set(ip, [name]);
}

/** The ready IPv4 endpoints of a Service's slices, each once, with the host label CoreDNS gives it. */
function readyEndpoints(slices: EndpointSlice[], svcName: string, pods: Map<string, ZonePod>): { ip: string; host: string; ports: NonNullable<EndpointSlice['ports']> }[] {
  const out: { ip: string; host: string; ports: NonNullable<EndpointSlice['ports']> }[] = [];
  const seen = new Set<string>();
  for (const slice of slices) {
    if (slice.addressType !== 'IPv4') continue;
    for (const e of slice.endpoints ?? []) {
      const ip = e.addresses?.[0];
      if (!ip || !isIPv4(ip) || !isReady(e) || seen.has(ip)) continue;
      seen.add(ip);
      out.push({ ip, host: endpointHost(e, svcName, pods), ports: slice.ports ?? [] });
    }
  }
  return out;
}

function endpointHost(e: { addresses: string[]; hostname?: string; targetRef?: { name?: string; namespace?: string } }, svcName: string, pods: Map<string, ZonePod>): string {
  if (e.hostname) return e.hostname;
  const pod = e.targetRef?.name ? pods.get(`${e.targetRef.namespace ?? ''}/${e.targetRef.name}`) : undefined;
  if (pod?.hostname && pod.subdomain === svcName) return pod.hostname;
  return dashed(e.addresses[0]!);
}

function addHeadlessService(zone: ClusterZone, svc: Service, fqdn: string, slices: EndpointSlice[], pods: Map<string, ZonePod>, endpointNames: Map<string, string[]>): void {
  const ttl = zone.ttl;
  const named = new Map<string, { protocol: string; port: number; targets: string[]; ips: string[] }>();
  const any: { port: number; target: string }[] = [];
  for (const e of readyEndpoints(slices, svc.metadata.name ?? '', pods)) {
    const host = `${e.host}.${fqdn}`;
    add(zone, { name: fqdn, class: 1, ttl, type: 'A', address: e.ip });
    add(zone, { name: host, class: 1, ttl, type: 'A', address: e.ip });
    noteEndpointName(endpointNames, e.ip, host);
    for (const p of e.ports) {
      if (p.port === undefined) continue;
      any.push({ port: p.port, target: host });
      if (!p.name) continue;
      const key = `_${p.name}._${(p.protocol ?? 'TCP').toLowerCase()}.${fqdn}`;
      const entry = named.get(key) ?? { protocol: p.protocol ?? 'TCP', port: p.port, targets: [], ips: [] };
      entry.targets.push(host);
      entry.ips.push(e.ip);
      named.set(key, entry);
    }
  }
  // CoreDNS gives each endpoint its own port (named ports may resolve differently per pod);
  // one port per SRV owner is the common case and what we model.
  for (const [owner, e] of named) {
    for (const r of srvRecords(owner, e.port, e.targets, ttl)) add(zone, r);
    for (const address of e.ips) add(zone, { name: owner, class: 1, ttl, type: 'A', address });
  }
  // SRV at the Service name: every endpoint × port, the weights splitting 100.
  const weight = Math.floor(100 / Math.max(1, any.length));
  for (const a of any) add(zone, { name: fqdn, class: 1, ttl, type: 'SRV', priority: 0, weight, port: a.port, target: a.target });
}

/** Builds the zone from the API objects (Services, EndpointSlices, pods). Pure and total. */
export function buildClusterZone(input: ZoneInput): ClusterZone {
  const domain = input.clusterDomain.toLowerCase().replace(/\.$/, '');
  const zone: ClusterZone = { domain, ttl: input.ttl ?? CLUSTER_TTL, podsMode: input.podsMode ?? 'insecure', records: new Map(), existing: new Set([domain, `svc.${domain}`, `pod.${domain}`]), namespaces: new Set(input.namespaces ?? []), podIps: new Set() };
  const pods = new Map<string, ZonePod>();
  for (const p of input.pods) {
    pods.set(`${p.namespace}/${p.name}`, p);
    zone.namespaces.add(p.namespace);
    zone.podIps.add(`${p.namespace}/${p.ip}`);
  }
  const slices = slicesByService(input.endpointSlices);
  const endpointNames = new Map<string, string[]>();
  let nsAddress: string | undefined;
  for (const svc of input.services) {
    const ns = svc.metadata.namespace ?? 'default';
    const name = svc.metadata.name;
    if (!name) continue;
    zone.namespaces.add(ns);
    const fqdn = `${name}.${ns}.svc.${domain}`;
    const spec = svc.spec ?? {};
    if (spec.type === 'ExternalName') {
      if (spec.externalName) add(zone, { name: fqdn, class: 1, ttl: zone.ttl, type: 'CNAME', target: spec.externalName.replace(/\.$/, '') });
    } else if (spec.clusterIP === 'None') addHeadlessService(zone, svc, fqdn, slices.get(`${ns}/${name}`) ?? [], pods, endpointNames);
    else if (spec.clusterIP && isIPv4(spec.clusterIP)) {
      addClusterIpService(zone, svc, fqdn, slices.get(`${ns}/${name}`) ?? [], pods, endpointNames);
      if (ns === 'kube-system' && name === 'kube-dns') nsAddress = spec.clusterIP;
    }
  }
  // A reverse name answers the ClusterIP's Service first, else every Service the endpoint serves.
  for (const [ip, names] of endpointNames) {
    const rev = reverseName(ip);
    if (zone.records.get(rev)?.some((r) => r.type === 'PTR')) continue;
    for (const target of names) add(zone, { name: rev, class: 1, ttl: zone.ttl, type: 'PTR', target });
  }
  // The apex: SOA and NS (the plugin names its own server `ns.dns.<zone>`, at the kube-dns address).
  add(zone, zoneSoa(zone));
  add(zone, { name: domain, class: 1, ttl: zone.ttl, type: 'NS', target: `ns.dns.${domain}` });
  if (nsAddress) add(zone, { name: `ns.dns.${domain}`, class: 1, ttl: zone.ttl, type: 'A', address: nsAddress });
  for (const ns of zone.namespaces) {
    zone.existing.add(`${ns}.svc.${domain}`);
    zone.existing.add(`${ns}.pod.${domain}`);
  }
  const version = [...DNS_SCHEMA_VERSION].map((c) => c.charCodeAt(0));
  add(zone, { name: `dns-version.${domain}`, class: 1, ttl: zone.ttl, type: 'OTHER', typeCode: 16, data: new Uint8Array([version.length, ...version]) });
  return zone;
}

/** The zone's SOA, as the kubernetes plugin writes it in negative answers. */
export function zoneSoa(zone: ClusterZone): DnsRecord {
  const d = zone.domain;
  return { name: d, class: 1, ttl: zone.ttl, type: 'SOA', mname: `ns.dns.${d}`, rname: `hostmaster.${d}`, serial: 1700000000, refresh: 7200, retry: 1800, expire: 86400, minimum: zone.ttl };
}

/** True when `name` (lower case, no trailing dot) is inside the cluster domain. */
export function inClusterZone(zone: ClusterZone, name: string): boolean {
  return name === zone.domain || name.endsWith(`.${zone.domain}`);
}

function podRecord(zone: ClusterZone, name: string): DnsRecord | null {
  if (zone.podsMode === 'disabled') return null;
  const m = /^(\d{1,3}-\d{1,3}-\d{1,3}-\d{1,3})\.([^.]+)\.pod\.(.+)$/.exec(name);
  if (!m || m[3] !== zone.domain) return null;
  const ip = m[1]!.replace(/-/g, '.');
  if (!isIPv4(ip) || !zone.namespaces.has(m[2]!)) return null;
  if (zone.podsMode === 'verified' && !zone.podIps.has(`${m[2]}/${ip}`)) return null;
  return { name, class: 1, ttl: zone.ttl, type: 'A', address: ip };
}

function reply(rcode: number, answers: DnsRecord[], authority: DnsRecord[], additional: DnsRecord[] = []): ZoneAnswer {
  return { kind: 'reply', reply: { rcode, aa: true, answers, authority, ...(additional.length ? { additional } : {}) } };
}

/** The A records of SRV and NS targets inside the zone, each once: CoreDNS's ADDITIONAL section. */
function targetAddresses(zone: ClusterZone, answers: DnsRecord[]): DnsRecord[] {
  const out: DnsRecord[] = [];
  const seen = new Set<string>();
  for (const r of answers) {
    if (r.type !== 'SRV' && r.type !== 'NS') continue;
    const target = r.target.toLowerCase();
    if (seen.has(target)) continue;
    seen.add(target);
    for (const a of zone.records.get(target) ?? []) if (a.type === 'A') out.push(a);
  }
  return out;
}

/**
 * The kubernetes plugin's answer to `type? name` (case-insensitive, trailing dot optional).
 * A CNAME is returned on its own; chasing its target is the server's job (`coredns.ts`).
 */
export function answerFromZone(zone: ClusterZone, qname: string, type: string): ZoneAnswer {
  const name = qname.toLowerCase().replace(/\.$/, '');
  const isReverse = name.endsWith('.in-addr.arpa');
  if (!inClusterZone(zone, name) && !isReverse) return { kind: 'forward' };
  // Zone transfers are refused (plugin/kubernetes handler.go; the `transfer` plugin is not in
  // the Corefile), before any lookup, so a reverse name without a PTR is refused too. The
  // server writes the error reply itself: no AA, no SOA.
  const code = dnsTypeCode(type);
  if (code === AXFR || code === IXFR) return { kind: 'reply', reply: { rcode: 5, aa: false, answers: [], authority: [] } };
  const records = zone.records.get(name) ?? [];
  const pod = records.length ? null : podRecord(zone, name);
  const all = pod ? [pod] : records;
  if (isReverse && !all.length) return { kind: 'forward' };
  const cname = all.filter((r) => r.type === 'CNAME');
  // An ExternalName asked SRV: the plugin's SRV() makes the external name the target, port 0.
  if (cname[0]?.type === 'CNAME' && type === 'SRV') return reply(0, [{ name, class: 1, ttl: zone.ttl, type: 'SRV', priority: 0, weight: 100, port: 0, target: cname[0].target }], []);
  if (cname.length && type !== 'CNAME') return reply(0, cname, []);
  const match = all.filter((r) => r.type === type || (r.type === 'OTHER' && type === 'TXT' && r.typeCode === 16));
  if (match.length) return reply(0, match, [], targetAddresses(zone, match));
  if (all.length || zone.existing.has(name)) return reply(0, [], [zoneSoa(zone)]);
  return reply(3, [], [zoneSoa(zone)]);
}
