// `ip -d link` / `ip -d addr` in the terminal, held to iproute2 6.1.0 on Linux 6.18.44: the
// loopback, veth, bridge, bridge-port and vxlan texts below are what that kernel printed for the
// same devices (test/kernel/ip-link-details.test.ts compares the two directly); tunl0 and
// kube-ipvs0 follow iproute2's print_opt and published output (no ipip/dummy driver on that
// kernel). Names, MACs and addresses are read from the model, never typed.
import { describe, expect, it } from 'vitest';
import { loadScenario } from '../compile/load';
import type { ClusterModel, Device, Netns } from '../model/types';
import { createShell } from '../shell/index';

function cluster(spec: string): ClusterModel {
  const r = loadScenario(`apiVersion: hopscope/v1alpha1
kind: Cluster
metadata: {name: t}
spec: {nodes: 2, ${spec}}
---
apiVersion: v1
kind: Pod
metadata: {name: client}
spec: {nodeName: node-1, containers: [{name: shell, image: alpine}]}
`);
  expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  return r.model!;
}

const nodeNs = (m: ClusterModel, name = 'node-1'): Netns => [...m.netns.values()].find((n) => n.kind === 'node' && n.node === name)!;
const dev = (ns: Netns, name: string): Device => ns.devices.find((d) => d.name === name)!;
const node = (m: ClusterModel) => createShell(m, { kind: 'node', name: 'node-1' });
const pod = (m: ClusterModel) => createShell(m, { kind: 'pod', namespace: 'default', name: 'client' });

/** The queue and offload tail every kind prints (its queue count and tso_max_size vary). */
const tail = (queues: number, tso: number) => `numtxqueues ${queues} numrxqueues ${queues} gso_max_size 65536 gso_max_segs 65535 tso_max_size ${tso} tso_max_segs 65535 gro_max_size 65536 `;
/** iproute2's bridge id: the MAC through ether_ntoa_r, without leading zeros. */
const brId = (mac: string) => `8000.${mac.split(':').map((b) => parseInt(b, 16).toString(16)).join(':')}`;

