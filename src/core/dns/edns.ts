/**
 * EDNS(0) (RFC 6891 §6): the OPT pseudo-record a message may carry last in its additional
 * section — owner the root, CLASS the sender's UDP payload size, TTL the extended RCODE,
 * version and DO flag, RDATA a list of {code, length, data} options — and what each party of
 * the model puts there:
 * - dig (BIND 9.18 dig.c: `adflag`, `edns = 0`, `sendcookie` on by default; dighost.c
 *   setup_lookup): udp 1232 and an 8-byte client COOKIE (RFC 7873), the same for every query
 *   of one dig run (compute_cookie copies the process's cookie_secret);
 * - glibc with `options edns0` (res_mkquery.c __res_nopt): udp 1200, no option;
 * - CoreDNS (request.SizeAndDo, before every reply is written): when the query had an OPT
 *   record the reply gets it back — version 0, flags cleared, only the options CoreDNS knows
 *   (NSID, EXPIRE, COOKIE, TCP-KEEPALIVE, PADDING: request/edns0.go supportedOptions), so a
 *   client cookie is echoed without a server cookie — or, when the reply already has one (a
 *   forwarded upstream answer), that one with the query's UDP size.
 * The record stays an `OTHER` record (type 41) so the wire layer needs no special case.
 */
import type { DnsMessage } from '../wire/dns';
import type { DnsRecord } from '../wire/dns-rdata';

/** The OPT record's type code (RFC 6891 §6.1.1). */
export const OPT_TYPE = 41;
/** Option codes (IANA DNS EDNS0 Option Codes). */
export const EDNS_OPTION = { nsid: 3, expire: 9, cookie: 10, tcpKeepalive: 11, padding: 12 } as const;
/** The options CoreDNS copies from a query's OPT record into its reply (request/edns0.go). */
const COREDNS_ECHOED: ReadonlySet<number> = new Set(Object.values(EDNS_OPTION));
/** The DO bit in the OPT record's TTL (RFC 3225). */
const DO_BIT = 0x8000;

/** One EDNS option. */
export interface EdnsOption {
  code: number;
  data: Uint8Array;
}

/** An OPT record as a message carries it. */
export type OptRecord = DnsRecord & { type: 'OTHER' };

/** An OPT record advertising `udpSize` with `options`, version 0, no flags. */
export function optRecord(udpSize: number, options: readonly EdnsOption[] = []): OptRecord {
  const data = new Uint8Array(options.reduce((n, o) => n + 4 + o.data.length, 0));
  let at = 0;
  for (const o of options) {
    data.set([o.code >> 8, o.code & 0xff, o.data.length >> 8, o.data.length & 0xff], at);
    data.set(o.data, at + 4);
    at += 4 + o.data.length;
  }
  return { name: '', class: udpSize & 0xffff, ttl: 0, type: 'OTHER', typeCode: OPT_TYPE, data };
}

/** True for the OPT pseudo-record (which dig prints as its OPT PSEUDOSECTION, not as a record). */
export function isOpt(r: DnsRecord): r is OptRecord {
  return r.type === 'OTHER' && r.typeCode === OPT_TYPE;
}

/** The message's OPT record, if it has one. */
export function optOf(m: Pick<DnsMessage, 'additional'>): OptRecord | undefined {
  return m.additional.find(isOpt);
}

/** The records of a section without the OPT pseudo-record. */
export function withoutOpt(records: readonly DnsRecord[]): DnsRecord[] {
  return records.filter((r) => !isOpt(r));
}

/** The options of an OPT record, in order; a malformed tail is ignored. */
export function optOptions(opt: OptRecord): EdnsOption[] {
  const out: EdnsOption[] = [];
  const d = opt.data;
  for (let at = 0; at + 4 <= d.length; ) {
    const code = (d[at]! << 8) | d[at + 1]!;
    const len = (d[at + 2]! << 8) | d[at + 3]!;
    if (at + 4 + len > d.length) break;
    out.push({ code, data: d.slice(at + 4, at + 4 + len) });
    at += 4 + len;
  }
  return out;
}

/**
 * The reply with the OPT record CoreDNS writes for `query` (request.SizeAndDo): unchanged when
 * the query had none; else the reply's own OPT (a forwarded answer's) normalised to the query's
 * UDP size, or the query's OPT with the options CoreDNS supports.
 */
export function corednsEchoOpt(query: DnsMessage, reply: DnsMessage): DnsMessage {
  const q = optOf(query);
  if (!q) return reply;
  const doBit = q.ttl & DO_BIT;
  const own = optOf(reply);
  const opt: OptRecord = own
    ? { ...own, name: '', class: q.class, ttl: (own.ttl & 0xff00) | doBit }
    : { ...optRecord(q.class, optOptions(q).filter((o) => COREDNS_ECHOED.has(o.code))), ttl: q.ttl & 0xff00 };
  return { ...reply, additional: [...withoutOpt(reply.additional), opt] };
}
