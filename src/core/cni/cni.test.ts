import { describe, expect, it } from 'vitest';
import { cluster } from '../testing/cluster';
import { getNetworkPlugin } from './registry';
import { stopPodSandbox } from '../controllers/runtime';
import type { CniContext, CniResult } from './types';
import { resolveCluster } from '../compile/resolved';
import { createHostLocal, hostLocalAllocate, hostLocalRelease } from './host-local';
import { parseCidr } from '../util/ip';
import { renderCniLog, CNI_VERSION_RESULT } from '../render/cni-log';

function ctxFor(c: ReturnType<ReturnType<typeof cluster>['build']>, plugin: string, backend?: string): CniContext {
  const resolved = resolveCluster({ apiVersion: 'hopscope/v1alpha1', kind: 'Cluster', spec: { cni: { plugin: plugin as 'flannel', ...(backend ? { backend: backend as 'vxlan' } : {}) } } }, () => {});
  return { model: c.model, cluster: resolved, report: () => {} };
}

describe.each([
  ['flannel', 'vxlan'],
  ['bridge', undefined],
  ['calico', 'bgp'],
] as const)('%s: DEL and CHECK', (plugin, backend) => {
  it('CHECK passes on a live attachment, DEL removes both veth ends and frees the IP, a second DEL is harmless', () => {
    const c = cluster().nodes(1).cni(plugin, backend ? { backend } : {}).pod('a').pod('b').build();
    const ctx = ctxFor(c, plugin, backend);
    const p = getNetworkPlugin(plugin);
    const pod = c.model.pods[0]!;
    const host = c.model.netns.get('node-1')!;
    const podNs = c.model.netns.get(pod.netns)!;
    const add = c.model.cniLog.find((x) => x.pod === 'default/a' && x.ifname === 'eth0')!;
    const args = { command: 'CHECK' as const, containerId: pod.containerId, netnsPath: add.netnsPath, ifname: 'eth0', k8sArgs: { namespace: 'default', name: 'a' }, podNetns: podNs, hostNetns: host, node: c.model.nodes[0]! };
    expect(p.check(ctx, args, add.result as CniResult)).toBeNull();
    const hostVeth = (podNs.devices.find((d) => d.name === 'eth0') as { peer: { name: string } }).peer.name;
    const before = host.devices.length;
    stopPodSandbox(ctx, p, pod);
    expect(host.devices.some((d) => d.name === hostVeth)).toBe(false);
    expect(host.devices.length).toBe(before - 1);
    expect(c.model.netns.has(pod.netns)).toBe(false);
    expect(() => p.del(ctx, { ...args, command: 'DEL' })).not.toThrow();
    expect(p.check(ctx, args, add.result as CniResult)).toMatchObject({ code: 3 });
    expect(c.model.cniLog.filter((x) => x.pod === 'default/a').map((x) => `${x.command} ${x.ifname}`)).toEqual(['ADD lo', 'ADD eth0', 'DEL eth0', 'DEL lo']);
  });
});

describe('host-local', () => {
  it('allocates round robin from .2, skips the gateway, does not reuse a freed address at once, and reports exhaustion', () => {
    const s = createHostLocal('cbr0', parseCidr('10.244.1.0/29')!);
    const got = ['c1', 'c2', 'c3'].map((id) => (hostLocalAllocate(s, id, 'eth0') as { ip: string }).ip);
    expect(got).toEqual(['10.244.1.2', '10.244.1.3', '10.244.1.4']);
    hostLocalRelease(s, 'c1', 'eth0');
    expect((hostLocalAllocate(s, 'c4', 'eth0') as { ip: string }).ip).toBe('10.244.1.5');
    hostLocalAllocate(s, 'c5', 'eth0');
    expect((hostLocalAllocate(s, 'c6', 'eth0') as { ip: string }).ip).toBe('10.244.1.2');
    expect(hostLocalAllocate(s, 'c7', 'eth0')).toMatchObject({ code: 999, msg: 'failed to allocate for range 0: no IP addresses available in range set: 10.244.1.1-10.244.1.6' });
  });
});

