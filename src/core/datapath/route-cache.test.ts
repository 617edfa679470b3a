import { describe, expect, it } from 'vitest';
import type { WalkContext } from './context';
import { cluster } from '../testing/cluster';
import { addRoute, lookupRoute, removeRoute } from '../model/routes';
import { addAddress, getDevice } from '../model/netns';
import { createRng } from '../util/rng';
import { routeLookup } from './route-cache';

/** A new flow's context: the cache is checked against the namespace once per flow. */
const flow = (c: ReturnType<ReturnType<typeof cluster>['build']>): WalkContext => ({ model: c.model, rng: createRng(1), now: 0, hops: [], expect: undefined, envs: undefined, lastEnv: undefined });

describe('the walker route cache', () => {
  const c = cluster().nodes(2).cni('flannel', { backend: 'vxlan' }).pod('a', { node: 'node-1' }).pod('b', { node: 'node-2', ports: [80] }).build();
  const ns = c.model.netns.get('node-1')!;
  const dsts = ['10.244.1.7', '10.244.0.1', '192.168.0.12', '192.168.0.11', '8.8.8.8', '127.0.0.1', '10.99.0.1'];
  const agrees = () => {
    const ctx = flow(c);
    for (const d of dsts) expect(routeLookup(ctx, ns, d)).toEqual(lookupRoute(ns, d));
  };

  it('answers as lookupRoute does, and follows every kind of change made between flows', () => {
    agrees();
    // A more specific route pushed, then replaced in place (same destination and metric).
    addRoute(ns, { dst: '10.99.0.0/16', via: '192.168.0.12', dev: 'eth0' });
    agrees();
    // Replaced by a route that differs only in its gateway: only the route object itself tells.
    addRoute(ns, { dst: '10.99.0.0/16', via: '192.168.0.13', dev: 'eth0' });
    agrees();
    expect(routeLookup(flow(c), ns, '10.99.0.1')).toMatchObject({ kind: 'unicast', route: { via: '192.168.0.13' } });
    addRoute(ns, { dst: '10.99.0.0/16', dev: 'cni0', scope: 'link' });
    agrees();
    expect(routeLookup(flow(c), ns, '10.99.0.1')).toMatchObject({ kind: 'unicast', route: { dev: 'cni0' } });
    removeRoute(ns, '10.99.0.0/16');
    agrees();
    // A link set down in place, and back up.
    const eth0 = getDevice(ns, 'eth0')!;
    eth0.up = false;
    agrees();
    expect(routeLookup(flow(c), ns, '8.8.8.8').kind).toBe('unreachable');
    eth0.up = true;
    agrees();
    // An address added to an existing device makes its destination local.
    addAddress(ns, getDevice(ns, 'cni0')!, '10.99.0.1', 32);
    agrees();
    expect(routeLookup(flow(c), ns, '10.99.0.1').kind).toBe('local');
  });

  it('keeps its answers within one flow (nothing a walk does changes routes)', () => {
    const ctx = flow(c);
    const first = routeLookup(ctx, ns, '8.8.8.8');
    expect(routeLookup(ctx, ns, '8.8.8.8')).toBe(first);
  });
});
