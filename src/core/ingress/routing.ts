/**
 * How an ingress controller picks a backend for an HTTP request (spec/dns-and-ingress.md §5):
 * host first — an exact host, else a wildcard `*.foo.com` matching exactly one extra label,
 * else the rules without a host; then the longest matching path, `Exact` before `Prefix` on a
 * tie (`ImplementationSpecific` is treated as `Prefix`, as ingress-nginx does without
 * `use-regex`); no match → the defaultBackend of the Ingress that owns the host (or of an
 * Ingress without rules, for hosts no rule names), else the controller's own 404. Rules of every
 * Ingress of the class are merged per host, as ingress-nginx builds one server block per host.
 * Pure: no model, no packets.
 */
import type { IngressBackend, PathType } from './types';

/** One path of one rule, flattened. */
export interface Route {
  /** `NS/NAME` of the Ingress that holds it. */
  ingress: string;
  namespace: string;
  /** Lower-case host, `*.foo.com`, or '' for "any host". */
  host: string;
  path: string;
  pathType: PathType;
  backend: IngressBackend;
}

export interface RouteTable {
  routes: Route[];
  /** Default backends by Ingress (`NS/NAME`), in name order; `hosts` are its rules' hosts ('' for a rule without one). */
  defaults: { ingress: string; namespace: string; backend: IngressBackend; hosts: string[] }[];
  /** Each rule host ('' excluded) with the first Ingress, in name order, that has a rule for it: its server's owner. */
  owners: Map<string, string>;
}

export type RouteDecision =
  | { kind: 'route'; route: Route; server: string }
  | { kind: 'default'; ingress: string; namespace: string; backend: IngressBackend; server: string }
  | { kind: 'not-found'; server: string };

function segments(p: string): string[] {
  return p.split('/').filter((s) => s !== '');
}

/** `Prefix` semantics: element-wise on `/`, trailing slash ignored; `/` matches every path. */
export function prefixMatches(prefix: string, path: string): boolean {
  const want = segments(prefix);
  const have = segments(path);
  if (want.length > have.length) return false;
  return want.every((s, i) => have[i] === s);
}

/** True when `route` takes `path` (the request path without its query string). */
export function pathMatches(route: Pick<Route, 'path' | 'pathType'>, path: string): boolean {
  return route.pathType === 'Exact' ? route.path === path : prefixMatches(route.path, path);
}

/** `*.foo.com` matches `bar.foo.com` but neither `foo.com` nor `baz.bar.foo.com`. */
export function hostMatches(pattern: string, host: string): boolean {
  if (!pattern.startsWith('*.')) return pattern === host;
  const suffix = pattern.slice(1);
  if (!host.endsWith(suffix)) return false;
  const first = host.slice(0, -suffix.length);
  return first.length > 0 && !first.includes('.');
}

/** The server (host) a request lands on: an exact host, else a wildcard, else the catch-all ''. */
export function selectServer(table: RouteTable, host: string): string {
  const h = host.toLowerCase().replace(/:\d+$/, '').replace(/\.$/, '');
  const hosts = new Set(table.routes.map((r) => r.host));
  for (const d of table.defaults) for (const x of d.hosts) hosts.add(x);
  if (hosts.has(h)) return h;
  const wild = [...hosts].filter((p) => p.startsWith('*.') && hostMatches(p, h)).sort((a, b) => b.length - a.length)[0];
  return wild ?? '';
}

/** Longest path wins; on equal length Exact beats Prefix; then Ingress name order for stability. */
function better(a: Route, b: Route): boolean {
  if (a.path.length !== b.path.length) return a.path.length > b.path.length;
  if (a.pathType !== b.pathType) return a.pathType === 'Exact';
  return a.ingress < b.ingress;
}

/** Picks the backend for `host` + `path` (the query string is ignored). */
export function routeRequest(table: RouteTable, host: string, rawPath: string): RouteDecision {
  const path = (rawPath.split('?')[0] || '/').split('#')[0] || '/';
  const server = selectServer(table, host);
  let best: Route | undefined;
  for (const r of table.routes) if (r.host === server && pathMatches(r, path) && (!best || better(r, best))) best = r;
  if (best) return { kind: 'route', route: best, server };
  // ingress-nginx createServers: a host's server gets its `location /` from the first Ingress
  // that names the host — that Ingress's defaultBackend, or the controller's own (404). The
  // catch-all server keeps the controller's unless an Ingress has a defaultBackend and no rules
  // at all; an Ingress with rules never lends its defaultBackend to other hosts.
  const owner = server === '' ? undefined : table.owners.get(server);
  const fallback = owner !== undefined ? table.defaults.find((d) => d.ingress === owner) : server === '' ? table.defaults.find((d) => d.hosts.length === 0) : undefined;
  if (fallback) return { kind: 'default', ingress: fallback.ingress, namespace: fallback.namespace, backend: fallback.backend, server };
  return { kind: 'not-found', server };
}
