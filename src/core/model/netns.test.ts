import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { Netns } from './types';
import { createNetns, nextIfindex, removeDevice } from './netns';
import { createVethPair } from './devices/veth';
import { createDummy } from './devices/dummy';

/** What nextIfindex stands for: one more than the highest ifindex in the namespace. */
const scan = (ns: Netns) => Math.max(0, ...ns.devices.map((d) => d.ifindex)) + 1;

type Op = { kind: 'veth' | 'dummy' | 'push' | 'remove' | 'splice'; n: number };

describe('nextIfindex', () => {
  it('is one past the highest ifindex whatever was added or removed since the last call (its kept maximum follows the list)', () => {
    const op = fc.record({ kind: fc.constantFrom<Op['kind']>('veth', 'dummy', 'push', 'remove', 'splice'), n: fc.nat(20) });
    fc.assert(
      fc.property(fc.array(op, { maxLength: 60 }), (ops) => {
        const host = createNetns('h', 'node', 'n', 'h');
        const pod = createNetns('p', 'pod', 'n', 'p');
        let k = 0;
        for (const o of ops) {
          if (o.kind === 'veth') createVethPair({ ns: pod, name: `e${k}`, mac: '02:00:00:00:00:01', mtu: 1500 }, { ns: host, name: `v${k++}`, mac: '02:00:00:00:00:02', mtu: 1500 });
          else if (o.kind === 'dummy') createDummy(host, `d${k++}`, '02:00:00:00:00:03');
          else if (o.kind === 'push') for (let i = 0; i <= o.n % 12; i++) host.devices.push({ ifindex: o.n * 3 + i, name: `x${k++}`, kind: 'dummy', mac: '02:00:00:00:00:04', mtu: 1500, up: true, addresses: [] });
          else if (o.kind === 'splice') host.devices.splice(o.n % (host.devices.length + 1), o.n);
          else if (host.devices.length) removeDevice(host, host.devices[o.n % host.devices.length]!.name);
          expect(nextIfindex(host)).toBe(scan(host));
          expect(nextIfindex(pod)).toBe(scan(pod));
        }
      }),
      { numRuns: 500 },
    );
  });

  it('sees a device added by hand after it was asked, and the highest device going away', () => {
    const ns = createNetns('h', 'node', 'n', 'h');
    expect(nextIfindex(ns)).toBe(2);
    ns.devices.push({ ifindex: 9, name: 'x', kind: 'dummy', mac: '02:00:00:00:00:04', mtu: 1500, up: true, addresses: [] });
    expect(nextIfindex(ns)).toBe(10);
    removeDevice(ns, 'x');
    expect(nextIfindex(ns)).toBe(2);
    ns.devices = [];
    expect(nextIfindex(ns)).toBe(1);
  });
});
