/**
 * What `ip -d link` / `ip -d addr` add to a device's block: the common details after
 * `link/…` (promiscuity, allmulti, min/max MTU), the kind's own line (`vxlan id 1 …`,
 * `bridge forward_delay …`, `veth`, `ipip …`, `dummy`) and, for a bridge port, its
 * `bridge_slave …` line, then the queue and offload limits.
 *
 * Matched line for line against iproute2 6.1.0 (`ip -V`: iproute2-6.1.0) on Linux
 * 6.18.44 (`uname -r`) for lo, veth, bridge, bridge ports and vxlan, built from the model by
 * exportNetnsScript (test/kernel/ip-link-details.test.ts); the NIC after that machine's eth0.
 * Read first: iproute2 ip/ipaddress.c print_linkinfo + print_linktype, ip/iplink_vxlan.c,
 * iplink_bridge.c, iplink_bridge_slave.c, link_iptnl.c (each kind's print_opt).
 *
 * Layout, as print_linktype makes it: a kind starts a new line ("\n    vxlan "), its
 * print_opt continues it, a bridge port's slave kind starts another, and the queue figures
 * follow on whichever line is last. Every field iproute2 prints ends with a space, so every
 * detail line does too.
 */
import type { ClusterModel, Device, Netns } from '../model/types';

/** What only the kernel's device type decides: MTU range, queues, offload ceilings. */
interface KindLimits {
  minmtu: number;
  maxmtu: number;
  /** Also per machine: veth creates one TX/RX queue per possible CPU (2 on the machine matched). */
  queues: number;
  /** 524280 (GSO_MAX_SIZE) where the driver raises it (Linux ≥ 6.3); 65536 is the default. */
  tsoMaxSize: number;
}

const LIMITS: Record<Device['kind'], KindLimits> = {
  loopback: { minmtu: 0, maxmtu: 0, queues: 1, tsoMaxSize: 524280 },
  veth: { minmtu: 68, maxmtu: 65535, queues: 2, tsoMaxSize: 524280 },
  bridge: { minmtu: 68, maxmtu: 65535, queues: 1, tsoMaxSize: 524280 },
  vxlan: { minmtu: 68, maxmtu: 65535, queues: 1, tsoMaxSize: 524280 },
  // dummy_setup and the ipip fallback device set min/max MTU 0 and never raise tso_max_size.
  // Not checked on the kernel: the matched machine has neither CONFIG_DUMMY nor CONFIG_NET_IPIP.
  dummy: { minmtu: 0, maxmtu: 0, queues: 1, tsoMaxSize: 65536 },
  ipip: { minmtu: 0, maxmtu: 0, queues: 1, tsoMaxSize: 65536 },
  // The node's NIC is a virtio-net device, as on the matched machine (its eth0): its values.
  nic: { minmtu: 68, maxmtu: 65535, queues: 1, tsoMaxSize: 65536 },
};

/** The matched machine's NIC sits on the virtio bus; `parentdev` is that machine's own name for it. */
const NIC_PARENT = 'parentbus virtio parentdev virtio2 ';

/**
 * A bridge's STP identity: priority 0x8000 (STP is off, the default stays) and its MAC, which
 * iproute2 formats with glibc's ether_ntoa_r: no leading zeros (`8000.26:e9:fc:b6:c5:8`).
 */
function bridgeId(mac: string): string {
  return `8000.${mac
    .split(':')
    .map((b) => parseInt(b, 16).toString(16))
    .join(':')}`;
}

/** iproute2's `%4i.%.2i` for a timer in seconds. */
function timer(name: string, seconds: number): string {
  const cs = Math.round(seconds * 100);
  return `${name} ${String(Math.floor(cs / 100)).padStart(4)}.${String(cs % 100).padStart(2, '0')} `;
}

/**
 * Seconds until the bridge's next FDB garbage collection. br_fdb_cleanup reruns every ageing
 * time when no learned entry expires sooner; the model takes the shell's start as one such run.
 */
function gcTimer(ageing: number, now: number): number {
  if (!(ageing > 0) || !(now >= 0)) return 0; // ageing 0 never collects: the timer stays off
  return ageing - (now % ageing);
}

function bridgeOpts(d: Extract<Device, { kind: 'bridge' }>, now: number): string {
  const id = bridgeId(d.mac);
  return (
    // STP off (the default the CNI plugins keep): its timers stand still at 0.
    `forward_delay 1500 hello_time 200 max_age 2000 ageing_time ${d.ageing * 100} stp_state 0 priority 32768 vlan_filtering 0 ` +
    `bridge_id ${id} designated_root ${id} root_port 0 root_path_cost 0 topology_change 0 topology_change_detected 0 ` +
    timer('hello_timer', 0) +
    timer('tcn_timer', 0) +
    timer('topology_change_timer', 0) +
    timer('gc_timer', gcTimer(d.ageing, now)) +
    // The kernel's defaults: multicast snooping on (IGMPv2, MLDv1), nothing filtered.
    'group_fwd_mask 0 group_address 01:80:c2:00:00:00 mcast_snooping 1 no_linklocal_learn 0 mcast_vlan_snooping 0 mcast_router 1 mcast_query_use_ifaddr 0 mcast_querier 0 ' +
    'mcast_hash_elasticity 16 mcast_hash_max 4096 mcast_last_member_count 2 mcast_startup_query_count 2 mcast_last_member_interval 100 mcast_membership_interval 26000 ' +
    'mcast_querier_interval 25500 mcast_query_interval 12500 mcast_query_response_interval 1000 mcast_startup_query_interval 3124 mcast_stats_enabled 0 ' +
    // Per-bridge nf_call_* stay 0: br_netfilter follows the global bridge-nf-call-* sysctls instead.
    'mcast_igmp_version 2 mcast_mld_version 1 nf_call_iptables 0 nf_call_ip6tables 0 nf_call_arptables 0 '
  );
}

