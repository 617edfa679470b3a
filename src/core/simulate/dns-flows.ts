/**
 * Name resolution as packets (spec/dns-and-ingress.md §3): every question the stub resolver
 * asks is a UDP exchange from the client's socket to its nameserver (dig +tcp and friends ask
 * over TCP, to another port or in another class: `QueryTransport`) — for a ClusterFirst pod
 * the kube-dns ClusterIP, DNAT-ed by the node's kube-proxy rules to a CoreDNS pod, maybe on
 * another node through the overlay — and the reply walks back through the same conntrack entry,
 * so the client sees it come from the ClusterIP. A reply too big for the client's UDP buffer
 * comes back cut with TC set (dns/truncation.ts) and the stub asks again over TCP, to the
 * Service's `dns-tcp` port. The CoreDNS pod that received the query
 * answers from the cluster zone; a name outside it makes that pod forward the question to
 * its own nameserver (the upstream resolver, a second flow, masqueraded by its node).
 *
 * Each exchange has its own random stream (`dns:<n>` of the request's flow index), so a lookup
 * never changes the connection that follows. Mutates the model as walks do (conntrack, ARP).
 */
import type { ClusterModel, ModelPod, Netns } from '../model/types';
import type { Flow } from '../trace/types';
import type { Packet, Payload } from '../datapath/packet';
import type { DnsMessage } from '../wire/dns';
import type { Source } from './refs';
import type { DnsReply, ExchangeResult, Resolution, ResolveOptions } from '../dns/resolver';
import type { ResolvConf } from '../dns/resolv-conf';
import { dnsQuery, emitDns, formatDns } from '../wire/dns';
import { resolveName } from '../dns/resolver';
import { corednsAnswer } from '../dns/coredns';
import { publicReply, upstreamOpt, UPSTREAM_DNS, UPSTREAM_DNS_HOST } from '../dns/upstream';
import { clusterZoneOf, getDnsState, podDnsConf, publicZoneOf } from '../dns/cluster-dns';
import { DNS_LABELS } from '../dns/system-objects';
import { buildExternalHost } from '../compile/underlay';
import { createRng } from '../util/rng';
import { traceExchange } from './exchange';
import { l4Of, outerIp } from '../datapath/headers';
import { userspaceProxyTarget } from '../proxy/userspace';
import { fitReply } from '../dns/truncation';
import type { EdnsOption } from '../dns/edns';
import { corednsEchoOpt, optRecord } from '../dns/edns';
import { resolverSettings } from '../dns/resolv-conf';

/** glibc's advertised EDNS size with `options edns0` (resolv-internal.h RESOLV_EDNS_BUFFER_SIZE). */
const GLIBC_EDNS_SIZE = 1200;

/** One question on the wire, with the flow that carried it. */
export interface DnsExchange {
  server: string;
  query: DnsMessage;
  /** Absent when nothing came back (the query or the reply was dropped, or nobody answers DNS there). */
  reply?: DnsMessage;
  flow: Flow;
  /**
   * Questions the answering CoreDNS pod sent upstream for this one, each a flow of its own; or,
   * when kube-proxy's userspace mode took the query, the datagram it relayed to a CoreDNS pod.
   */
  forwards: DnsExchange[];
  /** Set on a relayed datagram: who relayed it (a forward of CoreDNS's has none). */
  relayedBy?: string;
}

export interface DnsLookup {
  resolution: Resolution;
  exchanges: DnsExchange[];
  /** The client's resolv.conf. */
  conf: ResolvConf;
}

export interface LookupOptions extends ResolveOptions {
  seed?: number;
  /** The flow index of the request this lookup serves. */
  index?: number;
  /**
   * The resolv.conf to use instead of the source's: a program run in a pod's network namespace
   * from the node (`ip netns exec`) still reads the node's /etc/resolv.conf.
   */
  conf?: ResolvConf;
}

