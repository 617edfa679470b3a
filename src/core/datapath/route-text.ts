/**
 * What a trace prints about a route: its `ip route` text as the hop's rule, and the parts of the
 * route and forward sentences that depend on the route alone. Every routed packet prints its
 * route two or three times, so these are made once per route object rather than per hop.
 * Remembered beside the route (a WeakMap: the model's objects are not touched) and used only
 * while formatRoute still prints the text they were made from — formatRoute checks every field
 * it prints, and the fragments use no field it does not print — so a route edited or replaced
 * gets fresh ones.
 */
import type { Route } from '../model/types';
import type { RuleRef } from '../trace/types';
import { formatRoute } from '../model/routes';

export interface RouteTexts {
  /** `formatRoute(route)`. */
  text: string;
  /** The hop's rule: `{ kind: 'route', text }`, shared by the hops that print this route (traces never change a hop's rule). */
  rule: RuleRef;
  /** `; the longest matching route is "…": next hop …|: the destination is on-link via DEV.` (output). */
  chosen: string | undefined;
  /** `by "…"( (next hop …)) out of DEV` (forwarding). */
  forwards: string | undefined;
}

const MEMO = new WeakMap<Route, RouteTexts>();

export function routeTexts(r: Route): RouteTexts {
  const text = formatRoute(r);
  let m = MEMO.get(r);
  if (m === undefined || m.text !== text) {
    m = { text, rule: { kind: 'route', text }, chosen: undefined, forwards: undefined };
    MEMO.set(r, m);
  }
  return m;
}

/** The sentence tail of a route a socket's packet takes (the part after who sends what). */
export function chosenText(r: Route): string {
  const m = routeTexts(r);
  return (m.chosen ??= `; the longest matching route is "${m.text}"${r.via ? `: next hop ${r.via}` : ': the destination is on-link'} via ${r.dev}.`);
}

/** How a forwarded packet leaves: by which route, to which next hop, out of which device. */
export function forwardsText(r: Route): string {
  const m = routeTexts(r);
  return (m.forwards ??= `by "${m.text}"${r.via ? ` (next hop ${r.via})` : ''} out of ${r.dev}`);
}
