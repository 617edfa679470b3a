/**
 * Routing tables and the lookup the kernel does for every routed packet: the `local`
 * table first (addresses of this namespace), then `main` by longest prefix, ties broken by
 * the lower metric. Read first: `ip-route(8)`, net/ipv4/fib_trie.c (semantics only).
 */
import type { Device, Netns, Route } from './types';
import type { Cidr } from '../util/ip';
import { cidrContains, intToIpv4, ipv4ToInt, isIPv4, parseCidr, prefixMask } from '../util/ip';
import { findLocalAddress } from './netns';
import { NamespaceMemo, routingChanged } from './namespace-memo';
import { getIndex, setIndex, startIndex } from '../util/reused-index';

export interface RouteSpec {
  dst: string;
  via?: string;
  dev?: string;
  onlink?: boolean;
  scope?: Route['scope'];
  proto?: string;
  src?: string;
  metric?: number;
  type?: Route['type'];
}

/** `ip route add …` into table main. Returns the route or null if `dst` is not a CIDR. */
export function addRoute(ns: Netns, spec: RouteSpec): Route | null {
  const route = routeFrom(spec);
  if (!route) return null;
  routingChanged();
  // `ip route replace` semantics: one route per destination and metric.
  const { network, prefix } = route.dst;
  const metric = route.metric ?? 0;
  const routes = ns.routes;
  for (let i = 0; i < routes.length; i++) {
    const r = routes[i]!;
    if (r.dst.network === network && r.dst.prefix === prefix && (r.metric ?? 0) === metric) {
      routes[i] = route;
      return route;
    }
  }
  routes.push(route);
  return route;
}

/**
 * Many `ip route replace` into table main at once, as `ip -batch` sends them: the table's
 * (destination, metric) keys are indexed once for the batch instead of scanned per route.
 * The table ends exactly as addRoute for each spec in order leaves it (specs that are not a
 * CIDR are skipped, as addRoute refuses them).
 */
export function addRoutes(ns: Netns, specs: readonly RouteSpec[]): void {
  routingChanged();
  // A small batch into a small table (a new pod's: its connected route and default route) is
  // scanned as addRoute does: two maps and two closures per pod were most of a pod's garbage.
  if (ns.routes.length + specs.length <= SMALL_BATCH) {
    const wasEmpty = ns.routes.length === 0;
    for (const spec of specs) addRoute(ns, spec);
    if (wasEmpty && ns.routes.length) ns.routes = ns.routes.slice();
    return;
  }
  // Index by prefix length and network (one number: no key strings per route, and one table
  // reused by every batch, see reused-index.ts); routes with a metric, rarer, by a string key
  // in a map made only when one comes. The first route of a key is the one addRoute's scan finds.
  startIndex(ns.routes.length + specs.length);
  let withMetric: Map<string, number> | undefined;
  const note = (r: Route, i: number) => {
    const metric = r.metric ?? 0;
    if (Number.isNaN(metric)) return; // NaN equals no metric, not even its own: addRoute's scan never matches it
    if (metric === 0) setIndex(routeKey(r.dst), i);
    else (withMetric ??= new Map()).set(`${r.dst.network}/${r.dst.prefix}/${metric}`, i);
  };
  const find = (r: Route): number | undefined => {
    const metric = r.metric ?? 0;
    if (Number.isNaN(metric)) return undefined;
    return metric === 0 ? getIndex(routeKey(r.dst)) : withMetric?.get(`${r.dst.network}/${r.dst.prefix}/${metric}`);
  };
  for (let i = ns.routes.length - 1; i >= 0; i--) note(ns.routes[i]!, i);
  const wasEmpty = ns.routes.length === 0;
  for (const spec of specs) {
    const route = routeFrom(spec);
    if (!route) continue;
    const i = find(route);
    if (i !== undefined) ns.routes[i] = route;
    else note(route, ns.routes.push(route) - 1);
  }
  // A table filled from empty (a new pod's) is kept at its length: a pushed list keeps spare room.
  if (wasEmpty && ns.routes.length) ns.routes = ns.routes.slice();
}

/** A destination as one number: the network address above, the prefix length (0–32) below. */
function routeKey(dst: Cidr): number {
  return dst.network * 64 + dst.prefix;
}

/** Up to this many routes and specs together a batch is scanned rather than indexed. */
const SMALL_BATCH = 16;

