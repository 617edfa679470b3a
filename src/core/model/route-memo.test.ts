// lookupRoute remembers each namespace's decisions (a NamespaceMemo, namespace-memo.ts). Every kind of writer
// of routes, devices and addresses is applied between lookups, and each answer is held to a
// fresh, unremembered lookup (decideRoute) of the same model.
import fc from 'fast-check';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Device, Netns } from './types';
import { addRoute, addRoutes, decideRoute, lookupRoute, removeRoute } from './routes';
import { addAddress, addDevice, createNetns, findLocalAddress, removeDevice, routingChanged, scanLocalAddresses, setDeviceUp } from './netns';
import { ipv4ToInt, parseCidr } from '../util/ip';

const DEVICES = ['d0', 'd1', 'd2'];
const CIDRS = ['10.0.0.0/8', '10.1.0.0/16', '10.1.2.0/24', '10.1.2.3/32', '0.0.0.0/0', '192.168.0.0/16'];
const DESTINATIONS = ['10.1.2.3', '10.1.9.9', '10.0.0.1', '192.168.1.1', '127.0.0.1', '8.8.8.8'];
const ADDRESSES = ['10.1.2.3', '10.0.0.1', '192.168.1.1'];

function dummy(ns: Netns, name: string): Device {
  return { ifindex: ns.devices.length + 2, name, kind: 'dummy', mac: '00:00:00:00:00:01', mtu: 1500, up: true, addresses: [] };
}

function namespace(id: string): Netns {
  const ns = createNetns(id, 'node', id, id);
  for (const n of DEVICES) addDevice(ns, dummy(ns, n));
  return ns;
}

/** One change to the model, as each writer makes it. */
type Op =
  | { kind: 'addRoute'; cidr: string; dev: string; metric: number | undefined; blackhole: boolean }
  | { kind: 'addRoutes'; cidrs: string[]; dev: string }
  | { kind: 'removeRoute'; cidr: string }
  | { kind: 'pushRoute'; cidr: string; dev: string }
  | { kind: 'replaceRoutesArray' }
  | { kind: 'addDevice'; name: string }
  | { kind: 'pushDevice' }
  | { kind: 'replaceDevicesArray' }
  | { kind: 'removeDevice'; name: string }
  | { kind: 'addAddress'; dev: string; ip: string }
  | { kind: 'replaceAddresses'; dev: string }
  | { kind: 'toggleUp'; dev: string };

function apply(ns: Netns, op: Op): void {
  const dev = (name: string) => ns.devices.find((d) => d.name === name);
  switch (op.kind) {
    case 'addRoute':
      addRoute(ns, { dst: op.cidr, dev: op.dev, ...(op.metric !== undefined ? { metric: op.metric } : {}), ...(op.blackhole ? { type: 'blackhole' as const } : {}) });
      return;
    case 'addRoutes':
      addRoutes(ns, op.cidrs.map((dst) => ({ dst, dev: op.dev })));
      return;
    case 'removeRoute':
      removeRoute(ns, op.cidr);
      return;
    case 'pushRoute':
      // A caller pushing onto the table itself (as tests do): the memo sees the new length.
      ns.routes.push({ type: 'unicast', dst: parseCidr(op.cidr)!, table: 254, dev: op.dev });
      return;
    case 'replaceRoutesArray':
      // A new array of the same length, its first route replaced: the memo sees the new array.
      if (ns.routes.length) ns.routes = [{ ...ns.routes[0]!, dst: parseCidr('10.1.2.0/24')! }, ...ns.routes.slice(1)];
      return;
    case 'addDevice':
      if (!dev(op.name)) addDevice(ns, dummy(ns, op.name));
      return;
    case 'removeDevice':
      removeDevice(ns, op.name);
      return;
    case 'pushDevice': {
      // A caller pushing onto the device list itself (as tests do): the memo sees the new length.
      const d = dummy(ns, `p${ns.devices.length}`);
      d.addresses = [{ ip: '10.1.2.3', prefix: 32, ipInt: 0x0a010203, scope: 'global' }];
      ns.devices.push(d);
      return;
    }
    case 'replaceDevicesArray':
      // A new list of the same length whose d0 is a new object, up the other way: the memo sees the new list.
      ns.devices = ns.devices.map((d) => (d.name === 'd0' ? { ...d, up: !d.up } : d));
      return;
    case 'addAddress': {
      const d = dev(op.dev);
      if (d) addAddress(ns, d, op.ip, 32);
      return;
    }
    case 'replaceAddresses': {
      // IPVS's sync: the address list replaced, announced as routingChanged asks.
      const d = dev(op.dev);
      if (d) {
        d.addresses = d.addresses.slice(1);
        routingChanged();
      }
      return;
    }
    case 'toggleUp': {
      // A node fault stopping its NIC.
      const d = ns.devices.find((x) => x.name === op.dev) ?? ns.devices[0]!;
      setDeviceUp(d, !d.up);
      return;
    }
  }
}

