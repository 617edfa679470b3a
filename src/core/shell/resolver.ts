/**
 * Name resolution from where the shell stands, each question a real UDP flow to the nameserver's
 * port 53 (so a cluster without a reachable DNS server answers like the real tools when no server
 * responds), answered as the simulated server answers (CoreDNS's kubernetes plugin, forwarding
 * the rest upstream):
 * - `resolveName`: what libc does for curl, ping and traceroute: /etc/hosts first, then the
 *   resolv.conf nameservers with the search list (ndots:5), A records;
 * - `queryDns`: what BIND's dig, host and nslookup do: one question of any type, straight to a
 *   server, with BIND's own search rules.
 *
 * WARNING: walking the query changes the model as real traffic would (conntrack, counters).
 */
import type { Flow } from '../trace/types';
import type { ShellContext } from './types';
import type { DnsExchange, QueryTransport } from '../simulate/dns-flows';
import type { DnsMessage } from '../wire/dns';
import { isIPv4 } from '../util/ip';
import { clusterDnsIp, placeResolvConf, readFile } from './files';
import type { Resolution as DnsResolution, ResolveOptions } from '../dns/resolver';
import { lookupWithFlows, queryWithFlows } from '../simulate/dns-flows';
import { resolveSource } from '../simulate/refs';
import { resolverSettings } from '../dns/resolv-conf';
import type { EdnsOption } from '../dns/edns';
import { emitDns } from '../wire/dns';

/** The outcome of resolving one name. */
export interface Resolution {
  /** Addresses found (empty when NXDOMAIN or no server answered). */
  addresses: string[];
  /** The name that answered (after the search list), e.g. `web.default.svc.cluster.local`. */
  fqdn?: string;
  /** The nameserver asked. */
  server?: string;
  /** `nxdomain`: the server said no; `timeout`: no server answered; `hosts`: /etc/hosts answered. */
  status: 'ok' | 'nxdomain' | 'timeout' | 'hosts';
  /** The DNS query flow that decided, if one was walked. */
  flow?: Flow;
}

function allFlows(e: DnsExchange): Flow[] {
  return [e.flow, ...e.forwards.flatMap(allFlows)];
}

/**
 * The stub resolver of the shell's place (resolv.conf, search list, ndots) asking its nameserver,
 * answered as the simulated server answers: CoreDNS from the cluster zone (ExternalName CNAMEs
 * included), forwarding other names upstream, exactly as `hopscope dns` and traces resolve.
 */
function resolveByResolver(ctx: ShellContext, name: string): Resolution | undefined {
  const src = resolveSource(ctx.model, ctx.source);
  if (!src.ok) return undefined;
  // The place's resolv.conf, which is the node's under `ip netns exec` (flows still start in the pod).
  const look = lookupWithFlows(ctx.model, src.value, name, { index: ctx.flowCount++, conf: placeResolvConf(ctx), ...(ctx.seed !== undefined ? { seed: ctx.seed } : {}) });
  ctx.now += 1;
  if (ctx.captured) for (const e of look.exchanges) ctx.captured.push(...allFlows(e));
  const server = look.conf.nameservers[0] ?? clusterDnsIp(ctx.model);
  const r = look.resolution;
  // A truncated reply decides nothing: its TCP retry does (glibc never uses the partial answer).
  const decided = r.addresses.length ? look.exchanges.find((e) => e.reply && !e.reply.tc && e.reply.answers.some((a) => a.type === 'A')) : look.exchanges[look.exchanges.length - 1];
  const flow = decided?.flow ?? look.exchanges[0]?.flow;
  if (r.addresses.length) return { addresses: r.addresses, fqdn: r.canonical ?? name.replace(/\.$/, ''), status: 'ok', server, ...(flow ? { flow } : {}) };
  if (r.error === 'timeout' || r.error === 'no-nameserver' || !decided?.reply) return { addresses: [], status: 'timeout', server, ...(flow ? { flow } : {}) };
  return { addresses: [], status: 'nxdomain', server, ...(flow ? { flow } : {}) };
}

/** A stub-resolver lookup as libc makes it: the resolution, the client's query flows and the candidate that answered. */
export interface LibcLookup {
  resolution: DnsResolution;
  /** The client's query flows, in order (CoreDNS's forwards go to the capture, not here). */
  flows: Flow[];
  /** The search candidate whose reply held the addresses, without the trailing dot. */
  answered?: string;
}