describe('ip -d link: each kind as iproute2 6.1 prints it', () => {
  it("flannel's VTEP: the common details, then the vxlan line with flannel's attributes and the kernel's defaults", () => {
    const m = cluster('cni: {plugin: flannel, backend: vxlan}');
    const ns = nodeNs(m);
    const vx = dev(ns, 'flannel.1');
    const eth0 = dev(ns, 'eth0');
    expect(node(m).run('ip -d link show flannel.1').stdout).toBe(
      `${vx.ifindex}: flannel.1: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1450 qdisc noqueue state UNKNOWN mode DEFAULT group default qlen 1000\n` +
        `    link/ether ${vx.mac} brd ff:ff:ff:ff:ff:ff promiscuity 0  allmulti 0 minmtu 68 maxmtu 65535 \n` +
        `    vxlan id 1 local ${eth0.addresses[0]!.ip} dev eth0 srcport 0 0 dstport 8472 nolearning ttl auto ageing 300 udpcsum noudp6zerocsumtx noudp6zerocsumrx addrgenmode eui64 ${tail(1, 524280)}\n`,
    );
    // Without -d the same device is the two plain lines.
    expect(node(m).run('ip link show flannel.1').stdout).toBe(
      `${vx.ifindex}: flannel.1: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1450 qdisc noqueue state UNKNOWN mode DEFAULT group default qlen 1000\n    link/ether ${vx.mac} brd ff:ff:ff:ff:ff:ff\n`,
    );
  });

  it("Calico's vxlan.calico: VNI 4096 on port 4789", () => {
    const m = cluster('cni: {plugin: calico, backend: vxlan}');
    const out = node(m).run('ip -details link show vxlan.calico').stdout;
    expect(out.split('\n')[2]).toBe(`    vxlan id 4096 local ${dev(nodeNs(m), 'eth0').addresses[0]!.ip} dev eth0 srcport 0 0 dstport 4789 nolearning ttl auto ageing 300 udpcsum noudp6zerocsumtx noudp6zerocsumrx addrgenmode eui64 ${tail(1, 524280)}`);
  });

  it("a pod's eth0 is a veth whose peer lives in the node's unnamed namespace: link-netnsid 0", () => {
    const m = cluster('cni: {plugin: flannel, backend: vxlan}');
    const p = m.netns.get(m.pods.find((x) => x.name === 'client')!.netns)!;
    const eth0 = dev(p, 'eth0') as Extract<Device, { kind: 'veth' }>;
    expect(pod(m).run('ip -d link show eth0').stdout).toBe(
      `${eth0.ifindex}: eth0@if${eth0.peer.ifindex}: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1450 qdisc noqueue state UP mode DEFAULT group default qlen 1000\n` +
        `    link/ether ${eth0.mac} brd ff:ff:ff:ff:ff:ff link-netnsid 0 promiscuity 0  allmulti 0 minmtu 68 maxmtu 65535 \n` +
        `    veth addrgenmode eui64 ${tail(2, 524280)}\n`,
    );
  });

  it('the bridge and its ports: STP off, the bridge id from its MAC, ports numbered in joining order, hairpin and promiscuity as the plugin set them', () => {
    // kubenet: hairpin off on the ports, cbr0 promiscuous instead (--hairpin-mode=promiscuous-bridge).
    for (const [cni, br, hairpin, promisc] of [
      ['cni: {plugin: flannel, backend: vxlan}', 'cni0', 'on', 0],
      ['cni: {plugin: kubenet}', 'cbr0', 'off', 1],
    ] as const) {
      const m = cluster(cni);
      const ns = nodeNs(m);
      const bridge = dev(ns, br);
      const id = brId(bridge.mac);
      const lines = node(m).run(`ip -d link show ${br}`).stdout.split('\n');
      expect(lines[0]).toContain(promisc ? ' <BROADCAST,MULTICAST,PROMISC,UP,LOWER_UP> ' : ' <BROADCAST,MULTICAST,UP,LOWER_UP> ');
      expect(lines[1]).toBe(`    link/ether ${bridge.mac} brd ff:ff:ff:ff:ff:ff promiscuity ${promisc}  allmulti 0 minmtu 68 maxmtu 65535 `);
      expect(lines[2]).toBe(
        `    bridge forward_delay 1500 hello_time 200 max_age 2000 ageing_time 30000 stp_state 0 priority 32768 vlan_filtering 0 bridge_id ${id} designated_root ${id} root_port 0 root_path_cost 0 topology_change 0 topology_change_detected 0 hello_timer    0.00 tcn_timer    0.00 topology_change_timer    0.00 gc_timer  300.00 group_fwd_mask 0 group_address 01:80:c2:00:00:00 mcast_snooping 1 no_linklocal_learn 0 mcast_vlan_snooping 0 mcast_router 1 mcast_query_use_ifaddr 0 mcast_querier 0 mcast_hash_elasticity 16 mcast_hash_max 4096 mcast_last_member_count 2 mcast_startup_query_count 2 mcast_last_member_interval 100 mcast_membership_interval 26000 mcast_querier_interval 25500 mcast_query_interval 12500 mcast_query_response_interval 1000 mcast_startup_query_interval 3124 mcast_stats_enabled 0 mcast_igmp_version 2 mcast_mld_version 1 nf_call_iptables 0 nf_call_ip6tables 0 nf_call_arptables 0 addrgenmode eui64 ${tail(1, 524280)}`,
      );
      const ports = ns.devices.filter((d) => d.master === br);
      expect(ports.length).toBeGreaterThan(1);
      ports.forEach((port, i) => {
        const out = node(m).run(`ip -d link show ${port.name}`).stdout.split('\n');
        expect(out[1]).toMatch(/ promiscuity 1 {2}allmulti 1 minmtu 68 maxmtu 65535 $/);
        expect(out[2]).toBe('    veth ');
        expect(out[3]).toBe(
          `    bridge_slave state forwarding priority 32 cost 2 hairpin ${hairpin} guard off root_block off fastleave off learning on flood on port_id 0x${(0x8001 + i).toString(16)} port_no 0x${(i + 1).toString(16)} designated_port ${32769 + i} designated_cost 0 designated_bridge ${id} designated_root ${id} hold_timer    0.00 message_age_timer    0.00 forward_delay_timer    0.00 topology_change_ack 0 config_pending 0 proxy_arp off proxy_arp_wifi off mcast_router 1 mcast_fast_leave off mcast_flood on bcast_flood on mcast_to_unicast off neigh_suppress off group_fwd_mask 0 group_fwd_mask_str 0x0 vlan_tunnel off isolated off locked off addrgenmode eui64 ${tail(2, 524280)}`,
        );
      });
    }
  });

  it("the bridge's gc_timer counts down with the shell's clock (one simulated second per flow)", () => {
    const m = cluster('cni: {plugin: flannel, backend: vxlan}');
    const sh = node(m);
    expect(sh.run('ip -d link show cni0').stdout).toContain(' gc_timer  300.00 ');
    sh.run('ping -c 1 10.96.0.1');
    expect(sh.run('ip -d link show cni0').stdout).toContain(' gc_timer  299.00 ');
  });

  it("Calico's tunl0 is the ipip module's fallback device; kube-ipvs0 a dummy", () => {
    const ipip = cluster('cni: {plugin: calico, backend: ipip}');
    const t = dev(nodeNs(ipip), 'tunl0');
    expect(node(ipip).run('ip -d link show tunl0').stdout).toBe(
      `${t.ifindex}: tunl0@NONE: <NOARP,UP,LOWER_UP> mtu ${t.mtu} qdisc noqueue state UNKNOWN mode DEFAULT group default qlen 1000\n` +
        `    link/ipip 0.0.0.0 brd 0.0.0.0 promiscuity 0  allmulti 0 minmtu 0 maxmtu 0 \n` +
        `    ipip any remote any local any ttl inherit nopmtudisc addrgenmode eui64 ${tail(1, 65536)}\n`,
    );
    const ipvs = cluster('cni: {plugin: flannel}, kubeProxy: {mode: ipvs}');
    const k = dev(nodeNs(ipvs), 'kube-ipvs0');
    expect(node(ipvs).run('ip -d link show kube-ipvs0').stdout).toBe(
      `${k.ifindex}: kube-ipvs0: <BROADCAST,NOARP> mtu 1500 qdisc noop state DOWN mode DEFAULT group default qlen 1000\n` +
        `    link/ether ${k.mac} brd ff:ff:ff:ff:ff:ff promiscuity 0  allmulti 0 minmtu 0 maxmtu 0 \n` +
        `    dummy addrgenmode eui64 ${tail(1, 65536)}\n`,
    );
  });

  it("lo and the node's NIC carry no kind: their details continue the link/ line", () => {
    const m = cluster('cni: {plugin: flannel, backend: vxlan}');
    const eth0 = dev(nodeNs(m), 'eth0');
    const out = node(m).run('ip -d link').stdout.split('\n');
    expect(out[1]).toBe(`    link/loopback 00:00:00:00:00:00 brd 00:00:00:00:00:00 promiscuity 0  allmulti 0 minmtu 0 maxmtu 0 addrgenmode eui64 ${tail(1, 524280)}`);
    expect(out[3]).toBe(`    link/ether ${eth0.mac} brd ff:ff:ff:ff:ff:ff promiscuity 0  allmulti 0 minmtu 68 maxmtu 65535 addrgenmode eui64 ${tail(1, 65536)}parentbus virtio parentdev virtio2 `);
  });
});