/**
 * How one question travels: the transport, the server's port and the question's class. A
 * stub resolver always asks IN over UDP to port 53; dig, host and nslookup can change all three
 * (`+tcp`, `-p`, `-c CH`).
 */
export interface QueryTransport {
  protocol: 'udp' | 'tcp';
  port: number;
  /** The question's class: 1 IN, 3 CH, 4 HS, 254 NONE, 255 ANY. */
  qclass: number;
  /**
   * The EDNS UDP size the query advertises in its OPT record (dig: 1232; glibc with
   * `options edns0`: 1200); absent when the query has no OPT record, so a UDP reply is cut at 512.
   */
  ednsSize?: number;
  /** The OPT record's options (dig: an 8-byte client COOKIE); only with `ednsSize`. */
  ednsOptions?: readonly EdnsOption[];
  /** Set AD in the query (dig does by default: +adflag). */
  ad?: boolean;
}

export interface QueryOptions extends LookupOptions {
  transport?: QueryTransport;
}

const STUB: QueryTransport = { protocol: 'udp', port: 53, qclass: 1 };

function podOfSource(model: ClusterModel, src: Source): ModelPod | undefined {
  const parts = src.label.split('/');
  if (parts[0] !== 'pod') return undefined;
  return model.pods.find((p) => p.namespace === parts[1] && p.name === parts[2]);
}

/** The resolv.conf the source's resolver reads: the pod's (kubelet), else the host's own. */
export function sourceResolvConf(model: ClusterModel, src: Source): ResolvConf {
  const pod = podOfSource(model, src);
  if (pod) return podDnsConf(model, pod).conf;
  return getDnsState(model).node;
}

function payloadOf(m: DnsMessage): Payload {
  const length = emitDns(m).length;
  return { length, summary: `DNS ${formatDns(m, length)}`, dns: m };
}

function replyMessage(q: DnsMessage, r: DnsReply, recursive: boolean): DnsMessage {
  // miekg/dns SetReply copies ID, opcode, RD and CD; AD stays clear (nothing here is validated).
  return { ...q, qr: true, aa: r.aa, ra: recursive, ad: false, rcode: r.rcode, answers: r.answers, authority: r.authority, additional: r.additional ?? [] };
}

/** A reply message as the resolver sees it (ADDITIONAL only when it holds records). */
function replyOf(m: DnsMessage): DnsReply {
  return { rcode: m.rcode, aa: m.aa, answers: m.answers, authority: m.authority, ...(m.additional.length ? { additional: m.additional } : {}) };
}

function isCorednsPod(model: ClusterModel, ns: Netns): ModelPod | undefined {
  if (!ns.pod) return undefined;
  const pod = model.pods.find((p) => `${p.namespace}/${p.name}` === ns.pod);
  return pod && Object.entries(DNS_LABELS).every(([k, v]) => pod.labels[k] === v) ? pod : undefined;
}

interface Ctx {
  model: ClusterModel;
  opts: LookupOptions;
  counter: { n: number };
}

/**
 * kube-proxy's userspace mode REDIRECTs the query to its proxy socket on the node, which sends
 * the query (datagram or connection) on to a backend from the node (a flow of its own) and relays the answer back to
 * the client; undefined when `at` is not such a proxy.
 */
function userspaceRelay(c: Ctx, received: Packet, at: Netns, name: string, type: string, how: QueryTransport): DnsExchange | undefined {
  const l4 = l4Of(received);
  if (at.kind !== 'node' || !l4 || (l4.kind !== 'udp' && l4.kind !== 'tcp')) return undefined;
  const target = userspaceProxyTarget(c.model, at.node, l4.kind, l4.dport, outerIp(received).src, c.opts.index ?? 0);
  const backend = target?.candidates[0];
  if (!backend) return undefined;
  const sep = backend.lastIndexOf(':');
  const relayed = exchangeOnce(c, { netns: at, label: `node/${at.node}` }, backend.slice(0, sep), name, type, { ...how, port: Number(backend.slice(sep + 1)) });
  relayed.relayedBy = `kube-proxy (userspace) for ${target.portal.servicePort}`;
  return relayed;
}