/**
 * Resolves `name` through the place's resolv.conf with the resolver model (dns/resolver.ts),
 * asking the types `opts` says, each question a flow; undefined when the shell's place cannot
 * send (no source). For getent and other callers that need more than the first A address.
 */
export function libcLookup(ctx: ShellContext, name: string, opts: ResolveOptions): LibcLookup | undefined {
  const src = resolveSource(ctx.model, ctx.source);
  if (!src.ok) return undefined;
  const look = lookupWithFlows(ctx.model, src.value, name, { ...opts, index: ctx.flowCount++, conf: placeResolvConf(ctx), ...(ctx.seed !== undefined ? { seed: ctx.seed } : {}) });
  ctx.now += 1;
  if (ctx.captured) for (const e of look.exchanges) ctx.captured.push(...allFlows(e));
  const r = look.resolution;
  const hit = r.addresses.length ? [...r.steps].reverse().find((s) => s.result.ok && s.result.reply.answers.some((a) => a.type === 'A' || a.type === 'AAAA')) : undefined;
  return { resolution: r, flows: look.exchanges.map((e) => e.flow), ...(hit ? { answered: hit.name.replace(/\.$/, '') } : {}) };
}

function fromHosts(ctx: ShellContext, name: string): string | undefined {
  const text = readFile(ctx, '/etc/hosts') ?? '';
  for (const line of text.split('\n')) {
    const [ip, ...names] = line.split(/\s+/);
    if (ip && isIPv4(ip) && names.includes(name)) return ip;
  }
  return undefined;
}

/** Resolves `name` from where the shell stands, as libc's getaddrinfo does (curl, ping, traceroute). */
export function resolveName(ctx: ShellContext, name: string): Resolution {
  if (isIPv4(name)) return { addresses: [name], status: 'ok' };
  const local = fromHosts(ctx, name);
  if (local) return { addresses: [local], status: 'hosts', fqdn: name };
  return resolveByResolver(ctx, name) ?? { addresses: [], status: 'timeout', server: clusterDnsIp(ctx.model) };
}

/** One question as BIND's dig, host and nslookup ask it. */
export interface ToolQuery {
  /** As typed; a trailing dot makes it absolute. */
  name: string;
  /** The query type mnemonic (`A`, `SRV`, `TYPE65` …). */
  type: string;
  /** `@server` / the server argument: asked instead of resolv.conf's nameservers. */
  server?: string;
  /** Apply resolv.conf's search list (nslookup and host always; dig with `+search`). */
  search: boolean;
  /** Over TCP (`dig +tcp`/`+vc`, `host -T`, `nslookup -vc`, and every zone transfer); default UDP. */
  tcp?: boolean;
  /** The server's port (`-p`, `-port=`); default 53. */
  port?: number;
  /** The question's class code (`-c CH` → 3); default 1 (IN). */
  qclass?: number;
  /**
   * The EDNS UDP size the query advertises (dig: 1232, `+bufsize=N`); absent for host and
   * nslookup, which send no OPT record (dighost.c make_empty_lookup: edns -1), so their UDP
   * replies are cut at 512 bytes.
   */
  ednsSize?: number;
  /** The OPT record's options (dig: its client COOKIE). */
  ednsOptions?: readonly EdnsOption[];
  /** Set AD in the query (dig's default `+adflag`). */
  ad?: boolean;
  /** dig `+ignore`: keep a truncated UDP reply instead of asking again over TCP. */
  ignoreTc?: boolean;
}

/** What came back for a `ToolQuery`: the last reply (if any server answered) and every flow walked. */
export interface ToolAnswer {
  /** The server that answered, or the last one tried. */
  server: string;
  /** The last name asked, without the trailing dot (`.` for the root). */
  qname: string;
  reply?: DnsMessage;
  /** The reply's size on the wire as the server wrote it (dig's MSG SIZE rcvd). */
  size: number;
  /** The client's query flows, in order (CoreDNS's forwards go to a capture, not here). */
  flows: Flow[];
  /** The names asked, one per search candidate, without the trailing dot (host -v's "Trying"). */
  asked: string[];
  /** The port asked and whether over TCP, as the tools print them (`10.96.0.10#53`, `(TCP)`). */
  port: number;
  tcp: boolean;
  /** The reply over UDP was truncated (TC) and the question was asked again over TCP (dighost.c recv_done). */
  retriedOverTcp?: boolean;
  /**
   * Without a reply, why, in ISC's words: `connection refused` when an ICMP port unreachable or
   * a RST came back (nothing listens, or kube-proxy rejects a Service without endpoints),
   * else `timed out`.
   */
  failure?: 'connection refused' | 'timed out';
}

