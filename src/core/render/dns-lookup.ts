/**
 * `hopscope dns`: the resolver's questions in order, each with its answer, in a dig-like
 * shorthand — `A? web.default.svc.cluster.local. → 10.96.12.34`, `→ NXDOMAIN`, `→ NODATA`,
 * `→ no reply` — followed by where it went (the nameserver, and the pod or host that answered
 * after kube-proxy's DNAT) and any question CoreDNS forwarded upstream.
 */
import type { DnsMessage } from '../wire/dns';
import type { DnsExchange, DnsLookup } from '../simulate/dns-flows';
import { exchangeProtocol } from '../simulate/dns-flows';

const RCODES = ['NOERROR', 'FORMERR', 'SERVFAIL', 'NXDOMAIN', 'NOTIMP', 'REFUSED'];

/** The answer part of one line: addresses, CNAME chain, or the status. */
export function answerText(reply: DnsMessage | undefined): string {
  if (!reply) return 'no reply';
  if (reply.rcode !== 0) return RCODES[reply.rcode] ?? `RCODE${reply.rcode}`;
  if (!reply.answers.length) return 'NODATA';
  return reply.answers
    .map((a) => {
      switch (a.type) {
        case 'A':
        case 'AAAA':
          return a.address;
        case 'CNAME':
        case 'PTR':
          return `${a.type} ${a.target}.`;
        case 'SRV':
          return `SRV ${a.priority} ${a.weight} ${a.port} ${a.target}.`;
        default:
          return a.type;
      }
    })
    .join(', ');
}

/** `A? name. → answer`; `(TCP)` after the name of a question asked over TCP, `(truncated: TC set)` after a cut reply. */
export function questionLine(e: DnsExchange): string {
  const q = e.query.questions[0];
  const over = exchangeProtocol(e) === 'tcp' ? ' (TCP)' : '';
  const cut = e.reply?.tc ? ' (truncated: TC set)' : '';
  return `${q?.type ?? '?'}? ${q?.name ?? ''}.${over} → ${answerText(e.reply)}${cut}`;
}

function where(e: DnsExchange): string {
  const f = e.flow;
  if (f.verdict !== 'delivered') return `to ${e.server}: dropped (${f.reason ?? 'unknown'})`;
  return `to ${e.server}, answered by ${f.endpoint ?? '?'}`;
}

/** The whole lookup, one question per line, forwards indented under the question they serve. */
export function renderDnsLookup(from: string, l: DnsLookup): string {
  const conf = l.conf;
  const ndots = conf.options.find((o) => o.startsWith('ndots:')) ?? 'ndots:1';
  let out = `;; ${from}: nameserver ${conf.nameservers.join(' ') || '(none)'}; search ${conf.searches.join(' ') || '(none)'}; ${ndots}\n`;
  l.exchanges.forEach((e, i) => {
    out += `${String(i + 1).padStart(3)}  ${questionLine(e)}    [${where(e)}]\n`;
    for (const f of e.forwards) out += `       ${f.relayedBy ? 'relayed' : 'forwarded'}: ${questionLine(f)}    [${where(f)}]\n`;
  });
  const r = l.resolution;
  const n = l.exchanges.length;
  out += r.error ? `;; ${r.name}: ${r.error} after ${n} quer${n === 1 ? 'y' : 'ies'}\n` : `;; ${r.name} → ${r.addresses.join(', ')}${r.canonical && r.canonical !== r.name.replace(/\.$/, '') ? ` (${r.canonical})` : ''} after ${n} quer${n === 1 ? 'y' : 'ies'}\n`;
  return out;
}
