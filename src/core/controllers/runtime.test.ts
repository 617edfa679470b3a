import { describe, expect, it } from 'vitest';
import { cluster } from '../testing/cluster';
import { getNetworkPlugin } from '../cni/registry';
import { resolveCluster } from '../compile/resolved';
import type { CniContext } from '../cni/types';
import { runPodSandbox } from './runtime';

describe('the runtime keeps the loaded network configuration per node', () => {
  it('shares one frozen conf between pods of a node, and loads a new one when the node’s podCIDR changes', () => {
    const c = cluster().nodes(1).cni('bridge').pod('a').pod('b').build();
    const log = (pod: string) => c.model.cniLog.find((x) => x.pod === pod && x.ifname === 'eth0')!.config as { plugins: { ipam?: { ranges: { subnet: string }[][] } }[] };
    expect(log('default/a')).toBe(log('default/b'));
    expect(Object.isFrozen(log('default/a').plugins[0]!.ipam!.ranges[0]![0])).toBe(true);

    const resolved = resolveCluster({ apiVersion: 'hopscope/v1alpha1', kind: 'Cluster', spec: { cni: { plugin: 'bridge' } } }, () => {});
    const ctx: CniContext = { model: c.model, cluster: resolved, report: () => {} };
    const node = c.model.nodes[0]!;
    node.podCIDR = '10.244.9.0/24';
    const r = runPodSandbox(ctx, getNetworkPlugin('bridge'), node, { namespace: 'default', name: 'c' });
    expect('ip' in r).toBe(true);
    expect(log('default/c').plugins[0]!.ipam!.ranges[0]![0]!.subnet).toBe('10.244.9.0/24');
    expect(log('default/a').plugins[0]!.ipam!.ranges[0]![0]!.subnet).toBe('10.244.0.0/24');
  });
});
