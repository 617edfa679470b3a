/**
 * How a DNS server fits a reply into the client's UDP buffer (RFC 1035 §4.2.1, RFC 6891 §6.2.5),
 * as CoreDNS does it: every reply goes through its ScrubWriter (request.Scrub → miekg/dns
 * `Msg.Truncate`). The budget is 512 bytes for a query without EDNS, the OPT record's UDP size
 * (at least 512) with one, 65535 over TCP. A reply that fits *uncompressed* is sent as it is;
 * otherwise the server keeps, with name compression, the longest prefix of the answer section
 * that fits, then of authority, then of additional, and sets TC when it dropped any record.
 *
 * Why it matters: a headless Service with a few dozen ready endpoints does not fit 512 bytes,
 * so glibc's stub resolver (which sends no EDNS unless `options edns0`) gets TC=1 and asks
 * again over TCP (res_send.c: "use TCP with same server") — through kube-proxy's `dns-tcp`
 * port, which a NetworkPolicy allowing only UDP 53 silently breaks.
 */
import type { DnsMessage } from '../wire/dns';
import type { DnsRecord } from '../wire/dns-rdata';
import { DNS_HEADER_LEN, emitDns } from '../wire/dns';
import { encodeName } from '../wire/dns-name';
import { encodeRdata } from '../wire/dns-rdata';

/** Bytes of the OPT pseudo-record without options (root name, type, class, TTL, RDLENGTH). */
export const OPT_RECORD_LEN = 11;
/** RFC 1035's UDP limit, and the floor of any advertised EDNS size (miekg/dns MinMsgSize). */
export const MIN_UDP_SIZE = 512;
/** Over TCP the two-byte length prefix is the only limit (miekg/dns MaxMsgSize). */
export const MAX_TCP_SIZE = 65535;

/** How the client asked: over which transport, and the EDNS UDP size it advertised (none: no OPT record). */
export interface ClientBuffer {
  protocol: 'udp' | 'tcp';
  /** The OPT record's UDP payload size; undefined when the query carried no OPT record. */
  ednsSize?: number;
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
 * The reply as the server sends it to `client`: unchanged when it fits, else cut to what fits
 * with TC set. The caller's message is not modified. With EDNS the reply carries the OPT record
 * (not held in `DnsMessage`), so its bytes count against the budget.
 */
export function fitReply(m: DnsMessage, client: ClientBuffer): DnsMessage {
  const opt = client.ednsSize !== undefined ? OPT_RECORD_LEN : 0;
  const budget = replyBudget(client);
  if (uncompressedLength(m) + opt <= budget) return m;
  const room = budget - opt;
  let cut: DnsMessage = { ...m, answers: [], authority: [], additional: [] };
  for (const section of ['answers', 'authority', 'additional'] as const) {
    const n = fittingPrefix({ ...cut, [section]: m[section] }, section, room);
    cut = { ...cut, [section]: m[section].slice(0, n) };
    if (n < m[section].length) break;
  }
  const dropped = cut.answers.length < m.answers.length || cut.authority.length < m.authority.length || cut.additional.length < m.additional.length;
  return { ...cut, tc: m.tc || dropped };
}
