// tcpdump on a tunnel device sees what the tunnel transmits and receives: the inner frame
// (flannel.1, vxlan.calico) or the inner packet (tunl0), never the outer UDP/IP headers, which
// belong to the underlay device (eth0) the encapsulated packet leaves by. The kernel's taps
// (dev_queue_xmit_nit) run before the device's xmit encapsulates.
import { describe, expect, it } from 'vitest';
import { loadScenario } from '../compile/load';
import type { ClusterModel } from '../model/types';
import { createShell } from './index';

function cluster(cni: string): ClusterModel {
  return loadScenario(`apiVersion: hopscope/v1alpha1
kind: Cluster
spec: {nodes: 2, dns: false, cni: ${cni}}
---
apiVersion: v1
kind: Pod
metadata: {name: b}
spec: {nodeName: node-2, containers: [{name: c, image: nginx}]}
`).model!;
}

const capture = (m: ClusterModel, line: string) => createShell(m, { kind: 'node', name: 'node-1' }).run(line).stdout.split('\n').filter((l) => /^\d\d:/.test(l));

describe('tcpdump on a tunnel device', () => {
  it('flannel.1 (-e): the inner Ethernet frames both ways, no VXLAN/UDP 8472', () => {
    const m = cluster('{plugin: flannel, backend: vxlan}');
    const b = m.pods[0]!.ip;
    const vtep = m.netns.get(m.nodes[0]!.netns)!.devices.find((d) => d.name === 'flannel.1')!;
    const lines = capture(m, `tcpdump -nn -e -i flannel.1; ping -c 1 ${b}`);
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(new RegExp(`^\\S+ ${vtep.mac} > [0-9a-f:]{17}, ethertype IPv4 \\(0x0800\\), length 98: IP ${vtep.addresses[0]!.ip} > ${b}: ICMP echo request, id \\d+, seq 1, length 64$`));
    expect(lines[1]).toMatch(new RegExp(`^\\S+ [0-9a-f:]{17} > ${vtep.mac}, ethertype IPv4 \\(0x0800\\), length 98: IP ${b} > ${vtep.addresses[0]!.ip}: ICMP echo reply`));
    // eth0 still shows the encapsulation.
    expect(capture(m, `tcpdump -nn -i eth0; ping -c 1 ${b}`).filter((l) => / > \S+\.8472: OTV/.test(l))).toHaveLength(2);
  });

  it('tunl0: the inner IP packets, not IPIP', () => {
    const m = cluster('{plugin: calico, backend: ipip}');
    const b = m.pods[0]!.ip;
    const lines = capture(m, `tcpdump -nn -i tunl0; ping -c 1 ${b}`);
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(new RegExp(`^\\S+ IP [\\d.]+ > ${b}: ICMP echo request, id \\d+, seq 1, length 64$`));
    expect(lines[1]).toMatch(new RegExp(`^\\S+ IP ${b} > [\\d.]+: ICMP echo reply`));
    // An IPIP device has no link-layer header: libpcap names its link type RAW.
    expect(createShell(m, { kind: 'node', name: 'node-1' }).run('tcpdump -i tunl0').stderr).toContain('listening on tunl0, link-type RAW (Raw IP), snapshot length 262144 bytes');
    expect(createShell(m, { kind: 'node', name: 'node-1' }).run('tcpdump -i eth0').stderr).toContain('listening on eth0, link-type EN10MB (Ethernet), snapshot length 262144 bytes');
  });
});
