/**
 * The FIB lookup as the walker makes it: `lookupRoute` (model/routes.ts: the local table, then
 * the longest prefix) remembered per namespace and destination, as the kernel's route cache
 * once did. Every flow routes the same few destinations in the same namespaces, and the scans
 * of addresses and routes per routed packet were a visible part of trace profiles.
 *
 * Validated on use, once per flow and namespace: the cache keeps what a lookup reads — the route
 * list and each route's destination, metric, type and device; the device list and each device's
 * name, state and addresses — and is emptied when any of it differs from the namespace now (a
 * route added, replaced or removed, a link set down, an address added or removed, by CNI, a
 * fault, kube-proxy's IPVS sync or the shell). Within one flow nothing changes them: a walk
 * writes only neighbours, FDB entries, conntrack and counters, and faults and syncs run between
 * flows (the walks of a flow share `envs` for the same reason).
 */
import type { Device, Netns, Route } from '../model/types';
import type { RouteDecision } from '../model/routes';
import type { WalkContext } from './context';
import { lookupRoute } from '../model/routes';

interface RouteCache {
  /** The namespace's route and device lists when the cache was filled. */
  routes: readonly Route[];
  devices: readonly Device[];
  /** What lookupRoute reads, flat: per route [route, dst, metric, type, dev]; per device [device, name, kind, up, addresses, count] then each address [object, ipInt]. */
  facts: unknown[];
  byDst: Map<string, RouteDecision>;
  /** The flow (its `envs`) for which the facts were last checked against the namespace. */
  checkedFor: object | undefined;
}

const CACHE = new WeakMap<Netns, RouteCache>();

function factsOf(ns: Netns): unknown[] {
  const facts: unknown[] = [];
  for (const r of ns.routes) facts.push(r, r.dst, r.metric, r.type, r.dev);
  for (const d of ns.devices) {
    facts.push(d, d.name, d.kind, d.up, d.addresses, d.addresses.length);
    for (const a of d.addresses) facts.push(a, a.ipInt);
  }
  return facts;
}

/** True when the namespace still holds exactly what the cache was filled from. */
function fits(c: RouteCache, ns: Netns): boolean {
  if (c.routes !== ns.routes || c.devices !== ns.devices) return false;
  const f = c.facts;
  let k = 0;
  for (const r of ns.routes) {
    if (f[k] !== r || f[k + 1] !== r.dst || f[k + 2] !== r.metric || f[k + 3] !== r.type || f[k + 4] !== r.dev) return false;
    k += 5;
  }
  for (const d of ns.devices) {
    if (f[k] !== d || f[k + 1] !== d.name || f[k + 2] !== d.kind || f[k + 3] !== d.up || f[k + 4] !== d.addresses || f[k + 5] !== d.addresses.length) return false;
    k += 6;
    for (const a of d.addresses) {
      if (f[k] !== a || f[k + 1] !== a.ipInt) return false;
      k += 2;
    }
  }
  return k === f.length;
}

/** `lookupRoute(ns, dst)` for a packet of the flow walking in `ctx`; the decision is shared: read it, never change it. */
export function routeLookup(ctx: WalkContext, ns: Netns, dst: string): RouteDecision {
  const flow = (ctx.envs ??= new Map());
  let c = CACHE.get(ns);
  if (c === undefined || (c.checkedFor !== flow && !fits(c, ns))) {
    c = { routes: ns.routes, devices: ns.devices, facts: factsOf(ns), byDst: new Map(), checkedFor: flow };
    CACHE.set(ns, c);
  }
  c.checkedFor = flow;
  let d = c.byDst.get(dst);
  if (d === undefined) {
    d = lookupRoute(ns, dst);
    // Bounded: destinations come from packets, and a scenario may address many.
    if (c.byDst.size >= 4096) c.byDst.clear();
    c.byDst.set(dst, d);
  }
  return d;
}
