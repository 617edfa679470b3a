/**
 * A request as an application makes it (DESIGN §2 Traffic `to`): a name or URL is resolved
 * first — every DNS question a flow of its own (simulate/dns-flows.ts) — then the connection
 * is made to the first address. A connection an ingress controller accepts (HTTP/HTTPS to an
 * ingress-nginx pod) continues as the controller does: TLS ends there, the Host header and path
 * pick a backend (ingress/routing.ts), and the controller opens a new connection to one ready
 * endpoint of that backend's Service, read from EndpointSlices (no kube-proxy on that leg).
 *
 * Total: bad references are `{ ok: false }`; a name that does not resolve is a trace with the
 * DNS flows and an `error`, and no connection.
 */
import type { ClusterModel } from '../model/types';
import type { Flow } from '../trace/types';
import type { Source, Target } from './refs';
import type { FlowOptions } from './exchange';
import type { DnsExchange, DnsLookup } from './dns-flows';
import type { RouteDecision } from '../ingress/routing';
import { parseTarget, resolveSource } from './refs';
import { ensureExternal, traceExchange } from './exchange';
import { lookupWithFlows } from './dns-flows';
import { backendEndpoints, CONTROLLER_NAME, CONTROLLER_NAMESPACE, getIngressState } from '../ingress/controller';
import { routeRequest } from '../ingress/routing';
import { createRng } from '../util/rng';
import type { ProxyLeg } from './proxies';
import { proxyLeg } from './proxies';

export interface TrafficRequestRef {
  from: string;
  to: string;
  protocol?: 'TCP' | 'UDP' | 'ICMP' | 'SCTP';
}

export interface RequestOptions extends FlowOptions {
  /** Ask AAAA beside A for each candidate name (getaddrinfo AF_UNSPEC). */
  aaaa?: boolean;
}

/** What the ingress controller did with a request it accepted. */
export interface IngressHop {
  host: string;
  path: string;
  decision: RouteDecision;
  /** `NS/SERVICE:PORT` of the backend, when one was chosen. */
  backend?: string;
  /** The endpoint (`ip:port`) the controller connected to. */
  endpoint?: string;
  /** The HTTP status the client gets: 200 when the backend accepted, 404, 502 or 503 otherwise. */
  status: number;
  /** TLS terminated at the controller: the Secret that holds the certificate ('' = the controller's default certificate). */
  tls?: string;
  /** The controller's own connection to the endpoint. */
  flow?: Flow;
  note: string;
}

export interface RequestTrace {
  from: string;
  to: string;
  /** The name lookup, when the target was a name. */
  lookup?: DnsLookup;
  /** The client's connection; absent when the name did not resolve. */
  flow?: Flow;
  ingress?: IngressHop;
  /** A proxying socket's own connection (userspace kube-proxy): simulate/proxies.ts. */
  proxy?: ProxyLeg;
  /** Every flow in order: DNS questions (each followed by CoreDNS's forwards), the connection, the controller's connection. */
  flows: Flow[];
  /** Why there is no connection (resolution failed). */
  error?: string;
}

export type RequestResult = { ok: true; trace: RequestTrace } | { ok: false; error: string };

/** The DNS flows of a lookup in the order they happened on the wire. */
export function dnsFlows(lookup: DnsLookup | undefined): Flow[] {
  const out: Flow[] = [];
  const visit = (e: DnsExchange) => {
    out.push(e.flow);
    e.forwards.forEach(visit);
  };
  lookup?.exchanges.forEach(visit);
  return out;
}

const EXPLAIN: Record<string, string> = {
  NXDOMAIN: 'Name or service not known',
  NODATA: 'No address associated with hostname',
  timeout: 'Temporary failure in name resolution (no DNS server answered)',
  invalid: 'not a valid host name',
  'no-nameserver': 'no nameserver in /etc/resolv.conf',
};

/**
 * On bare metal the ingress address is a node's IP and the controller listens on its NodePorts;
 * a URL with no explicit port to that address goes to the NodePort of its scheme's port (what a
 * front balancer or DNS-published `host:nodePort` would do). Otherwise the port is unchanged.
 */
function ingressEntryPort(model: ClusterModel, ip: string, t: Target, to: string): number | undefined {
  const state = getIngressState(model);
  if (!state || state.serviceType !== 'NodePort' || state.address !== ip || /^[a-z]+:\/\/[^/]*:\d+/i.test(to) || t.port === undefined) return t.port;
  const svc = model.services.find((s) => s.metadata.name === CONTROLLER_NAME && s.metadata.namespace === CONTROLLER_NAMESPACE);
  return svc?.spec.ports?.find((p) => p.port === t.port)?.nodePort ?? t.port;
}

/**
 * The address /etc/hosts gives `name`, read before any DNS query (glibc's "hosts: files dns"):
 * `localhost` everywhere, and in a pod the kubelet-managed file's line for the pod's own name.
 */
function hostsFileAddress(model: ClusterModel, src: Source, name: string): string | undefined {
  const n = name.toLowerCase();
  if (n === 'localhost') return '127.0.0.1';
  const key = src.netns.pod;
  if (key === undefined) return undefined;
  const pod = model.pods.find((p) => `${p.namespace}/${p.name}` === key);
  return pod && pod.name.toLowerCase() === n ? pod.ip : undefined;
}

