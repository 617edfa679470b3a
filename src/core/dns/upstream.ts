/**
 * The world outside the cluster, as far as DNS goes: one recursive resolver on the internet
 * segment (`UPSTREAM_DNS`, the nameserver of every node's resolv.conf and so CoreDNS's
 * `forward . /etc/resolv.conf` target) that knows a few public names and says NXDOMAIN to the
 * rest. Ingress hosts are added by the ingress controller (the records an operator publishes
 * for the ingress address). The addresses are illustrative, not live lookups.
 */
import type { DnsRecord } from '../wire/dns-rdata';
import type { DnsReply } from './resolver';

/** The upstream resolver's address, on the internet segment (203.0.113.0/24). */
export const UPSTREAM_DNS = '203.0.113.53';
/** Its name as an external host (`external/upstream-dns`). */
export const UPSTREAM_DNS_HOST = 'upstream-dns';
const TTL = 300;

/** A few public names, so that forwarding has something to find. */
export const PUBLIC_NAMES: readonly { name: string; address?: string; cname?: string }[] = [
  { name: 'example.com', address: '93.184.215.14' },
  { name: 'www.example.com', cname: 'example.com' },
  { name: 'google.com', address: '142.250.72.14' },
  { name: 'www.google.com', address: '142.250.72.36' },
  { name: 'kubernetes.io', address: '15.197.167.90' },
  { name: 'registry.k8s.io', address: '34.96.108.209' },
  { name: 'api.github.com', address: '140.82.112.6' },
];

export interface PublicZone {
  records: Map<string, DnsRecord[]>;
}

/** The public names plus `extra` A records (e.g. Ingress hosts → the ingress address). */
export function buildPublicZone(extra: readonly { name: string; address: string }[] = []): PublicZone {
  const records = new Map<string, DnsRecord[]>();
  const put = (r: DnsRecord) => records.set(r.name, [...(records.get(r.name) ?? []), r]);
  for (const n of PUBLIC_NAMES) {
    if (n.cname) put({ name: n.name, class: 1, ttl: TTL, type: 'CNAME', target: n.cname });
    if (n.address) put({ name: n.name, class: 1, ttl: TTL, type: 'A', address: n.address });
  }
  for (const e of extra) if (!records.has(e.name.toLowerCase())) put({ name: e.name.toLowerCase(), class: 1, ttl: TTL, type: 'A', address: e.address });
  // The root exists (its NS set is what `dig` with no name asks for).
  for (const l of 'abcdefghijklm') put({ name: '', class: 1, ttl: 518400, type: 'NS', target: `${l}.root-servers.net` });
  return { records };
}

const ROOT_SOA: DnsRecord = { name: '', class: 1, ttl: 86400, type: 'SOA', mname: 'a.root-servers.net', rname: 'nstld.verisign-grs.com', serial: 2024010100, refresh: 1800, retry: 900, expire: 604800, minimum: 86400 };

/**
 * A recursive resolver's reply (not authoritative; CNAMEs followed within what it knows). Only
 * class IN is served: a CH, HS or ANY question is REFUSED, as BIND's recursive resolver does
 * for every CHAOS name outside its built-in `version.bind`/`id.server` zones.
 */
export function publicReply(zone: PublicZone, qname: string, type: string, qclass = 1): DnsReply {
  // Nor does it transfer zones (AXFR 252, IXFR 251).
  if (qclass !== 1 || /^(AXFR|IXFR|TYPE25[12])$/i.test(type)) return { rcode: 5, aa: false, answers: [], authority: [] };
  const answers: DnsRecord[] = [];
  let name = qname.toLowerCase().replace(/\.$/, '');
  for (let hops = 0; hops < 8; hops++) {
    const rs = zone.records.get(name);
    if (!rs) return { rcode: answers.length ? 0 : 3, aa: false, answers, authority: answers.length ? [] : [ROOT_SOA] };
    const cname = rs.find((r) => r.type === 'CNAME');
    if (cname && type !== 'CNAME' && cname.type === 'CNAME') {
      answers.push(cname);
      name = cname.target;
      continue;
    }
    const match = rs.filter((r) => r.type === type);
    return { rcode: 0, aa: false, answers: [...answers, ...match], authority: match.length ? [] : [ROOT_SOA] };
  }
  return { rcode: 2, aa: false, answers: [], authority: [] };
}