const devName = fc.constantFrom(...DEVICES, 'lo', 'gone');
const cidr = fc.constantFrom(...CIDRS);
const op: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ kind: fc.constant('addRoute' as const), cidr, dev: devName, metric: fc.constantFrom(undefined, 0, 5, 100), blackhole: fc.boolean() }),
  fc.record({ kind: fc.constant('addRoutes' as const), cidrs: fc.array(cidr, { maxLength: 20 }), dev: devName }),
  fc.record({ kind: fc.constant('removeRoute' as const), cidr }),
  fc.record({ kind: fc.constant('pushRoute' as const), cidr, dev: devName }),
  fc.record({ kind: fc.constant('replaceRoutesArray' as const) }),
  fc.record({ kind: fc.constant('addDevice' as const), name: devName }),
  fc.record({ kind: fc.constant('removeDevice' as const), name: devName }),
  fc.record({ kind: fc.constant('pushDevice' as const) }),
  fc.record({ kind: fc.constant('replaceDevicesArray' as const) }),
  fc.record({ kind: fc.constant('addAddress' as const), dev: devName, ip: fc.constantFrom(...ADDRESSES) }),
  fc.record({ kind: fc.constant('replaceAddresses' as const), dev: devName }),
  fc.record({ kind: fc.constant('toggleUp' as const), dev: devName }),
);

function expectFresh(ns: Netns, dst: string): void {
  // The local table, remembered beside (netns.ts), against its scan.
  expect(findLocalAddress(ns, ipv4ToInt(dst))).toBe(scanLocalAddresses(ns, ipv4ToInt(dst)));
  const got = lookupRoute(ns, dst);
  const want = decideRoute(ns, dst);
  expect(got).toEqual(want);
  // The same route or device object, not only an equal one.
  if ('route' in got && 'route' in want) expect(got.route).toBe(want.route);
  if (got.kind === 'local' && want.kind === 'local') expect(got.dev).toBe(want.dev);
}

