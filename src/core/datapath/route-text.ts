/**
 * What a trace prints about a route: its `ip route` text as the hop's rule, and the parts of the
 * route and forward sentences that depend on the route alone. Every routed packet prints its
 * route two or three times, so these are made once per route object rather than per hop.
 * Remembered on the route under a symbol (non-enumerable: JSON, structuredClone and test equality
 * never see it; a symbol property read is cheaper than a WeakMap lookup, and formatRoute keeps
 * its text the same way) and used only while formatRoute still prints the text they were made
 * from — formatRoute checks every field it prints, and the fragments use no field it does not
 * print — so a route edited or replaced gets fresh ones.
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

const TEXTS: unique symbol = Symbol('route trace texts');
type WithTexts = Route & { [TEXTS]?: RouteTexts };

export function routeTexts(r: Route): RouteTexts {
  const text = formatRoute(r);
  const holder = r as WithTexts;
  const m = holder[TEXTS];
  if (m !== undefined && m.text === text) return m;
  const made: RouteTexts = { text, rule: { kind: 'route', text }, chosen: undefined, forwards: undefined };
  if (TEXTS in holder) holder[TEXTS] = made;
  else Object.defineProperty(holder, TEXTS, { value: made, writable: true, configurable: true, enumerable: false });
  return made;
}

/** The sentence tail of route `r` (whose texts are `m`) taken by a socket's packet: after who sends what. */
export function chosenText(m: RouteTexts, r: Route): string {
  return (m.chosen ??= `; the longest matching route is "${m.text}"${r.via ? `: next hop ${r.via}` : ': the destination is on-link'} via ${r.dev}.`);
}

/** How a packet forwarded by route `r` (whose texts are `m`) leaves: by which route, to which next hop, out of which device. */
export function forwardsText(m: RouteTexts, r: Route): string {
  return (m.forwards ??= `by "${m.text}"${r.via ? ` (next hop ${r.via})` : ''} out of ${r.dev}`);
}
