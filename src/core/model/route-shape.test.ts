// addRoute makes the common route shapes as whole literals (routes.ts, routeFrom): every spec
// still gives the route the one-property-at-a-time construction gives, properties in the same
// order (the model's JSON), whichever shape it has.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { Route } from './types';
import type { RouteSpec } from './routes';
import { addConnectedRoute, addRoute, routeFieldByField } from './routes';
import { createNetns } from './netns';
import { intToIpv4, ipv4ToInt, parseCidr, prefixMask } from '../util/ip';

/** The field-by-field construction, for any spec (null where the destination does not parse). */
function reference(spec: RouteSpec): Route | null {
  const dst = spec.dst === 'default' ? parseCidr('0.0.0.0/0') : parseCidr(spec.dst);
  return dst ? routeFieldByField(spec, dst, spec.type ?? 'unicast') : null;
}

describe('connected routes', () => {
  it('name the subnet as formatting it afresh does, for every address and prefix, many subnets over', () => {
    const ip = fc.tuple(fc.nat(255), fc.nat(255), fc.nat(255), fc.nat(255)).map((o) => o.join('.'));
    fc.assert(
      fc.property(fc.array(fc.tuple(ip, fc.integer({ min: 0, max: 31 })), { minLength: 1, maxLength: 300 }), (pairs) => {
        for (const [a, prefix] of pairs) {
          const ns = createNetns('n', 'node', 'n', 'n');
          addConnectedRoute(ns, ns.devices[0]!, a, prefix);
          expect(ns.routes[0]!.dst.text).toBe(`${intToIpv4((ipv4ToInt(a) & prefixMask(prefix)) >>> 0)}/${prefix}`);
          expect(ns.routes[0]!.src).toBe(a);
        }
      }),
      { numRuns: 100 },
    );
  });
});

describe('route shapes', () => {
  it('gives every spec the route the field-by-field construction gives, in the same property order', () => {
    // Which optional fields a spec has is drawn as one bitmask, so every shape (the few made as
    // whole literals among them) is drawn about equally often.
    const spec = fc
      .record({
        has: fc.nat(255),
        dst: fc.constantFrom('default', '10.244.1.0/24', '10.0.0.7/32', 'bogus'),
        via: fc.constantFrom('10.244.1.0', '169.254.1.1'),
        dev: fc.constantFrom('eth0', 'flannel.1', 'tunl0'),
        onlink: fc.boolean(),
        scope: fc.constantFrom('link' as const, 'host' as const, 'global' as const),
        proto: fc.constantFrom('kernel', 'bird', '80'),
        src: fc.constantFrom('10.244.1.1'),
        metric: fc.constantFrom(0, 100),
        type: fc.constantFrom('unicast' as const, 'blackhole' as const),
      })
      .map(({ has, dst, ...f }) => {
        const s: RouteSpec = { dst };
        if (has & 1) s.via = f.via;
        if (has & 2) s.dev = f.dev;
        if (has & 4) s.onlink = f.onlink;
        if (has & 8) s.scope = f.scope;
        if (has & 16) s.proto = f.proto;
        if (has & 32) s.src = f.src;
        if (has & 64) s.metric = f.metric;
        if (has & 128) s.type = f.type;
        return s;
      });
    fc.assert(
      fc.property(spec, (s) => {
        const got = addRoute(createNetns('n', 'node', 'n', 'n'), s);
        expect(JSON.stringify(got)).toBe(JSON.stringify(reference(s)));
        expect(got).toStrictEqual(reference(s));
      }),
      { numRuns: 2000 },
    );
  });
});
