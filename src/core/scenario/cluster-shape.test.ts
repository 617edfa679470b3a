import { describe, expect, it } from 'vitest';
import { parseScenario } from './parse';

/** Diagnostics of a Cluster document whose `spec` is `spec` (indented two spaces). */
function cluster(spec: string): string[] {
  const text = `apiVersion: hopscope/v1alpha1\nkind: Cluster\nmetadata: {name: c}\nspec:\n${spec}`;
  return parseScenario(text).diagnostics.map((d) => `${d.pos.line}:${d.pos.col} ${d.severity} ${d.code}: ${d.message}`);
}

describe('kind: Cluster', () => {
  it('accepts a document with only kind and apiVersion (everything has a default)', () => {
    const { scenario, diagnostics } = parseScenario('apiVersion: hopscope/v1alpha1\nkind: Cluster\n');
    expect(diagnostics).toEqual([]);
    expect(scenario.cluster?.value).toEqual({ apiVersion: 'hopscope/v1alpha1', kind: 'Cluster' });
  });

  it('warns about unknown fields with a suggestion, at the key', () => {
    expect(cluster('  nodez: 3\n')).toEqual(['5:3 warning unknown-field: unknown field spec.nodez in Cluster; did you mean nodes?']);
    expect(cluster('  cni: {plugin: flannel, backnd: vxlan}\n')).toEqual([
      '5:26 warning unknown-field: unknown field spec.cni.backnd in Cluster; did you mean backend?',
    ]);
    expect(cluster('  frobnicate: true\n')).toEqual(['5:3 warning unknown-field: unknown field spec.frobnicate in Cluster']);
  });

  it('checks types of nodes: a count or a list', () => {
    expect(cluster('  nodes: two\n')).toEqual(['5:10 error wrong-type: spec.nodes must be a number or a list of nodes']);
    expect(cluster('  nodes: {a: 1}\n')).toEqual(['5:10 error wrong-type: spec.nodes must be a number or a list of nodes']);
    expect(cluster('  nodes: 2.5\n')).toEqual(['5:10 error wrong-type: spec.nodes must be a whole number']);
    expect(cluster('  nodes: 0\n')).toEqual(['5:10 error out-of-range: spec.nodes must be between 1 and 100 (got 0)']);
    expect(cluster('  nodes: [{ip: 192.168.0.5}]\n')).toEqual(['5:11 error missing-field: spec.nodes.0.name is required in Cluster']);
  });

  it('checks the node list: unique names and addresses inside the underlay', () => {
    const nodes = ['  nodes:', '    - {name: a, ip: 192.168.0.10}', '    - {name: a, ip: 192.168.0.10}', '    - {name: b, ip: 10.0.0.1}', ''].join('\n');
    expect(cluster(nodes)).toEqual([
      '7:14 error duplicate-name: spec.nodes.1.name: node a is listed twice (first as spec.nodes.0)',
      '7:21 error duplicate-ip: spec.nodes.1.ip 192.168.0.10 is already used by spec.nodes.0',
      '8:21 error invalid-ip: spec.nodes.2.ip 10.0.0.1 is outside the underlay 192.168.0.0/24',
    ]);
    expect(cluster('  nodes: [{name: a, ip: 192.168.0.300}]\n')[0]).toContain('invalid-ip: spec.nodes.0.ip must be an IPv4 address');
  });

  it('refuses invalid CIDRs and CIDRs with host bits', () => {
    expect(cluster('  podCIDR: 10.244.0.0\n')).toEqual(['5:12 error invalid-cidr: spec.podCIDR must be a CIDR such as 10.244.0.0/16 (got "10.244.0.0")']);
    // Each field's example is a value of its own kind.
    expect(cluster('  serviceCIDR: 10.96.0.0\n')).toEqual(['5:16 error invalid-cidr: spec.serviceCIDR must be a CIDR such as 10.96.0.0/12 (got "10.96.0.0")']);
    expect(cluster('  underlay: {cidr: 192.168.0.0}\n')).toEqual(['5:20 error invalid-cidr: spec.underlay.cidr must be a CIDR such as 192.168.0.0/24 (got "192.168.0.0")']);
    expect(cluster('  podCIDR: 10.244.0.0/33\n')[0]).toContain('invalid-cidr');
    expect(cluster('  serviceCIDR: 10.96.0.1/12\n')).toEqual(['5:16 error invalid-cidr: spec.serviceCIDR has host bits set; did you mean 10.96.0.0/12?']);
    expect(cluster('  underlay: {subnets: [nope], type: routed}\n')[0]).toContain('spec.underlay.subnets.0 must be a CIDR');
  });

  it('refuses overlapping pod, service and underlay networks, defaults included', () => {
    expect(cluster('  podCIDR: 10.96.0.0/16\n')).toEqual([
      '5:12 error cidr-overlap: spec.podCIDR 10.96.0.0/16 overlaps spec.serviceCIDR 10.96.0.0/12 (the default)',
    ]);
    expect(cluster('  podCIDR: 192.168.0.0/16\n')).toEqual([
      '5:12 error cidr-overlap: spec.podCIDR 192.168.0.0/16 overlaps spec.underlay.cidr 192.168.0.0/24 (the default)',
    ]);
    expect(cluster('  serviceCIDR: 10.0.0.0/8\n  underlay: {cidr: 10.1.0.0/24}\n')).toEqual([
      '6:20 error cidr-overlap: spec.underlay.cidr 10.1.0.0/24 overlaps spec.serviceCIDR 10.0.0.0/8',
      '5:16 error cidr-overlap: spec.serviceCIDR 10.0.0.0/8 overlaps spec.podCIDR 10.244.0.0/16 (the default)',
    ].sort((a, b) => Number(a.split(':')[0]) - Number(b.split(':')[0])));
    expect(cluster('  underlay: {type: routed, subnets: [10.0.1.0/24, 10.0.1.128/25]}\n')[0]).toContain(
      'spec.underlay.subnets.1 10.0.1.128/25 overlaps spec.underlay.subnets.0 10.0.1.0/24',
    );
    expect(cluster('  podCIDR: 172.16.0.0/16\n  serviceCIDR: 172.17.0.0/16\n  underlay: {cidr: 10.0.0.0/24}\n')).toEqual([]);
  });

  it('checks the per-node mask against the pod CIDR and the node count', () => {
    expect(cluster('  podCIDR: 10.244.0.0/16\n  nodeCIDRMaskSize: 12\n')).toEqual([
      "6:21 error invalid-value: spec.nodeCIDRMaskSize 12 is shorter than the pod CIDR's /16",
    ]);
    // The default mask is not in the text: the pod CIDR the user wrote is what to point at.
    expect(cluster('  podCIDR: 10.244.0.0/28\n')).toEqual([
      "5:12 error invalid-value: spec.nodeCIDRMaskSize 24 (the default) is shorter than the pod CIDR's /28",
    ]);
    expect(cluster('  podCIDR: 10.244.0.0/24\n  nodes: 3\n')).toEqual([
      '5:12 error invalid-value: pod CIDR 10.244.0.0/24 split into /24 blocks has room for 1 node, but the cluster has 3',
    ]);
    // Calico carves its own blocks, so the mask does not limit the node count.
    expect(cluster('  podCIDR: 10.244.0.0/24\n  nodes: 3\n  cni: {plugin: calico}\n')).toEqual([]);
  });

  it('checks enums: plugin, backend per plugin, kube-proxy mode, underlay type', () => {
    expect(cluster('  cni: {plugin: flanel}\n')).toEqual([
      '5:17 error invalid-value: spec.cni.plugin must be one of bridge, kubenet, flannel, calico (got "flanel"); did you mean flannel?',
    ]);
    expect(cluster('  cni: {plugin: flannel, backend: bgp}\n')).toEqual([
      '5:35 error invalid-value: spec.cni.backend "bgp" is not valid: plugin flannel offers vxlan, host-gw',
    ]);
    expect(cluster('  cni: {plugin: calico, backend: host-gw}\n')[0]).toContain('plugin calico offers bgp, ipip, vxlan');
    // A backend no plugin has: one error (the enum's, with its suggestion), not a second one per plugin.
    expect(cluster('  cni: {plugin: calico, backend: ipipp}\n')).toEqual([
      '5:34 error invalid-value: spec.cni.backend must be one of vxlan, host-gw, bgp, ipip (got "ipipp"); did you mean ipip?',
    ]);
    expect(cluster('  cni: {backend: vxlan}\n')).toEqual(['5:18 error invalid-value: spec.cni.backend "vxlan" is not valid: plugin bridge has no backends']);
    expect(cluster('  cni: {plugin: calico, backend: ipip, crossSubnet: true}\n')).toEqual([]);
    expect(cluster('  cni: {plugin: flannel, crossSubnet: true}\n')[0]).toContain('warning ignored-field: spec.cni.crossSubnet only applies to plugin calico');
    expect(cluster('  cni: {plugin: bridge, hairpinMode: false}\n')).toEqual([]);
    expect(cluster('  cni: {plugin: flannel, hairpinMode: false}\n')).toEqual([]);
    expect(cluster('  cni: {plugin: kubenet, hairpinMode: true}\n')[0]).toContain('warning ignored-field: spec.cni.hairpinMode only applies to plugins bridge and flannel');
    expect(cluster('  kubeProxy: {mode: ebpf}\n')[0]).toContain('spec.kubeProxy.mode must be one of iptables, ipvs, nftables, userspace (got "ebpf")');
    expect(cluster('  kubeProxy: {mode: ipvs, ipvsScheduler: fifo}\n')[0]).toContain('spec.kubeProxy.ipvsScheduler must be one of rr, wrr');
    expect(cluster('  underlay: {type: vpc}\n')[0]).toContain('spec.underlay.type must be one of l2, routed, cloud');
  });

  it('checks scalars: seed, dns, mtu, clusterDomain', () => {
    expect(cluster('  seed: -1\n')[0]).toContain('spec.seed must be between 0 and 4294967295');
    expect(cluster('  dns: "yes"\n')).toEqual(['5:8 error wrong-type: spec.dns must be true or false']);
    expect(cluster('  underlay: {mtu: 100}\n')[0]).toContain('spec.underlay.mtu must be between 576 and 9216');
    expect(cluster('  clusterDomain: Cluster_Local\n')[0]).toContain('invalid-name: spec.clusterDomain');
  });

  it('warns that subnets are ignored unless the underlay is routed', () => {
    expect(cluster('  underlay: {cidr: 192.168.0.0/24, subnets: [10.0.1.0/24]}\n')).toEqual([
      '5:45 warning ignored-field: spec.underlay.subnets is only used with type: routed',
    ]);
  });
});
