import { describe, expect, it } from 'vitest';
import type { Route, VxlanDevice } from '../model/types';
import { parseCidr } from '../util/ip';
import { cluster } from '../testing/cluster';
import { chosenText, forwardsText, routeTexts } from './route-text';

/**
 * Sentences the datapath remembers per model object (a route, a link, a VXLAN device) must follow
 * that object when it is edited in place between walks, as faults and shell commands do.
 */
describe('remembered route texts', () => {
  it('follow a route edited in place', () => {
    const r: Route = { type: 'unicast', dst: parseCidr('10.244.2.0/24')!, table: 254, via: '10.244.2.0', dev: 'flannel.1', onlink: true };
    expect(chosenText(routeTexts(r), r)).toBe('; the longest matching route is "10.244.2.0/24 via 10.244.2.0 dev flannel.1 onlink": next hop 10.244.2.0 via flannel.1.');
    expect(forwardsText(routeTexts(r), r)).toBe('by "10.244.2.0/24 via 10.244.2.0 dev flannel.1 onlink" (next hop 10.244.2.0) out of flannel.1');
    r.via = '10.244.2.1';
    expect(forwardsText(routeTexts(r), r)).toBe('by "10.244.2.0/24 via 10.244.2.1 dev flannel.1 onlink" (next hop 10.244.2.1) out of flannel.1');
    r.dev = 'eth0';
    expect(chosenText(routeTexts(r), r)).toBe('; the longest matching route is "10.244.2.0/24 via 10.244.2.1 dev eth0 onlink": next hop 10.244.2.1 via eth0.');
    delete r.onlink;
    expect(routeTexts(r).rule).toEqual({ kind: 'route', text: '10.244.2.0/24 via 10.244.2.1 dev eth0' });
    expect(chosenText(routeTexts(r), r)).toBe('; the longest matching route is "10.244.2.0/24 via 10.244.2.1 dev eth0": next hop 10.244.2.1 via eth0.');
    expect(forwardsText(routeTexts(r), r)).toBe('by "10.244.2.0/24 via 10.244.2.1 dev eth0" (next hop 10.244.2.1) out of eth0');
  });
});

describe('remembered link and tunnel texts', () => {
  it('follow the segment and the VXLAN device when they change between walks', () => {
    const c = cluster().nodes(2).cni('flannel', { backend: 'vxlan' }).pod('a', { node: 'node-1' }).pod('b', { node: 'node-2', ports: [80] }).build();
    const first = c.trace('pod/a', 'pod/default/b:80');
    const wire = first.hops.find((h) => h.stage === 'wire')!;
    const encap = first.hops.find((h) => h.stage === 'encap')!;
    const cidr = c.model.segments.get(wire.netns)!.cidr;
    expect(wire.explain).toContain(`On the wire of segment ${cidr}: `);
    expect(encap.explain).toContain('flannel.1 (VNI 1) finds');
    // Renumber the segment's text and the VXLAN network on both nodes (headers and sentences follow).
    c.model.segments.get(wire.netns)!.cidr = '192.0.2.0/24';
    for (const node of ['node-1', 'node-2']) (c.model.netns.get(node)!.devices.find((d) => d.name === 'flannel.1') as VxlanDevice).vni = 7;
    const again = c.trace('pod/a', 'pod/default/b:80', { index: 1 });
    expect(again.hops.find((h) => h.stage === 'wire')!.explain).toContain('On the wire of segment 192.0.2.0/24: ');
    expect(again.hops.find((h) => h.stage === 'encap')!.explain).toContain('flannel.1 (VNI 7) finds');
  });
});
