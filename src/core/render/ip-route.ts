/**
 * `ip route` (table main), in the kernel's dump order: by destination address, longer
 * prefixes first among equal addresses, `default` first. Line format is iproute2's.
 *
 * `ip route show table local|all`: the local table is the kernel's own, made from the
 * addresses (net/ipv4/fib_frontend.c fib_add_ifaddr): a `local` host route for every address,
 * even on a device that is down (kube-ipvs0's service addresses); on a device that is up a
 * `broadcast` route for the subnet's broadcast address when the prefix is shorter than /31, and
 * on loopback the whole prefix as `local`. `table all` prints main, then local with
 * `table local` after the device.
 *
 * iproute2 6.1 (ip/iproute.c print_route) prints every field as `"%s "`, so every line ends
 * with a space; Hopscope keeps it, byte for byte (test/kernel/tools.test.ts compares).
 */
import type { Netns } from '../model/types';
import { formatRoute } from '../model/routes';
import { intToIpv4, ipv4ToInt, prefixMask } from '../util/ip';

export function renderIpRoute(ns: Netns): string {
  const routes = ns.routes.filter((r) => r.table === 254).slice();
  routes.sort((a, b) => a.dst.network - b.dst.network || b.dst.prefix - a.dst.prefix || (a.metric ?? 0) - (b.metric ?? 0));
  return routes.map((r) => formatRoute(r) + ' \n').join('');
}

interface LocalRoute {
  network: number;
  prefix: number;
  text: (table: string) => string;
}

/** The local table's routes, in dump order; `table` is inserted after the device (`table all`). */
export function renderLocalTable(ns: Netns, all = false): string {
  const routes: LocalRoute[] = [];
  const table = all ? ' table local' : '';
  for (const d of ns.devices) {
    for (const a of d.addresses) {
      const ip = ipv4ToInt(a.ip);
      const tail = (scope: string) => `${table} proto kernel scope ${scope} src ${a.ip}`;
      routes.push({ network: ip, prefix: 32, text: () => `local ${a.ip} dev ${d.name}${tail('host')} \n` });
      if (!d.up) continue;
      if (d.kind === 'loopback' && a.prefix < 32) {
        const net = (ip & prefixMask(a.prefix)) >>> 0;
        routes.push({ network: net, prefix: a.prefix, text: () => `local ${intToIpv4(net)}/${a.prefix} dev ${d.name}${tail('host')} \n` });
      }
      if (a.prefix < 31) {
        const brd = (ip | ~prefixMask(a.prefix)) >>> 0;
        routes.push({ network: brd, prefix: 32, text: () => `broadcast ${intToIpv4(brd)} dev ${d.name}${tail('link')} \n` });
      }
    }
  }
  routes.sort((x, y) => x.network - y.network || y.prefix - x.prefix);
  // Two addresses with the same broadcast address share one route.
  return [...new Set(routes.map((r) => r.text(table)))].join('');
}