/** What the tools make of a flow that brought no reply back. */
function failureOf(flow: Flow): NonNullable<ToolAnswer['failure']> {
  return /refused|reject|port-unreachable|no-endpoints/.test(flow.reason ?? '') ? 'connection refused' : 'timed out';
}

/**
 * The names BIND's tools try (dighost.c setup_lookup / next_origin): an absolute name, a name
 * without search, or one with at least `ndots` dots is asked once as given; a shorter one walks
 * the search list, then is asked as given. Unlike glibc, a name with `ndots` dots is never searched.
 */
export function bindCandidates(name: string, search: boolean, searches: readonly string[], ndots: number): string[] {
  if (name.endsWith('.')) return [name];
  if (!search || name.split('.').length - 1 >= ndots) return [`${name}.`];
  return [...searches.map((d) => `${name}.${d.replace(/\.$/, '')}.`), `${name}.`];
}

/**
 * Asks `q` from where the shell stands, each question a UDP (or TCP) flow to the server (CoreDNS answers
 * with the asked type, forwarding names outside the cluster). Only NXDOMAIN moves on to the next
 * search candidate, as in dighost.c (NODATA is an answer); a server that does not answer is
 * skipped for the next nameserver, and when none answers there is no reply.
 */
export function queryDns(ctx: ShellContext, q: ToolQuery): ToolAnswer {
  const src = resolveSource(ctx.model, ctx.source);
  const flows: Flow[] = [];
  const port = q.port ?? 53;
  const tcp = q.tcp === true;
  const transport: QueryTransport = { protocol: tcp ? 'tcp' : 'udp', port, qclass: q.qclass ?? 1, ...(q.ednsSize !== undefined ? { ednsSize: q.ednsSize, ...(q.ednsOptions ? { ednsOptions: q.ednsOptions } : {}) } : {}), ...(q.ad ? { ad: true } : {}) };
  const asked: string[] = [];
  if (!src.ok) return { server: q.server ?? '', qname: q.name, size: 0, flows, asked, port, tcp, failure: 'timed out' };
  const conf = placeResolvConf(ctx);
  const servers = q.server ? [q.server] : conf.nameservers.length ? conf.nameservers : [clusterDnsIp(ctx.model)];
  const names = bindCandidates(q.name, q.search, conf.searches, resolverSettings(conf).ndots);
  let last: ToolAnswer = { server: servers[0]!, qname: q.name, size: 0, flows, asked, port, tcp };
  for (const name of names) {
    const qname = name === '.' ? '.' : name.replace(/\.$/, '');
    asked.push(qname);
    for (const server of servers) {
      const ask = (how: QueryTransport) => {
        const e = queryWithFlows(ctx.model, src.value, server, name, q.type, { index: ctx.flowCount++, transport: how, ...(ctx.seed !== undefined ? { seed: ctx.seed } : {}) });
        ctx.now += 1;
        flows.push(e.flow);
        if (ctx.captured) ctx.captured.push(...allFlows(e));
        return e;
      };
      let ex = ask(transport);
      // A truncated UDP reply is asked again over TCP, same server (dighost.c recv_done), unless +ignore.
      const retried = !tcp && !q.ignoreTc && ex.reply?.tc === true;
      if (retried) ex = ask({ ...transport, protocol: 'tcp' });
      last = { server, qname, size: ex.reply ? emitDns(ex.reply).length : 0, flows, asked, port, tcp: tcp || retried, ...(retried ? { retriedOverTcp: true } : {}), ...(ex.reply ? { reply: ex.reply } : { failure: failureOf(ex.flow) }) };
      if (ex.reply) break;
    }
    if (!last.reply) return last;
    if (last.reply.rcode !== 3) return last;
  }
  return last;
}