describe('host-local: a requested address (CNI_ARGS IP=…)', () => {
  // plugins/ipam/host-local: main.go hands a requested IP only to the range set that contains it
  // (Range.Contains: rangeStart .1 … rangeEnd .254), and fails with "failed to allocate all
  // requested IPs: …" when none does; allocator.Get refuses the gateway ("requested ip %s is
  // subnet's gateway"), wrapped "failed to allocate for range %d: %v"; plain errors → code 999.
  it('refuses the gateway, the network and broadcast addresses, and accepts a free host address', () => {
    const s = createHostLocal('cbr0', parseCidr('10.244.1.0/24')!);
    expect(hostLocalAllocate(s, 'c1', 'eth0', '10.244.1.1')).toEqual({ cniVersion: '1.0.0', code: 999, msg: "failed to allocate for range 0: requested ip 10.244.1.1 is subnet's gateway" });
    expect(hostLocalAllocate(s, 'c1', 'eth0', '10.244.1.0')).toEqual({ cniVersion: '1.0.0', code: 999, msg: 'failed to allocate all requested IPs: 10.244.1.0' });
    expect(hostLocalAllocate(s, 'c1', 'eth0', '10.244.1.255')).toEqual({ cniVersion: '1.0.0', code: 999, msg: 'failed to allocate all requested IPs: 10.244.1.255' });
    expect(hostLocalAllocate(s, 'c1', 'eth0', '10.244.2.7')).toEqual({ cniVersion: '1.0.0', code: 999, msg: 'failed to allocate all requested IPs: 10.244.2.7' });
    expect(s.allocated.size).toBe(0);
    expect(hostLocalAllocate(s, 'c1', 'eth0', '10.244.1.254')).toMatchObject({ ip: '10.244.1.254' });
    expect(hostLocalAllocate(s, 'c2', 'eth0', '10.244.1.254')).toMatchObject({ code: 999, msg: 'failed to allocate for range 0: requested IP address 10.244.1.254 is not available in range set 10.244.1.1-10.244.1.254' });
  });
});

describe('the CNI log', () => {
  it('shows the runtime environment, config and result of each call, and VERSION lists the spec versions', () => {
    const c = cluster().cni('flannel').pod('a').build();
    const log = renderCniLog(c.model, 'default/a');
    expect(log).toMatch(/^# ADD lo\nCNI_COMMAND=ADD\nCNI_CONTAINERID=[0-9a-f]{64}\nCNI_NETNS=\/var\/run\/netns\/cni-/);
    expect(log).toContain('CNI_ARGS=IgnoreUnknown=1;K8S_POD_NAMESPACE=default;K8S_POD_NAME=a;');
    expect(log).toContain('# ADD eth0');
    expect(log).toContain('"type": "flannel"');
    expect(CNI_VERSION_RESULT.supportedVersions).toContain('1.1.0');
  });
});

describe('the CNI log: a result in the version the configuration declares', () => {
  // kubenet's template says "cniVersion": "0.1.0"; libcni prints a 0.1.0/0.2.0 result in the
  // types020 form (containernetworking/cni pkg/types/020/types.go, 040 convertTo02x): one `ip4`
  // object with `ip`, `gateway` and the IPv4 routes; no `interfaces` or `ips` list.
  it('kubenet: the eth0 result is {cniVersion 0.1.0, ip4: {ip, gateway, routes}, dns}', () => {
    const c = cluster().cni('kubenet').pod('a').build();
    const log = renderCniLog(c.model, 'default/a');
    const eth0 = log.slice(log.indexOf('# ADD eth0'));
    const result = JSON.parse(eth0.slice(eth0.indexOf('## stdout (result)\n') + '## stdout (result)\n'.length)) as Record<string, unknown>;
    const ip = c.model.pods[0]!.ip;
    expect(result).toEqual({ cniVersion: '0.1.0', ip4: { ip: `${ip}/24`, gateway: ip.replace(/\.\d+$/, '.1'), routes: [{ dst: '0.0.0.0/0' }] }, dns: {} });
  });

  it('flannel (0.3.1) keeps the interfaces/ips form with ips[].version', () => {
    const c = cluster().cni('flannel').pod('a').build();
    const log = renderCniLog(c.model, 'default/a');
    const eth0 = log.slice(log.indexOf('# ADD eth0'));
    const result = JSON.parse(eth0.slice(eth0.indexOf('## stdout (result)\n') + '## stdout (result)\n'.length)) as { ips: { version: string }[]; interfaces: unknown[] };
    expect(result.ips[0]!.version).toBe('4');
    expect(result.interfaces).toHaveLength(3);
  });
});

describe('the CNI log: Calico\'s result', () => {
  // projectcalico/calico cni-plugin/pkg/k8s/k8s.go CmdAddK8s: calico-ipam's result (a /32, no
  // gateway, no interface index) plus ONE interface, the host veth's name with the workload's
  // MAC, MTU and sandbox; printed as the conflist's 0.3.1 (ips[].version, no interface mtu).
  it('is {interfaces: [{name: caliX, mac: <pod eth0 MAC>, sandbox}], ips: [{version, address /32}]}', () => {
    const c = cluster().cni('calico', { backend: 'ipip' }).pod('a').build();
    const log = renderCniLog(c.model, 'default/a');
    const eth0Log = log.slice(log.indexOf('# ADD eth0'));
    const result = JSON.parse(eth0Log.slice(eth0Log.indexOf('## stdout (result)\n') + '## stdout (result)\n'.length)) as Record<string, unknown>;
    const pod = c.model.pods[0]!;
    const podNs = c.model.netns.get(pod.netns)!;
    const eth0 = podNs.devices.find((d) => d.name === 'eth0')!;
    const host = eth0.kind === 'veth' ? eth0.peer.name : '';
    expect(result).toEqual({
      cniVersion: '0.3.1',
      interfaces: [{ name: host, mac: eth0.mac, sandbox: `/var/run/netns/${podNs.name}` }],
      ips: [{ version: '4', address: `${pod.ip}/32` }],
      dns: {},
    });
  });
});