/**
 * Over TCP the exchange is summarised as its handshake (simulate/exchange.ts): the SYN and
 * SYN-ACK carry no DNS bytes, so their summaries say what the connection is for and what the
 * server answered on it.
 */
function tcpPayloads(query: DnsMessage, server: string, port: number): { request: Payload; answered: (m: DnsMessage) => Payload } {
  return {
    request: { length: 0, summary: `TCP SYN: DNS over TCP to ${server}:${port}; the query (${formatDns(query)}) follows once connected` },
    answered: (m) => ({ length: 0, summary: `TCP SYN-ACK: the DNS server accepts the connection and answers on it: ${formatDns(m)}` }),
  };
}

/** One exchange of `type? name` from `src` to `server` (UDP to port 53 unless `how` says otherwise), answered by whoever receives it. */
function exchangeOnce(c: Ctx, src: Source, server: string, name: string, type: string, how: QueryTransport = STUB): DnsExchange {
  const n = c.counter.n++;
  const id = createRng(c.opts.seed ?? c.model.seed, 'dns-id', c.opts.index ?? 0, n).int(1, 65535);
  const query = dnsQuery(id, name.replace(/\.$/, ''), type);
  if (how.qclass !== 1) query.questions[0]!.class = how.qclass;
  if (how.ad) query.ad = true;
  if (how.ednsSize !== undefined) query.additional = [optRecord(how.ednsSize, how.ednsOptions)];
  const ex: DnsExchange = { server, query, flow: undefined as unknown as Flow, forwards: [] };
  const tcp = how.protocol === 'tcp' ? tcpPayloads(query, server, how.port) : undefined;
  const buffer = { protocol: how.protocol, ...(how.ednsSize !== undefined ? { ednsSize: how.ednsSize } : {}) };
  const reply = (received: Packet, at: Netns): Payload | null => {
    const coredns = isCorednsPod(c.model, at);
    // kube-proxy's userspace socket listens on a port of its own and relays to CoreDNS's 53.
    const relayed = coredns ? undefined : userspaceRelay(c, received, at, name, type, how);
    // CoreDNS serves DNS on 53 only (9153 is its Prometheus endpoint); the upstream resolver likewise.
    if (!relayed && (l4Of(received) as { dport?: number } | undefined)?.dport !== 53) return null;
    let r: DnsReply;
    let recursive: boolean;
    if (relayed) {
      ex.forwards.push(relayed);
      if (!relayed.reply) return null;
      r = replyOf(relayed.reply);
      recursive = relayed.reply.ra;
    } else if (coredns) {
      const from: Source = { netns: at, label: `pod/${coredns.namespace}/${coredns.name}` };
      const upstream = sourceResolvConf(c.model, from).nameservers[0];
      // The forward plugin asks upstream over the transport the query came in on, class unchanged.
      const answer = corednsAnswer(clusterZoneOf(c.model), name, type, (fname, ftype): ExchangeResult => {
        if (!upstream) return { ok: false, reason: 'CoreDNS has no upstream nameserver' };
        const f = exchangeOnce(c, from, upstream, fname, ftype, { ...how, port: 53 });
        ex.forwards.push(f);
        return f.reply ? { ok: true, reply: replyOf(f.reply) } : { ok: false, reason: f.flow.reason ?? 'no reply' };
      });
      r = answer.reply;
      recursive = !r.aa;
    } else if (at.kind === 'host') {
      // The upstream resolver (BIND-like): its own OPT record, and every reply compressed.
      const m = upstreamOpt(query, replyMessage(query, publicReply(publicZoneOf(c.model), name, type, how.qclass), true));
      ex.reply = { ...fitReply(m, buffer), compress: true };
      return tcp ? tcp.answered(ex.reply) : payloadOf(ex.reply);
    } else return null; // a socket on port 53 that is not a DNS server: no answer
    // CoreDNS's ScrubWriter: the query's OPT record echoed (SizeAndDo), then the reply fitted to
    // the client's buffer, uncompressed when it fits so (Scrub → miekg/dns Truncate).
    ex.reply = fitReply(corednsEchoOpt(query, replyMessage(query, r, recursive)), buffer);
    return tcp ? tcp.answered(ex.reply) : payloadOf(ex.reply);
  };
  const t = { host: server, ip: server, port: how.port, protocol: how.protocol };
  ex.flow = traceExchange(c.model, src, t, `${how.protocol}://${server}:${how.port}`, { ...(c.opts.seed !== undefined ? { seed: c.opts.seed } : {}), index: c.opts.index ?? 0, stream: `dns:${n}`, payload: { request: tcp ? tcp.request : payloadOf(query), reply } });
  if (ex.flow.verdict !== 'delivered') delete ex.reply;
  return ex;
}