function routeFrom(spec: RouteSpec): Route | null {
  const dst = spec.dst === 'default' ? parseCidr('0.0.0.0/0') : parseCidr(spec.dst);
  if (!dst) return null;
  const type = spec.type ?? 'unicast';
  // The shapes the plugins add by the thousand are made whole, their properties in the order the
  // general case below adds them: a property added after the literal needs a separate property
  // store, one more object per route.
  const { via, dev, scope, proto, src } = spec;
  const shape = (via !== undefined ? 1 : 0) | (dev !== undefined ? 2 : 0) | (spec.onlink ? 4 : 0) | (scope !== undefined ? 8 : 0) | (proto !== undefined ? 16 : 0) | (src !== undefined ? 32 : 0) | (spec.metric !== undefined ? 64 : 0);
  switch (shape) {
    case 1 | 2:
      return { type, dst, table: 254, via: via!, dev: dev! };
    case 1 | 2 | 4:
      return { type, dst, table: 254, via: via!, dev: dev!, onlink: true };
    case 1 | 2 | 16:
      return { type, dst, table: 254, via: via!, dev: dev!, proto: proto! };
    case 1 | 2 | 4 | 16:
      return { type, dst, table: 254, via: via!, dev: dev!, onlink: true, proto: proto! };
    case 2 | 8:
      return { type, dst, table: 254, dev: dev!, scope: scope! };
    case 2 | 8 | 16 | 32:
      return { type, dst, table: 254, dev: dev!, scope: scope!, proto: proto!, src: src! };
    case 16:
      return { type, dst, table: 254, proto: proto! };
  }
  return routeFieldByField(spec, dst, type);
}

/**
 * The general case: the literal, then each optional field in turn. The whole literals above must
 * give exactly this, properties in the same order (route-shape.test.ts holds them to it).
 */
export function routeFieldByField(spec: RouteSpec, dst: Cidr, type: Route['type']): Route {
  const route: Route = { type, dst, table: 254 };
  if (spec.via !== undefined) route.via = spec.via;
  if (spec.dev !== undefined) route.dev = spec.dev;
  if (spec.onlink) route.onlink = true;
  if (spec.scope !== undefined) route.scope = spec.scope;
  if (spec.proto !== undefined) route.proto = spec.proto;
  if (spec.src !== undefined) route.src = spec.src;
  if (spec.metric !== undefined) route.metric = spec.metric;
  return route;
}

/** Adds the connected route the kernel creates with an address (`proto kernel scope link src …`). */
export function addConnectedRoute(ns: Netns, dev: Device, ip: string, prefix: number): void {
  const spec = connectedRoute(dev, ip, prefix);
  if (spec) addRoute(ns, spec);
}

/** The connected route of an address, as a spec for addRoute(s); null when there is none (a /32). */
export function connectedRoute(dev: Device, ip: string, prefix: number): RouteSpec | null {
  if (prefix >= 32) return null;
  // The subnet is the address under the mask, as the kernel derives it; every pod of a node
  // has the same one, so it is parsed once (the cache) rather than `${ip}/${prefix}` per pod.
  if (!Number.isInteger(prefix) || prefix < 0 || !isIPv4(ip)) return null;
  const network = (ipv4ToInt(ip) & prefixMask(prefix)) >>> 0;
  return { dst: subnetText(network, prefix), dev: dev.name, proto: 'kernel', scope: 'link', src: ip };
}

/**
 * `NETWORK/PREFIX` text, one string per subnet kept (a few per node): every pod of a node has the
 * same connected subnet, and formatting it per pod (and hashing the new string in parseCidr's
 * cache) showed up in compile profiles.
 */
function subnetText(network: number, prefix: number): string {
  const key = network * 64 + prefix;
  let text = SUBNET_TEXT.get(key);
  if (text === undefined) {
    text = `${intToIpv4(network)}/${prefix}`;
    if (SUBNET_TEXT.size >= 4096) SUBNET_TEXT.clear();
    SUBNET_TEXT.set(key, text);
  }
  return text;
}

const SUBNET_TEXT = new Map<number, string>();

export function removeRoute(ns: Netns, dst: string): void {
  routingChanged();
  ns.routes = ns.routes.filter((r) => r.dst.text !== dst);
}

export type RouteDecision =
  | { kind: 'local'; dev: Device }
  | { kind: 'unicast'; route: Route }
  | { kind: 'blackhole'; route: Route }
  | { kind: 'unreachable'; route?: Route };

/**
 * The kernel's FIB lookup for destination `dst`. Remembered per namespace and destination text
 * (namespace-memo.ts): a walk looks up the same few destinations in each namespace it crosses
 * (11 lookups per flow over a few hundred distinct pairs in the bench), and each lookup parsed
 * the address, scanned every device's addresses and every route.
 */
export function lookupRoute(ns: Netns, dst: string): RouteDecision {
  return DECISIONS.get(ns, dst);
}

/** Decisions by destination text; at most 1,024 destinations remembered per namespace. */
const DECISIONS = new NamespaceMemo<string, RouteDecision>((ns, dst) => decideRoute(ns, dst), 1024);

/** True when a route's device exists and is up (routes over a down link are not used). */
function usable(ns: Netns, r: Route): boolean {
  if (!r.dev) return true;
  for (const d of ns.devices) if (d.name === r.dev) return d.up;
  return false;
}

