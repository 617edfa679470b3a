/**
 * The world outside the cluster, as far as DNS goes: one recursive resolver on the internet
 * segment (`UPSTREAM_DNS`, the nameserver of every node's resolv.conf and so CoreDNS's
 * `forward . /etc/resolv.conf` target) that knows a few public names and says NXDOMAIN to the
 * rest. Ingress hosts are added by the ingress controller (the records an operator publishes
 * for the ingress address). The addresses are illustrative, not live lookups.
 */
import type { DnsMessage } from '../wire/dns';
import type { DnsRecord } from '../wire/dns-rdata';
import type { DnsReply } from './resolver';
import type { EdnsOption } from './edns';
import { EDNS_OPTION, optOf, optOptions, optRecord, withoutOpt } from './edns';
import { siphash, sipKeyFromBytes } from '../util/siphash';

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

/** BIND 9.18's `edns-udp-size`/`max-udp-size` default, which its replies advertise. */
const UPSTREAM_EDNS_SIZE = 1232;
/** The resolver's cookie secret (BIND: `cookie-secret`, random at start; fixed here so runs repeat). */
const COOKIE_KEY = sipKeyFromBytes([...'hopscope-upstrm!'].map((c) => c.charCodeAt(0)));

/**
 * A BIND server cookie for `client` (RFC 9018 §4): version 1, three reserved bytes, a 32-bit
 * timestamp (the simulated clock starts at the epoch, so 0) and a SipHash-2-4 of the client
 * cookie and those fields. BIND sends it after the client cookie, so dig reports it "(good)".
 */
function serverCookie(client: Uint8Array): Uint8Array {
  const head = [1, 0, 0, 0, 0, 0, 0, 0];
  const hash = siphash([...client, ...head], COOKIE_KEY);
  const tail = Array.from({ length: 8 }, (_, i) => Number((hash >> BigInt(56 - 8 * i)) & 0xffn));
  return Uint8Array.from([...client, ...head, ...tail]);
}

/**
 * The upstream resolver's reply with the OPT record it adds when the query had one (RFC 6891
 * §7): its own UDP size, and a COOKIE answer (client + server cookie) to a query that sent a
 * client cookie of the right length (RFC 7873 §5.2). Without EDNS in the query, none.
 */
export function upstreamOpt(query: DnsMessage, reply: DnsMessage): DnsMessage {
  const q = optOf(query);
  if (!q) return reply;
  const options: EdnsOption[] = optOptions(q)
    .filter((o) => o.code === EDNS_OPTION.cookie && o.data.length === 8)
    .map((o) => ({ code: EDNS_OPTION.cookie, data: serverCookie(o.data) }));
  return { ...reply, additional: [...withoutOpt(reply.additional), optRecord(UPSTREAM_EDNS_SIZE, options)] };
}