/**
 * Makes sure the upstream resolver exists as an external host (built on first use), listening
 * on 53/tcp as well as 53/udp (RFC 7766: a resolver must answer over TCP; CoreDNS's forward
 * plugin uses it for a query that came in over TCP).
 */
export function ensureUpstreamDns(model: ClusterModel): Netns {
  const ns = buildExternalHost(model, model.seed, UPSTREAM_DNS_HOST, UPSTREAM_DNS);
  if (!ns.sockets.some((s) => s.protocol === 'tcp' && s.port === 53)) ns.sockets.push({ protocol: 'tcp', port: 53, owner: 'dns' });
  return ns;
}

/** The transport an exchange went over (a stub asks over TCP after a truncated UDP reply), read from its flow's target. */
export function exchangeProtocol(e: DnsExchange): 'udp' | 'tcp' {
  return e.flow.to.startsWith('tcp:') ? 'tcp' : 'udp';
}

/** Resolves `name` from `src` as its libc would, every question walked as a flow. */
export function lookupWithFlows(model: ClusterModel, src: Source, name: string, opts: LookupOptions = {}): DnsLookup {
  ensureUpstreamDns(model);
  const conf = opts.conf ?? sourceResolvConf(model, src);
  const c: Ctx = { model, opts, counter: { n: 0 } };
  const exchanges: DnsExchange[] = [];
  const udp: QueryTransport = resolverSettings(conf).edns0 ? { ...STUB, ednsSize: GLIBC_EDNS_SIZE } : STUB;
  const resolution = resolveName(
    name,
    conf,
    (server, qname, type) => {
      let ex = exchangeOnce(c, src, server, qname, type, udp);
      exchanges.push(ex);
      // A truncated reply is asked again over TCP, same server (glibc res_send.c send_dg → send_vc);
      // if that connection fails the lookup fails: the partial UDP answer is never used.
      if (ex.reply?.tc) {
        ex = exchangeOnce(c, src, server, qname, type, { ...udp, protocol: 'tcp' });
        exchanges.push(ex);
      }
      if (!ex.reply) return { ok: false, reason: ex.flow.reason ?? 'no reply (timed out)' };
      return { ok: true, reply: replyOf(ex.reply) };
    },
    { ...(opts.aaaa ? { aaaa: true } : {}), ...(opts.types ? { types: opts.types } : {}) },
  );
  return { resolution, exchanges, conf };
}

/**
 * One question of any type from `src` straight to `server`, walked as a flow, without a stub
 * resolver in between: what dig, host and nslookup do (they build their own queries and apply
 * a search list themselves, if at all). Forwards CoreDNS makes are in the exchange's `forwards`.
 */
export function queryWithFlows(model: ClusterModel, src: Source, server: string, name: string, type: string, opts: QueryOptions = {}): DnsExchange {
  ensureUpstreamDns(model);
  return exchangeOnce({ model, opts, counter: { n: 0 } }, src, server, name, type, opts.transport);
}
