/**
 * The stub resolver a pod's libc runs (glibc `res_search`, spec/dns-and-ingress.md §3): which
 * names it asks for, in which order, and when it stops. The resolver never touches packets;
 * each question goes through an `Exchange` the caller supplies (the simulator walks a real UDP
 * flow there; tests and benchmarks may answer straight from a zone).
 *
 * Rules modelled:
 * - a trailing dot makes the name absolute: one candidate, no search list;
 * - a name with at least `ndots` dots is tried as given first, then with each search domain;
 * - a name with fewer dots tries every search domain in order, then the name as given;
 * - a candidate that yields NXDOMAIN, NODATA or SERVFAIL moves on to the next; the first
 *   candidate with an address ends the lookup; a server that never answers is skipped for the
 *   next nameserver, and when none answers the lookup fails ("timed out").
 * With `aaaa: true` each candidate is asked for A then AAAA, as getaddrinfo(AF_UNSPEC) does;
 * `types` asks other families (gethostbyname2(AF_INET6): AAAA alone).
 * A truncated UDP reply is the exchange's business: simulate/dns-flows.ts asks again over TCP
 * (glibc res_send) and hands the resolver only the answer that counts.
 * Not modelled: musl's "never search names with ≥ ndots dots", `rotate`, retries per server.
 */
import type { DnsRecord } from '../wire/dns-rdata';
import type { ResolvConf } from './resolv-conf';
import { resolverSettings } from './resolv-conf';

/** A server's reply as the resolver sees it. */
export interface DnsReply {
  rcode: number;
  aa: boolean;
  answers: DnsRecord[];
  authority: DnsRecord[];
  /** Extra records (an SRV answer's target addresses); absent when none. */
  additional?: DnsRecord[];
}

/** One exchange: a reply, or nothing came back (the query or the reply was dropped). */
export type ExchangeResult = { ok: true; reply: DnsReply } | { ok: false; reason: string };

/** Sends `type? name` (absolute, trailing dot) to `server` and returns what came back. */
export type Exchange = (server: string, name: string, type: string) => ExchangeResult;

/** One question asked, in order. */
export interface QueryStep {
  server: string;
  /** Absolute, with the trailing dot. */
  name: string;
  type: string;
  result: ExchangeResult;
}

export interface Resolution {
  /** The name as the application gave it. */
  name: string;
  steps: QueryStep[];
  /** IPv4 (and with `aaaa`, IPv6) addresses of the candidate that succeeded. */
  addresses: string[];
  /** The name that answered (after CNAMEs), without the trailing dot. */
  canonical?: string;
  /** Why the lookup failed: `NXDOMAIN` (Name or service not known), `NODATA`, `timeout`, `invalid`, `no-nameserver`. */
  error?: 'NXDOMAIN' | 'NODATA' | 'timeout' | 'invalid' | 'no-nameserver';
}

export interface ResolveOptions {
  /** Also ask AAAA for each candidate (getaddrinfo with AF_UNSPEC). Default false. */
  aaaa?: boolean;
  /**
   * The types asked for each candidate, in order, instead: `['AAAA']` is gethostbyname2(AF_INET6)
   * (res_search with T_AAAA, which `getent hosts` tries before AF_INET). Overrides `aaaa`.
   */
  types?: readonly ('A' | 'AAAA')[];
}

const MAX_NAME = 253;
const LABEL = /^[A-Za-z0-9_]([A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?$/;

/** True when every label is 1–63 characters of letters, digits, `-` or `_` (glibc's res_hnok is looser about `_`). */
export function isValidHostname(name: string): boolean {
  const bare = name.endsWith('.') ? name.slice(0, -1) : name;
  return bare.length > 0 && bare.length <= MAX_NAME && bare.split('.').every((l) => LABEL.test(l));
}

/** The names glibc tries for `name`, in order, each absolute (trailing dot). */
export function searchCandidates(name: string, searches: readonly string[], ndots: number): string[] {
  if (name.endsWith('.')) return [name];
  const dots = name.split('.').length - 1;
  const searched = searches.map((d) => `${name}.${d.replace(/\.$/, '')}.`).filter((n) => n.length - 1 <= MAX_NAME);
  const asIs = `${name}.`;
  return dots >= ndots ? [asIs, ...searched.filter((n) => n !== asIs)] : [...searched.filter((n) => n !== asIs), asIs];
}

function addressesOf(reply: DnsReply, type: string): { addresses: string[]; canonical?: string } {
  const addresses: string[] = [];
  let canonical: string | undefined;
  for (const r of reply.answers) {
    if (r.type === 'CNAME') canonical = r.target;
    if (r.type === type && (r.type === 'A' || r.type === 'AAAA')) addresses.push(r.address);
  }
  return canonical !== undefined ? { addresses, canonical } : { addresses };
}

/** Asks each nameserver in turn until one answers. */
function ask(servers: readonly string[], name: string, type: string, exchange: Exchange, steps: QueryStep[]): ExchangeResult {
  let last: ExchangeResult = { ok: false, reason: 'no nameserver' };
  for (const server of servers) {
    last = exchange(server, name, type);
    steps.push({ server, name, type, result: last });
    if (last.ok) return last;
  }
  return last;
}

/**
 * Resolves `name` as glibc's getaddrinfo would, with the pod's resolv.conf. Total: a malformed
 * name or an empty nameserver list is an `error`, never an exception.
 */
export function resolveName(name: string, conf: ResolvConf, exchange: Exchange, opts: ResolveOptions = {}): Resolution {
  const out: Resolution = { name, steps: [], addresses: [] };
  if (!isValidHostname(name)) return { ...out, error: 'invalid' };
  if (!conf.nameservers.length) return { ...out, error: 'no-nameserver' };
  const { ndots } = resolverSettings(conf);
  const types = opts.types ?? (opts.aaaa ? ['A', 'AAAA'] : ['A']);
  let firstError: Resolution['error'];
  for (const candidate of searchCandidates(name, conf.searches, ndots)) {
    let found: string[] = [];
    let canonical: string | undefined;
    let nodata = false;
    for (const type of types) {
      const r = ask(conf.nameservers, candidate, type, exchange, out.steps);
      if (!r.ok) return { ...out, error: 'timeout' };
      const got = addressesOf(r.reply, type);
      if (got.addresses.length) {
        found = [...found, ...got.addresses];
        canonical ??= got.canonical ?? candidate.slice(0, -1);
      } else if (r.reply.rcode === 0) nodata = true;
    }
    if (found.length) return { ...out, addresses: found, ...(canonical ? { canonical } : {}) };
    firstError ??= nodata ? 'NODATA' : 'NXDOMAIN';
  }
  return { ...out, error: firstError ?? 'NXDOMAIN' };
}