describe('ip -d addr', () => {
  it('prints the same details without addrgenmode (print_af_spec is for `ip link` only), then the addresses', () => {
    const m = cluster('cni: {plugin: flannel, backend: vxlan}');
    const ns = nodeNs(m);
    const vx = dev(ns, 'flannel.1');
    const a = vx.addresses[0]!;
    expect(node(m).run('ip -4 -d addr show dev flannel.1').stdout).toBe(
      `${vx.ifindex}: flannel.1: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1450 qdisc noqueue state UNKNOWN group default qlen 1000\n` +
        `    link/ether ${vx.mac} brd ff:ff:ff:ff:ff:ff promiscuity 0  allmulti 0 minmtu 68 maxmtu 65535 \n` +
        `    vxlan id 1 local ${dev(ns, 'eth0').addresses[0]!.ip} dev eth0 srcport 0 0 dstport 8472 nolearning ttl auto ageing 300 udpcsum noudp6zerocsumtx noudp6zerocsumrx ${tail(1, 524280)}\n` +
        `    inet ${a.ip}/${a.prefix} scope global flannel.1\n       valid_lft forever preferred_lft forever\n`,
    );
  });
});

describe('ip -br', () => {
  it('prints one line a device (`%-16s %-14s `), the link address and flags or the addresses, and ignores -d', () => {
    const m = cluster('cni: {plugin: flannel, backend: vxlan}');
    const p = m.netns.get(m.pods.find((x) => x.name === 'client')!.netns)!;
    const eth0 = dev(p, 'eth0') as Extract<Device, { kind: 'veth' }>;
    const name = `eth0@if${eth0.peer.ifindex}`;
    expect(pod(m).run('ip -br link').stdout).toBe(
      `lo               UNKNOWN        00:00:00:00:00:00 <LOOPBACK,UP,LOWER_UP> \n${name.padEnd(16)} UP             ${eth0.mac} <BROADCAST,MULTICAST,UP,LOWER_UP> \n`,
    );
    expect(pod(m).run('ip -br -d addr show dev eth0').stdout).toBe(`${name.padEnd(16)} UP             ${eth0.addresses[0]!.ip}/${eth0.addresses[0]!.prefix} \n`);
    expect(pod(m).run('ip -brief addr show lo').stdout).toBe('lo               UNKNOWN        127.0.0.1/8 \n');
  });

  it("shows tunl0's 4-byte address as iproute2 does and a down device's state", () => {
    const m = cluster('cni: {plugin: calico, backend: ipip}, kubeProxy: {mode: ipvs}');
    const k = dev(nodeNs(m), 'kube-ipvs0');
    expect(node(m).run('ip -br link show tunl0').stdout).toBe('tunl0@NONE       UNKNOWN        0.0.0.0 <NOARP,UP,LOWER_UP> \n');
    expect(node(m).run('ip -br link show kube-ipvs0').stdout).toBe(`kube-ipvs0       DOWN           ${k.mac} <BROADCAST,NOARP> \n`);
  });
});
