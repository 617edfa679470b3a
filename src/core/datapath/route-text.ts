/**
 * What a trace prints about a route: its `ip route` text as the hop's rule, and the parts of the
 * route and forward sentences that depend on the route alone. Every routed packet prints its
 * route two or three times, so these are made once per route object rather than per hop.
 * Kept in the slot formatRoute's own memo of the route offers (routeTextMemo), so they live and
 * die with the text: formatRoute checks every field it prints before reusing its memo, the
 * fragments use no field it does not print, and a route edited or replaced gets a new memo with
 * an empty slot. Nothing is added to the route object itself.
 */
import type { Route } from '../model/types';
import type { RuleRef } from '../trace/types';
import { routeTextMemo } from '../model/routes';

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

export function routeTexts(r: Route): RouteTexts {
  const memo = routeTextMemo(r);
  let m = memo.derived as RouteTexts | undefined;
  if (m === undefined) memo.derived = m = { text: memo.text, rule: { kind: 'route', text: memo.text }, chosen: undefined, forwards: undefined };
  return m;
}

/** The sentence tail of route `r` (whose texts are `m`) taken by a socket's packet: after who sends what. */
export function chosenText(m: RouteTexts, r: Route): string {
  return (m.chosen ??= `; the longest matching route is "${m.text}"${r.via ? `: next hop ${r.via}` : ': the destination is on-link'} via ${r.dev}.`);
}

/** How a packet forwarded by route `r` (whose texts are `m`) leaves: by which route, to which next hop, out of which device. */
export function forwardsText(m: RouteTexts, r: Route): string {
  return (m.forwards ??= `by "${m.text}"${r.via ? ` (next hop ${r.via})` : ''} out of ${r.dev}`);
}
