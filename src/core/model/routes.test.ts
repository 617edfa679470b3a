// Route lookup and route text: the lookup against the plain longest-prefix scan it is an
// optimisation of, and the remembered `ip route` text against a route changed after printing.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Netns, Route } from './types';
import { addRoute, formatRoute, lookupRoute } from './routes';
import { createNetns } from './netns';
import { cidrContains, ipv4ToInt, parseCidr } from '../util/ip';

/** The reference: every matching route over a device that is up; longest prefix, then lowest metric, first on a tie. */
function reference(ns: Netns, dst: string): Route | undefined {
  const ip = ipv4ToInt(dst);
  let best: Route | undefined;
  for (const r of ns.routes) {
    if (!cidrContains(r.dst, ip)) continue;
    if (r.dev) {
      const dev = ns.devices.find((d) => d.name === r.dev);
      if (!dev || !dev.up) continue;
    }
    if (!best || r.dst.prefix > best.dst.prefix || (r.dst.prefix === best.dst.prefix && (r.metric ?? 0) < (best.metric ?? 0))) best = r;
  }
  return best;
}

function netnsWithDevices(up: boolean[]): Netns {
  const ns = createNetns('t', 'node', 't', 't');
  up.forEach((u, i) => ns.devices.push({ ifindex: i + 2, name: `d${i}`, kind: 'dummy', mac: '00:00:00:00:00:01', mtu: 1500, up: u, addresses: [] }));
  return ns;
}

describe('lookupRoute', () => {
  it('picks what the linear longest-prefix scan picks', () => {
    const cidr = fc.tuple(fc.constantFrom('10.0.0.0', '10.1.0.0', '10.1.2.0', '0.0.0.0', '10.1.2.3'), fc.constantFrom(0, 8, 16, 24, 32));
    const route = fc.record({ cidr, dev: fc.constantFrom('d0', 'd1', 'd2', 'gone', undefined), metric: fc.constantFrom(undefined, 0, 5, 100), type: fc.constantFrom<Route['type']>('unicast', 'unicast', 'blackhole') });
    fc.assert(
      fc.property(fc.array(fc.boolean(), { minLength: 3, maxLength: 3 }), fc.array(route, { maxLength: 12 }), fc.array(fc.constantFrom('10.1.2.3', '10.1.9.9', '10.0.0.1', '192.168.1.1', '10.1.2.200'), { minLength: 5, maxLength: 5 }), (up, routes, dsts) => {
        const ns = netnsWithDevices(up);
        for (const r of routes) addRoute(ns, { dst: `${parseCidr(`${r.cidr[0]}/${r.cidr[1]}`)!.text}`, ...(r.dev ? { dev: r.dev } : {}), ...(r.metric !== undefined ? { metric: r.metric } : {}), type: r.type });
        for (const d of dsts) {
          const want = reference(ns, d);
          const got = lookupRoute(ns, d);
          expect(got.kind === 'unreachable' ? got.route : got.kind === 'local' ? undefined : got.route).toBe(want);
        }
      }),
      { numRuns: 400 },
    );
  });
});

describe('formatRoute', () => {
  it('prints a route changed in place afresh', () => {
    const ns = netnsWithDevices([true]);
    const r = addRoute(ns, { dst: '10.244.2.0/24', via: '10.244.2.0', dev: 'd0', onlink: true })!;
    expect(formatRoute(r)).toBe('10.244.2.0/24 via 10.244.2.0 dev d0 onlink');
    expect(formatRoute(r)).toBe('10.244.2.0/24 via 10.244.2.0 dev d0 onlink');
    r.metric = 100;
    expect(formatRoute(r)).toBe('10.244.2.0/24 via 10.244.2.0 dev d0 metric 100 onlink');
    r.dst = parseCidr('10.244.3.0/24')!;
    delete r.via;
    expect(formatRoute(r)).toBe('10.244.3.0/24 dev d0 metric 100 onlink');
  });

  it('leaves no trace in JSON or a structured clone', () => {
    const ns = netnsWithDevices([true]);
    const r = addRoute(ns, { dst: '10.0.0.0/8', dev: 'd0' })!;
    const before = JSON.stringify(r);
    formatRoute(r);
    expect(JSON.stringify(r)).toBe(before);
    expect(structuredClone(r)).toEqual(JSON.parse(before));
  });
});
