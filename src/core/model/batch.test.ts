import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { NeighState } from './types';
import { createNetns } from './netns';
import type { RouteSpec } from './routes';
import { addConnectedRoute, addRoute, addRoutes } from './routes';
import { parseCidr } from '../util/ip';
import { setNeighbour, setNeighbours } from './neighbours';
import { addVxlanFdb, addVxlanFdbs } from './devices/vxlan';

/** Batches (one index per call) must leave every table as the one-by-one calls (a scan each) do. */
const dst = fc.constantFrom('default', '10.0.0.0/24', '10.0.1.0/24', '10.0.0.5/24', '10.0.0.0/16', '192.168.1.7', 'bogus');
const route: fc.Arbitrary<RouteSpec> = fc.record(
  { dst, via: fc.constantFrom('10.0.0.1', '10.0.0.2'), dev: fc.constantFrom('eth0', 'tunl0'), metric: fc.constantFrom(0, 100, Number.NaN), proto: fc.constantFrom('bird', 'kernel'), onlink: fc.boolean() },
  { requiredKeys: ['dst'] },
);
// Addresses in other spellings too (a leading zero, not IPv4): the batch indexes canonical ones by number.
const neigh = fc.record({ dev: fc.constantFrom('eth0', 'flannel.1'), ip: fc.oneof({ arbitrary: fc.constantFrom('10.0.0.1', '10.0.0.2', '10.0.0.3', '0.0.0.0', '255.255.255.255'), weight: 30 }, { arbitrary: fc.constantFrom('10.0.0.01', '10.0.0.1 ', '10.0.0', 'fe80::1'), weight: 1 }), mac: fc.constantFrom('02:00:00:00:00:01', '02:00:00:00:00:02'), state: fc.constantFrom<NeighState>('PERMANENT', 'REACHABLE', 'STALE') });
// MACs in other spellings too (upper case, not a MAC): the batch indexes canonical ones by number.
const fdb = fc.record({ dev: fc.constantFrom('flannel.1', 'vxlan.calico'), mac: fc.oneof({ arbitrary: fc.constantFrom('02:00:00:00:00:01', '02:00:00:00:00:02', '02:00:00:00:00:03', '02:00:00:00:00:0a'), weight: 30 }, { arbitrary: fc.constantFrom('02:00:00:00:00:0A', 'bogus'), weight: 1 }), remote: fc.constantFrom('192.168.0.11', '192.168.0.12') });

describe('batched table writes', () => {
  it('addRoutes leaves the table as addRoute per spec does (replace by destination and metric)', () => {
    fc.assert(
      fc.property(fc.array(route, { maxLength: 12 }), fc.array(route, { maxLength: 30 }), (before, batch) => {
        const a = createNetns('a', 'node', 'n', 'a');
        const b = createNetns('b', 'node', 'n', 'b');
        for (const r of before) {
          addRoute(a, r);
          addRoute(b, r);
        }
        for (const r of batch) addRoute(a, r);
        addRoutes(b, batch);
        expect(b.routes).toEqual(a.routes);
      }),
      { numRuns: 500 },
    );
  });

  it('setNeighbours leaves the table as setNeighbour per entry does (PERMANENT kept against weaker states)', () => {
    fc.assert(
      fc.property(fc.array(neigh, { maxLength: 8 }), fc.array(neigh, { maxLength: 20 }), (before, batch) => {
        const a = createNetns('a', 'node', 'n', 'a');
        const b = createNetns('b', 'node', 'n', 'b');
        for (const e of before) {
          setNeighbour(a, e.dev, e.ip, e.mac, e.state);
          setNeighbour(b, e.dev, e.ip, e.mac, e.state);
        }
        for (const e of batch) setNeighbour(a, e.dev, e.ip, e.mac, e.state);
        setNeighbours(b, batch);
        expect(b.neighbours).toEqual(a.neighbours);
      }),
      { numRuns: 500 },
    );
  });

  it('addVxlanFdbs leaves the table as addVxlanFdb per entry does, bridge entries untouched', () => {
    fc.assert(
      fc.property(fc.array(fdb, { maxLength: 8 }), fc.constantFrom('flannel.1', 'vxlan.calico'), fc.array(fdb, { maxLength: 20 }), (before, dev, batch) => {
        const a = createNetns('a', 'node', 'n', 'a');
        const b = createNetns('b', 'node', 'n', 'b');
        for (const ns of [a, b]) {
          ns.fdb.push({ mac: '02:00:00:00:00:01', dev, master: 'cni0', permanent: true });
          for (const e of before) addVxlanFdb(ns, e.dev, e.mac, e.remote);
        }
        for (const e of batch) addVxlanFdb(a, dev, e.mac, e.remote);
        addVxlanFdbs(b, dev, batch);
        expect(b.fdb).toEqual(a.fdb);
      }),
      { numRuns: 500 },
    );
  });
});

describe('addConnectedRoute', () => {
  it('adds the route parseCidr(`${ip}/${prefix}`) gives, and none for what it refuses', () => {
    const ip = fc.oneof(fc.ipV4(), fc.constantFrom('10.0.0.256', '1.2.3', '', '01.2.3.4'));
    const prefix = fc.oneof(fc.integer({ min: -1, max: 33 }), fc.constantFrom(24.5, Number.NaN));
    fc.assert(
      fc.property(ip, prefix, (a, p) => {
        const ns = createNetns('a', 'node', 'n', 'a');
        const dev = ns.devices[0]!;
        addConnectedRoute(ns, dev, a, p);
        const net = p >= 32 ? null : parseCidr(`${a}/${p}`);
        expect(ns.routes).toEqual(net ? [{ type: 'unicast', dst: net, table: 254, dev: 'lo', scope: 'link', proto: 'kernel', src: a }] : []);
      }),
      { numRuns: 2000 },
    );
  });
});