describe('lookupRoute memo', () => {
  it('answers as a fresh lookup whatever writer changed the namespace between lookups', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.boolean(), op, fc.array(fc.constantFrom(...DESTINATIONS), { minLength: 1, maxLength: 4 })), { maxLength: 25 }), (steps) => {
        // Two namespaces, changed and looked up in turn (the memo keeps the last one at hand).
        const a = namespace('a');
        const b = namespace('b');
        for (const [which, o, dsts] of steps) {
          const ns = which ? a : b;
          for (const d of dsts) expectFresh(ns, d);
          apply(ns, o);
          for (const d of dsts) expectFresh(ns, d);
          for (const d of dsts) expectFresh(which ? b : a, d);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('follows each writer on its own', () => {
    const cases: Op[] = [
      { kind: 'addRoute', cidr: '10.1.2.0/24', dev: 'd1', metric: undefined, blackhole: false },
      { kind: 'addRoute', cidr: '10.1.0.0/16', dev: 'd1', metric: undefined, blackhole: true },
      { kind: 'addRoutes', cidrs: ['10.1.2.0/24', ...CIDRS, ...CIDRS, ...CIDRS], dev: 'd2' },
      // A batch large enough to be indexed, every spec replacing a route in place: same array, same length.
      { kind: 'addRoutes', cidrs: Array.from({ length: 20 }, (_, i) => (i % 2 ? '10.1.0.0/16' : '0.0.0.0/0')), dev: 'd2' },
      { kind: 'removeRoute', cidr: '10.1.0.0/16' },
      { kind: 'pushRoute', cidr: '10.1.2.0/24', dev: 'd1' },
      { kind: 'replaceRoutesArray' },
      { kind: 'removeDevice', name: 'd0' },
      { kind: 'pushDevice' },
      { kind: 'replaceDevicesArray' },
      { kind: 'addAddress', dev: 'd1', ip: '10.1.2.3' },
      { kind: 'toggleUp', dev: 'd0' },
    ];
    for (const o of cases) {
      const ns = namespace('w');
      addRoute(ns, { dst: '10.1.0.0/16', dev: 'd0' });
      addRoute(ns, { dst: '0.0.0.0/0', dev: 'd0' });
      for (const d of DESTINATIONS) expectFresh(ns, d);
      const before = DESTINATIONS.map((d) => lookupRoute(ns, d));
      apply(ns, o);
      const changed = DESTINATIONS.some((d, i) => JSON.stringify(decideRoute(ns, d)) !== JSON.stringify(before[i]));
      expect(changed, `${o.kind} changes some answer`).toBe(true);
      for (const d of DESTINATIONS) expectFresh(ns, d);
    }
  });

  it('follows an IPVS address list replaced, and a device added', () => {
    const ns = namespace('v');
    addRoute(ns, { dst: '0.0.0.0/0', dev: 'd0' });
    const d1 = ns.devices.find((d) => d.name === 'd1')!;
    addAddress(ns, d1, '10.0.0.1', 32);
    expect(lookupRoute(ns, '10.0.0.1').kind).toBe('local');
    apply(ns, { kind: 'replaceAddresses', dev: 'd1' });
    expect(lookupRoute(ns, '10.0.0.1').kind).toBe('unicast');
    const extra = dummy(ns, 'd9');
    extra.addresses = [{ ip: '10.0.0.1', prefix: 32, ipInt: 0x0a000001, scope: 'global' }];
    addDevice(ns, extra);
    expect(lookupRoute(ns, '10.0.0.1')).toEqual({ kind: 'local', dev: extra });
  });

  it('is not bypassed: the sources change a device\'s up and address list only where the memo hears of it', () => {
    // The memo trusts every in-place change of `up` and `addresses` to be announced
    // (setDeviceUp, routingChanged). Each assignment in the sources is listed here, so that a new
    // one is looked at: an unannounced one would leave lookups answering from the old model.
    const root = join(__dirname, '../..');
    const found: string[] = [];
    const visit = (dir: string) => {
      for (const name of readdirSync(dir)) {
        const path = join(dir, name);
        if (statSync(path).isDirectory()) visit(path);
        else if (name.endsWith('.ts') && !name.endsWith('.test.ts')) {
          readFileSync(path, 'utf8')
            .split('\n')
            .forEach((line) => {
              if (/\.(up|addresses)\s*=[^=>]|\.addresses\.(push|splice|pop|shift|unshift|fill|sort|reverse)\(/.test(line)) found.push(`${path.slice(root.length + 1)}: ${line.trim()}`);
            });
        }
      }
    };
    visit(root);
    expect(found).toEqual([
      // setDeviceUp itself.
      'core/model/netns.ts: dev.up = up;',
      // A device's first address; addAddress calls routingChanged.
      'core/model/netns.ts: if (dev.addresses.length === 0) dev.addresses = [a];',
      'core/model/netns.ts: else dev.addresses.push(a);',
      // IPVS's sync, followed by routingChanged.
      'core/proxy/ipvs.ts: dummy.addresses = dummy.addresses.filter((a) => wanted.has(a.ip));',
    ]);
  });
});