/** Traces a request: resolution flows, the connection, and an ingress controller's second leg. */
export function traceRequest(model: ClusterModel, req: TrafficRequestRef, opts: RequestOptions = {}): RequestResult {
  const src = resolveSource(model, req.from);
  if (!src.ok) return src;
  const target = parseTarget(model, req.to, req.protocol);
  if (!target.ok) return target;
  const t = target.value;
  const trace: RequestTrace = { from: src.value.label, to: req.to, flows: [] };
  let ip = t.ip ?? hostsFileAddress(model, src.value, t.host);
  if (!ip) {
    const lookup = lookupWithFlows(model, src.value, t.host, { ...(opts.seed !== undefined ? { seed: opts.seed } : {}), index: opts.index ?? 0, ...(opts.aaaa ? { aaaa: true } : {}) });
    trace.lookup = lookup;
    trace.flows.push(...dnsFlows(lookup));
    const r = lookup.resolution;
    if (r.error || !r.addresses[0]) {
      trace.error = `could not resolve "${t.host}": ${EXPLAIN[r.error ?? 'NXDOMAIN'] ?? r.error} (${r.error ?? 'NXDOMAIN'})`;
      return { ok: true, trace };
    }
    ip = r.addresses[0];
    ensureExternal(model, ip);
  }
  const port = ingressEntryPort(model, ip, t, req.to);
  const flow = traceExchange(model, src.value, { ...t, ip, ...(port !== undefined ? { port } : {}) }, req.to, opts);
  trace.flow = flow;
  trace.flows.push(flow);
  const ingress = ingressLeg(model, t, flow, opts);
  if (ingress) {
    trace.ingress = ingress;
    if (ingress.flow) trace.flows.push(ingress.flow);
  }
  const proxied = proxyLeg(model, flow, opts);
  if (proxied) {
    trace.proxy = proxied;
    trace.flows.push(...proxied.attempts);
  }
  return { ok: true, trace };
}

function backendText(ns: string, b: { service?: { name?: string; port?: { number?: number; name?: string } } }): string {
  return `${ns}/${b.service?.name ?? '?'}:${b.service?.port?.number ?? b.service?.port?.name ?? '?'}`;
}

/** When an ingress-nginx pod accepted an HTTP(S) connection: route it and open the second leg. */
export function ingressLeg(model: ClusterModel, t: Target, flow: Flow, opts: FlowOptions): IngressHop | undefined {
  const state = getIngressState(model);
  if (!state || flow.verdict !== 'delivered' || !flow.endpoint?.startsWith(`${CONTROLLER_NAMESPACE}/`) || (t.scheme !== 'http' && t.scheme !== 'https')) return undefined;
  const host = t.host.toLowerCase();
  const path = t.path ?? '/';
  const decision = routeRequest(state.table, host, path);
  const tls = t.scheme === 'https' ? (state.tls.get(host) ?? '') : undefined;
  const hop: IngressHop = { host, path, decision, status: 404, ...(tls !== undefined ? { tls } : {}), note: '' };
  if (decision.kind === 'not-found') {
    // Say why a defaultBackend that exists does not apply, the usual surprise (ingress-nginx
    // gives an Ingress's defaultBackend to that Ingress's hosts, and to all hosts only when it has no rules).
    const unused = state.table.defaults.map((d) => d.ingress);
    hop.note = `no rule matches host "${host}" and path "${path}"${unused.length ? `, and the defaultBackend of ${unused.join(', ')} serves only that Ingress's own hosts (an Ingress with rules does not lend it to other hosts)` : ' and no defaultBackend'}: the controller answers 404 Not Found itself`;
    return hop;
  }
  const ns = decision.kind === 'route' ? decision.route.namespace : decision.namespace;
  const backend = decision.kind === 'route' ? decision.route.backend : decision.backend;
  hop.backend = backendText(ns, backend);
  const { service, endpoints } = backendEndpoints(model, ns, backend);
  if (!service || !endpoints.length) {
    hop.status = 503;
    hop.note = `${service ? 'the backend Service has no ready endpoint for that port' : `Service ${ns}/${backend.service?.name ?? '?'} does not exist`}: 503 Service Temporarily Unavailable`;
    return hop;
  }
  // ingress-nginx balances round-robin from a random start per upstream.
  const start = createRng(opts.seed ?? model.seed, 'ingress-nginx', hop.backend).int(0, endpoints.length - 1);
  const endpoint = endpoints[(start + (opts.index ?? 0)) % endpoints.length]!;
  hop.endpoint = endpoint;
  const [eip, eport] = endpoint.split(':');
  const from = resolveSource(model, `pod/${flow.endpoint}`);
  if (!from.ok) return hop;
  const leg = traceExchange(model, from.value, { host: eip!, ip: eip!, port: Number(eport), protocol: 'tcp', scheme: 'http', path }, `http://${endpoint}${path}`, { ...opts, stream: 'ingress-upstream' });
  hop.flow = leg;
  hop.status = leg.verdict === 'delivered' ? 200 : 502;
  hop.note = `${tls !== undefined ? `TLS terminated at the controller (${tls ? `Secret ${tls}` : 'default certificate'}); ` : ''}${decision.kind === 'route' ? `rule ${decision.route.host || '*'} ${decision.route.path} (${decision.route.pathType}) of ${decision.route.ingress}` : `defaultBackend of ${decision.ingress}`} → ${hop.backend} → endpoint ${endpoint}${leg.verdict === 'delivered' ? '' : ': 502 Bad Gateway'}`;
  return hop;
}