/** The FIB lookup itself, unremembered (what `lookupRoute` answers; for tests). */
export function decideRoute(ns: Netns, dst: string): RouteDecision {
  const ip = ipv4ToInt(dst);
  const local = findLocalAddress(ns, ip);
  if (local) return { kind: 'local', dev: local };
  let best: Route | undefined;
  for (const r of ns.routes) {
    if (!cidrContains(r.dst, ip)) continue;
    // Whether the device is up is asked only of a route that would win (the device scan per
    // matching route showed up in trace profiles); a losing route is skipped either way.
    if (best && !(r.dst.prefix > best.dst.prefix || (r.dst.prefix === best.dst.prefix && (r.metric ?? 0) < (best.metric ?? 0)))) continue;
    if (usable(ns, r)) best = r;
  }
  if (!best) return { kind: 'unreachable' };
  if (best.type === 'blackhole') return { kind: 'blackhole', route: best };
  if (best.type === 'unreachable') return { kind: 'unreachable', route: best };
  return { kind: 'unicast', route: best };
}

/** Source address the kernel picks for traffic leaving by `route` (its `src`, else the device's address). */
export function sourceAddressFor(ns: Netns, route: Route): string | undefined {
  if (route.src) return route.src;
  const dev = ns.devices.find((d) => d.name === route.dev);
  if (!dev) return undefined;
  // Prefer an address on the same subnet as the gateway, as fib_select_addr does.
  if (route.via) {
    const gw = ipv4ToInt(route.via);
    for (const a of dev.addresses) {
      const mask = prefixMask(a.prefix);
      if (((a.ipInt & mask) >>> 0) === ((gw & mask) >>> 0)) return a.ip;
    }
  }
  const own = dev.addresses.find((a) => a.scope === 'global');
  if (own) return own.ip;
  // A device without an address (a veth, Calico's cali*): the kernel borrows another device's.
  for (const d of ns.devices) for (const a of d.addresses) if (a.scope === 'global' && d.kind === 'nic') return a.ip;
  for (const d of ns.devices) for (const a of d.addresses) if (a.scope === 'global') return a.ip;
  return undefined;
}

/**
 * The last text `formatRoute` made for a route, with the fields it was made from: every routed
 * hop prints its route (two or three times), and building the text each time showed up in trace
 * profiles. Kept under a symbol (non-enumerable: JSON, structuredClone and test equality never
 * see it) and used only while every printed field is unchanged, so a route edited in place is
 * printed afresh.
 */
const TEXT: unique symbol = Symbol('route text');
interface RouteText {
  text: string;
  /** What a caller derived from `text` (see routeTextMemo); starts empty with every new text. */
  derived: unknown;
  type: Route['type'];
  dst: Route['dst'];
  via: Route['via'];
  dev: Route['dev'];
  proto: Route['proto'];
  scope: Route['scope'];
  src: Route['src'];
  metric: Route['metric'];
  onlink: Route['onlink'];
}
type WithText = Route & { [TEXT]?: RouteText };

/**
 * formatRoute's memo of `r`: the text, and `derived`, a slot where a caller keeps what it makes
 * from the route's printed fields (the datapath keeps its hop sentences there). The memo is
 * replaced, its slot empty, whenever one of those fields changes; one property on the route
 * serves both, rather than a second one that would give routes yet another object shape.
 */
export function routeTextMemo(r: Route): { readonly text: string; derived: unknown } {
  const holder = r as WithText;
  const c = holder[TEXT];
  if (c && c.dst === r.dst && c.via === r.via && c.dev === r.dev && c.type === r.type && c.proto === r.proto && c.scope === r.scope && c.src === r.src && c.metric === r.metric && c.onlink === r.onlink) return c;
  const made: RouteText = { text: formatUncached(r), derived: undefined, type: r.type, dst: r.dst, via: r.via, dev: r.dev, proto: r.proto, scope: r.scope, src: r.src, metric: r.metric, onlink: r.onlink };
  if (TEXT in holder) holder[TEXT] = made;
  else Object.defineProperty(holder, TEXT, { value: made, writable: true, configurable: true, enumerable: false });
  return made;
}

/** `ip route` text of one route, exactly as iproute2 prints it. */
export function formatRoute(r: Route): string {
  return routeTextMemo(r).text;
}
function formatUncached(r: Route): string {
  const parts: string[] = [];
  if (r.type !== 'unicast') parts.push(r.type);
  parts.push(r.dst.prefix === 0 ? 'default' : r.dst.prefix === 32 ? r.dst.text.slice(0, -3) : r.dst.text);
  if (r.via) parts.push('via', r.via);
  if (r.dev) parts.push('dev', r.dev);
  if (r.proto) parts.push('proto', r.proto);
  if (r.scope && r.scope !== 'global') parts.push('scope', r.scope);
  if (r.src) parts.push('src', r.src);
  if (r.metric) parts.push('metric', String(r.metric));
  if (r.onlink) parts.push('onlink');
  return parts.join(' ');
}
