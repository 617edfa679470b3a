/**
 * How a DNS server fits a reply into the client's UDP buffer (RFC 1035 §4.2.1, RFC 6891 §6.2.5),
 * as CoreDNS does it: every reply goes through its ScrubWriter (request.Scrub → miekg/dns
 * `Msg.Truncate`). The budget is 512 bytes for a query without EDNS, the OPT record's UDP size
 * (at least 512) with one, 65535 over TCP. A reply that fits *uncompressed* is sent so — no
 * compression pointer at all (Truncate sets Compress=false: "don't waste effort compressing"),
 * unless, over UDP, it is bigger than 1480 bytes (1220 over IPv6): Scrub then compresses it to
 * avoid IP fragmentation. A reply that does not fit is compressed and the server keeps the
 * longest prefix of the answer section that fits, then of authority, then of additional (the
 * OPT record set aside and put back last), and sets TC when it dropped any record.
 *
 * Why it matters: a headless Service with a few dozen ready endpoints does not fit 512 bytes,
 * so glibc's stub resolver (which sends no EDNS unless `options edns0`) gets TC=1 and asks
 * again over TCP (res_send.c: "use TCP with same server") — through kube-proxy's `dns-tcp`
 * port, which a NetworkPolicy allowing only UDP 53 silently breaks. And the sizes dig prints
 * (`MSG SIZE rcvd`) and a capture shows are those of uncompressed replies.
 */
import type { DnsMessage } from '../wire/dns';
import type { DnsRecord } from '../wire/dns-rdata';
import { DNS_HEADER_LEN, emitDns } from '../wire/dns';
import { encodeName } from '../wire/dns-name';
import { encodeRdata } from '../wire/dns-rdata';
import { optOf, withoutOpt } from './edns';

/** Bytes of the OPT pseudo-record without options (root name, type, class, TTL, RDLENGTH). */
export const OPT_RECORD_LEN = 11;
/** RFC 1035's UDP limit, and the floor of any advertised EDNS size (miekg/dns MinMsgSize). */
export const MIN_UDP_SIZE = 512;
/** Over TCP the two-byte length prefix is the only limit (miekg/dns MaxMsgSize). */
export const MAX_TCP_SIZE = 65535;

/** Above these UDP sizes CoreDNS compresses a reply that would fit uncompressed (NSD's fragmentation limits). */
const FRAGMENTATION_LIMIT = { ipv4: 1480, ipv6: 1220 } as const;

/** How the client asked: over which transport, and the EDNS UDP size it advertised (none: no OPT record). */
export interface ClientBuffer {
  protocol: 'udp' | 'tcp';
  /** The OPT record's UDP payload size; undefined when the query carried no OPT record. */
  ednsSize?: number;
  /** The client's address family (request.Family); default IPv4. */
  ipv6?: boolean;
}

/** The bytes the server may fill (CoreDNS request.Size with plugin/pkg/edns.Size). */
export function replyBudget(client: ClientBuffer): number {
  if (client.protocol === 'tcp') return MAX_TCP_SIZE;
  return Math.max(client.ednsSize ?? 0, MIN_UDP_SIZE);
}

function recordLength(r: DnsRecord): number {
  return encodeName(r.name, 0).length + 10 + encodeRdata(r, 0).length;
}

/** The message's size without name compression (miekg/dns msgLenWithCompressionMap with no map). */
export function uncompressedLength(m: DnsMessage): number {
  const questions = m.questions.reduce((n, q) => n + encodeName(q.name, 0).length + 4, 0);
  return DNS_HEADER_LEN + questions + [...m.answers, ...m.authority, ...m.additional].reduce((n, r) => n + recordLength(r), 0);
}

type Section = 'answers' | 'authority' | 'additional';

/** The largest count of `section`'s records (a prefix) that keeps the compressed message within `budget`. */
function fittingPrefix(m: DnsMessage, section: Section, budget: number): number {
  const all = m[section];
  // Sizes only grow with each record added, so the fitting prefix is found by bisection.
  let lo = 0;
  let hi = all.length;
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (emitDns({ ...m, [section]: all.slice(0, mid) }).length <= budget) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/**
 * The reply as the server sends it to `client`: whole and uncompressed when it fits so (then
 * compressed only if a UDP reply would be fragmented), else compressed and cut to what fits
 * with TC set. `m` carries the OPT record the server echoes (edns.ts), whose bytes count against
 * the budget and which is never cut. The caller's message is not modified.
 */
export function fitReply(m: DnsMessage, client: ClientBuffer): DnsMessage {
  const budget = replyBudget(client);
  const length = uncompressedLength(m);
  if (length <= budget) {
    const limit = client.ipv6 ? FRAGMENTATION_LIMIT.ipv6 : FRAGMENTATION_LIMIT.ipv4;
    return { ...m, compress: client.protocol === 'udp' && length > limit };
  }
  const opt = optOf(m);
  const bare: DnsMessage = { ...m, additional: withoutOpt(m.additional), compress: true };
  const room = budget - (opt ? recordLength(opt) : 0);
  let cut: DnsMessage = { ...bare, answers: [], authority: [], additional: [] };
  for (const section of ['answers', 'authority', 'additional'] as const) {
    const n = fittingPrefix({ ...cut, [section]: bare[section] }, section, room);
    cut = { ...cut, [section]: bare[section].slice(0, n) };
    if (n < bare[section].length) break;
  }
  const dropped = cut.answers.length < m.answers.length || cut.authority.length < m.authority.length || cut.additional.length < bare.additional.length;
  return { ...cut, additional: opt ? [...cut.additional, opt] : cut.additional, tc: m.tc || dropped };
}