/** A veth's carrier follows its peer being up (veth_open turns both carriers on). */
function hasCarrier(model: ClusterModel, d: Device): boolean {
  if (d.kind !== 'veth') return d.up;
  const peer = model.netns.get(d.peer.netns)?.devices.find((x) => x.name === d.peer.name);
  return d.up && peer?.up === true;
}

function bridgeSlaveOpts(model: ClusterModel, ns: Netns, d: Device, br: Extract<Device, { kind: 'bridge' }>): string {
  // The number attachToBridge gave it (find_portno); a port made without it counts in join order.
  const no = d.portNo ?? ns.devices.filter((x) => x.master === br.name).indexOf(d) + 1;
  // With STP off a port forwards as soon as it and the bridge are up with carrier.
  const state = br.up && hasCarrier(model, d) ? 'forwarding' : 'disabled';
  const id = bridgeId(br.mac);
  return (
    // cost 2: port_cost() for a 10 Gb/s link, the speed a veth reports.
    `state ${state} priority 32 cost 2 hairpin ${d.hairpin ? 'on' : 'off'} guard off root_block off fastleave off learning on flood on ` +
    `port_id 0x${(0x8000 + no).toString(16)} port_no 0x${no.toString(16)} designated_port ${0x8000 + no} designated_cost 0 designated_bridge ${id} designated_root ${id} ` +
    timer('hold_timer', 0) +
    timer('message_age_timer', 0) +
    timer('forward_delay_timer', 0) +
    'topology_change_ack 0 config_pending 0 proxy_arp off proxy_arp_wifi off mcast_router 1 mcast_fast_leave off mcast_flood on bcast_flood on mcast_to_unicast off ' +
    'neigh_suppress off group_fwd_mask 0 group_fwd_mask_str 0x0 vlan_tunnel off isolated off locked off '
  );
}

/** The kind's print_opt: what follows `    KIND ` on its own line ('' for a kind without options). */
function kindOpts(d: Device, now: number): string | undefined {
  switch (d.kind) {
    case 'vxlan':
      // flannel and Calico set only id, local, dev, dstport and learning; the rest are the kernel's
      // defaults (no source-port range, TTL from the route, FDB ageing 300 s, IPv4 UDP checksums on).
      return `id ${d.vni} local ${d.local} dev ${d.underlay} srcport 0 0 dstport ${d.dstport} ${d.learning ? '' : 'nolearning '}ttl auto ageing 300 udpcsum noudp6zerocsumtx noudp6zerocsumrx `;
    case 'bridge':
      return bridgeOpts(d, now);
    case 'ipip':
      // tunl0 is the module's fallback device: any protocol, no endpoints, DF not set.
      return `any remote any local any ${d.ttlInherit ? 'ttl inherit ' : ''}nopmtudisc `;
    case 'veth':
    case 'dummy':
      return '';
    default:
      return undefined; // lo and a physical NIC carry no IFLA_INFO_KIND
  }
}

export interface DetailOptions {
  /** `ip link` prints the IPv6 address-generation mode; `ip addr` does not (print_af_spec is link-only). */
  mode: 'addr' | 'link';
  /** Simulated seconds since the shell started (the bridge's gc_timer counts down with it). */
  now: number;
}

/**
 * The text `ip -d` inserts right after the `link/…` line's own fields (which it continues),
 * up to and including the newline that ends the block's last detail line.
 */
export function linkDetails(model: ClusterModel, ns: Netns, d: Device, opts: DetailOptions): string {
  const lim = LIMITS[d.kind];
  // A bridge port is promiscuous and all-multicast (br_add_if / br_manage_promisc with VLAN filtering off);
  // `promisc on` counts once more.
  const port = d.master !== undefined ? 1 : 0;
  let out = ` promiscuity ${port + (d.promisc ? 1 : 0)}  allmulti ${port} minmtu ${lim.minmtu} maxmtu ${lim.maxmtu} `;
  const opt = kindOpts(d, opts.now);
  if (opt !== undefined) out += `\n    ${d.kind} ${opt}`;
  const br = d.master !== undefined ? ns.devices.find((x) => x.name === d.master) : undefined;
  if (br?.kind === 'bridge') out += `\n    bridge_slave ${bridgeSlaveOpts(model, ns, d, br)}`;
  if (opts.mode === 'link') out += 'addrgenmode eui64 ';
  out += `numtxqueues ${lim.queues} numrxqueues ${lim.queues} gso_max_size 65536 gso_max_segs 65535 tso_max_size ${lim.tsoMaxSize} tso_max_segs 65535 gro_max_size 65536 `;
  if (d.kind === 'nic') out += NIC_PARENT;
  return out;
}
