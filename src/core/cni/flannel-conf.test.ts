// flannel reuses what it makes once per node or per peer (flannel.ts: delegateConf, peerEntries;
// bridge.ts: the bridge results). The delegate configuration, made once per node and reused:
// whatever sequence of MTUs and node leases a node goes through, each pod's CNI ADD configures
// the pod as a configuration made afresh for the current ones would.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { cluster } from '../testing/cluster';
import { resolveCluster } from '../compile/resolved';
import { runPodSandbox } from '../controllers/runtime';
import { getNetworkPlugin } from './registry';
import type { CniContext, CniResult } from './types';
import type { ModelNode } from '../model/types';
import { leaseAddress } from './flannel';
import { createHostLocal } from './host-local';
import { parseCidr } from '../util/ip';

describe('flannel delegate configuration', () => {
  it('follows the MTU and the node lease it is made of', () => {
    const leases = ['10.244.0.0/24', '10.244.7.0/24', '10.244.9.0/25'];
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.constantFrom(1400, 1450, 9000), fc.nat(leases.length - 1)), { minLength: 1, maxLength: 8 }), (steps) => {
        const c = cluster().nodes(1).cni('flannel', { backend: 'vxlan' }).build();
        const resolved = resolveCluster({ apiVersion: 'hopscope/v1alpha1', kind: 'Cluster', spec: { cni: { plugin: 'flannel', backend: 'vxlan' } } }, () => {});
        const ctx: CniContext = { model: c.model, cluster: resolved, report: () => {} };
        const node = c.model.nodes[0]!;
        const plugin = getNetworkPlugin('flannel');
        steps.forEach(([mtu, lease], i) => {
          resolved.cni.mtu = mtu;
          node.podCIDR = leases[lease]!;
          // host-local keeps its range from the first ADD; forgetting it makes the next ADD read the conf's subnet.
          c.model.pluginState.delete(`host-local:${node.name}:cbr0`);
          const sb = runPodSandbox(ctx, plugin, node, { namespace: 'default', name: `p${i}` });
          expect('error' in sb).toBe(false);
          if ('error' in sb) return;
          const eth0 = sb.netns.devices.find((d) => d.name === 'eth0')!;
          expect(eth0.mtu).toBe(mtu);
          const result = c.model.cniLog.at(-1)!.result as CniResult;
          expect(result.routes).toEqual([{ dst: resolved.podCIDR.text }, { dst: '0.0.0.0/0', gw: result.ips[0]!.gateway }]);
          // host-local hands out addresses of the lease the conf names.
          expect(result.ips[0]!.gateway).toBe(`${leases[lease]!.split('/')[0]!.replace(/\.0$/, '.1')}`);
        });
      }),
      { numRuns: 60 },
    );
  });
});

describe('lease address', () => {
  it('is the lease text up to its slash, for any lease, thousands of leases over (the kept strings are cleared and made again)', () => {
    const lease = fc.tuple(fc.nat(255), fc.nat(255), fc.nat(255), fc.option(fc.integer({ min: 0, max: 32 }), { nil: undefined })).map(([a, b, c, p]) => `10.${a}.${b}.${c}${p === undefined ? '' : `/${p}`}`);
    fc.assert(
      fc.property(fc.array(lease, { minLength: 1, maxLength: 200 }), (leases) => {
        for (const l of leases) expect(leaseAddress(l)).toBe(l.includes('/') ? l.slice(0, l.indexOf('/')) : l);
      }),
      { numRuns: 60 },
    );
  });
});

describe('bridge results shared between the pods of a node', () => {
  it('name the bridge and the gateway as they are at each ADD', () => {
    const c = cluster().nodes(1).cni('flannel', { backend: 'vxlan' }).pod('a').build();
    const resolved = resolveCluster({ apiVersion: 'hopscope/v1alpha1', kind: 'Cluster', spec: { cni: { plugin: 'flannel', backend: 'vxlan' } } }, () => {});
    const ctx: CniContext = { model: c.model, cluster: resolved, report: () => {} };
    const node = c.model.nodes[0]!;
    const plugin = getNetworkPlugin('flannel');
    const add = (name: string) => {
      expect('error' in runPodSandbox(ctx, plugin, node, { namespace: 'default', name })).toBe(false);
      return c.model.cniLog.at(-1)!.result as CniResult;
    };
    const first = add('b');
    expect(first.interfaces![0]).toEqual({ name: 'cni0', mac: c.model.netns.get(node.netns)!.devices.find((d) => d.name === 'cni0')!.mac });
    // The bridge's MAC changed in place: the next result shows the new one, the earlier keeps its own.
    const br = c.model.netns.get(node.netns)!.devices.find((d) => d.name === 'cni0')!;
    const oldMac = br.mac;
    br.mac = '02:42:ac:11:00:02';
    expect(add('c').interfaces![0]).toEqual({ name: 'cni0', mac: '02:42:ac:11:00:02' });
    expect(first.interfaces![0]!.mac).toBe(oldMac);
    // host-local now hands out another range under the same configuration: the default route follows its gateway.
    c.model.pluginState.set(`host-local:${node.name}:cbr0`, createHostLocal('cbr0', parseCidr('10.244.9.0/24')!));
    const moved = add('d');
    expect(moved.ips[0]!.gateway).toBe('10.244.9.1');
    expect(moved.routes).toEqual([{ dst: resolved.podCIDR.text }, { dst: '0.0.0.0/0', gw: '10.244.9.1' }]);
    expect(first.routes).toEqual([{ dst: resolved.podCIDR.text }, { dst: '0.0.0.0/0', gw: first.ips[0]!.gateway }]);
  });
});

describe('peer entries shared between the nodes that learn a peer', () => {
  it('follow a peer whose lease, address or VTEP MAC changed', () => {
    const c = cluster().nodes(3).cni('flannel', { backend: 'vxlan' }).build();
    const resolved = resolveCluster({ apiVersion: 'hopscope/v1alpha1', kind: 'Cluster', spec: { cni: { plugin: 'flannel', backend: 'vxlan' } } }, () => {});
    const ctx: CniContext = { model: c.model, cluster: resolved, report: () => {} };
    const plugin = getNetworkPlugin('flannel');
    const [n1, n2, n3] = c.model.nodes as [ModelNode, ModelNode, ModelNode];
    const ns1 = c.model.netns.get(n1.netns)!;
    const vtep2 = c.model.netns.get(n2.netns)!.devices.find((d) => d.name === 'flannel.1')!;
    const learnsPeer2 = () => {
      plugin.learnPeers(ctx, n1, ns1, [n2, n3]);
      const gw = leaseAddress(n2.podCIDR!);
      expect(ns1.routes.find((r) => r.dst.text === n2.podCIDR)).toMatchObject({ via: gw, dev: 'flannel.1', onlink: true });
      expect(ns1.neighbours.find((n) => n.ip === gw && n.dev === 'flannel.1')).toMatchObject({ mac: vtep2.mac, state: 'PERMANENT' });
      expect(ns1.fdb.find((f) => f.dev === 'flannel.1' && f.mac === vtep2.mac)).toMatchObject({ dst: n2.ip, self: true });
    };
    learnsPeer2();
    n2.podCIDR = '10.244.50.0/24';
    learnsPeer2();
    n2.ip = '192.168.0.99';
    learnsPeer2();
    vtep2.mac = '0a:00:00:00:00:99';
    learnsPeer2();
  });
});
