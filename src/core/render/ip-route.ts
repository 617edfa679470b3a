/**
 * `ip route` (table main), in the kernel's dump order: by destination address, longer
 * prefixes first among equal addresses, `default` first. Line format is iproute2's.
 */
import type { Netns } from '../model/types';
import { formatRoute } from '../model/routes';

export function renderIpRoute(ns: Netns): string {
  const routes = ns.routes.filter((r) => r.table === 254).slice();
  routes.sort((a, b) => a.dst.network - b.dst.network || b.dst.prefix - a.dst.prefix || (a.metric ?? 0) - (b.metric ?? 0));
  return routes.map((r) => formatRoute(r) + '\n').join('');
}
