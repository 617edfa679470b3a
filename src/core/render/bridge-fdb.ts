/**
 * `bridge fdb show [br BRIDGE] [dev DEV]` (iproute2 6.1 bridge/fdb.c print_fdb) over the kernel's
 * dump (net/core/rtnetlink.c rtnl_fdb_dump), which walks the devices in ifindex order and for
 * each prints:
 *   - for a bridge port, the bridge's entries on that port, newest first (br_fdb.c keeps one
 *     list, new entries at its head): learned ones `MAC dev PORT master BR ` (no state word,
 *     so a trailing space) and the port's own MAC, permanent;
 *   - for a bridge, its own MAC (the entries without a port);
 *   - for a VXLAN device, its own table (`MAC dev flannel.1 dst REMOTE self permanent`), newest
 *     first too;
 *   - for any other Ethernet device (a bridge and its ports too), the multicast addresses its
 *     driver filters on, `self permanent` (ndo_dflt_fdb_dump); loopback and IPIP have none.
 *
 * The local entries of a bridge and of its ports come twice: for VLAN 0 and for VLAN 1, the
 * default PVID, which a kernel built with CONFIG_BRIDGE_VLAN_FILTERING (every distribution's)
 * gives them even while vlan_filtering is off (br_vlan.c __vlan_add inserts the device's MAC for
 * each VLAN; br.c adds the VLAN 0 one first, so `vlan 1` is the newer, printed first).
 *
 * The multicast addresses, as Linux joins them with IPv6 disabled (the model has no IPv6
 * addresses, like the namespaces `hopscope export netns` builds): 33:33:00:00:00:01 (ff02::1,
 * joined by addrconf when the device registers, even with disable_ipv6), then on a bridge that
 * is up the snoopers' 01:00:5e:00:00:6a and 33:33:00:00:00:6a (224.0.0.106, ff02::6a;
 * br_multicast_open, snooping being on by default), then 01:00:5e:00:00:01 (224.0.0.1, joined
 * by IPv4 when the device comes up). Checked line by line against Linux 6.18 in
 * test/kernel/tools.test.ts.
 */
import type { Device, FdbEntry, Netns } from '../model/types';

/** `br BRIDGE` keeps the bridge and its ports; `dev DEV` keeps DEV and drops the `dev` word. */
export interface FdbFilter {
  br?: string;
  dev?: string;
}

/** What the device's own dump lists: the multicast MACs it listens to. */
function multicastMacs(d: Device): string[] {
  if (d.kind !== 'veth' && d.kind !== 'nic' && d.kind !== 'bridge' && d.kind !== 'dummy') return [];
  const macs = ['33:33:00:00:00:01'];
  if (d.kind === 'bridge' && d.up) macs.push('01:00:5e:00:00:6a', '33:33:00:00:00:6a');
  if (d.up) macs.push('01:00:5e:00:00:01');
  return macs;
}

/** One bridge entry as print_fdb prints it, without the `dev` part when filtered by device. */
function bridgeLines(e: FdbEntry, devWord: string): string[] {
  if (!e.permanent) return [`${e.mac}${devWord} master ${e.master} \n`];
  return [`${e.mac}${devWord} vlan 1 master ${e.master} permanent\n`, `${e.mac}${devWord} master ${e.master} permanent\n`];
}

export function renderBridgeFdb(ns: Netns, filter: FdbFilter = {}): string {
  const out: string[] = [];
  const devices = [...ns.devices].sort((a, b) => a.ifindex - b.ifindex);
  for (const d of devices) {
    if (filter.dev !== undefined && d.name !== filter.dev) continue;
    if (filter.br !== undefined && d.name !== filter.br && d.master !== filter.br) continue;
    const devWord = filter.dev !== undefined ? '' : ` dev ${d.name}`;
    if (d.kind === 'vxlan') {
      // vxlan_fdb_dump walks the device's list, new entries at its head (Linux 6.16 and later).
      for (const e of ns.fdb.filter((x) => x.self && x.dev === d.name).reverse()) out.push(`${e.mac}${devWord}${e.dst ? ` dst ${e.dst}` : ''} self${e.permanent ? ' permanent' : ''}\n`);
      continue;
    }
    const own = multicastMacs(d).map((mac) => `${mac}${devWord} self permanent\n`);
    // The bridge's entries on this port (for a bridge, those without a port), newest first.
    const bridge = d.kind === 'bridge' ? d.name : d.master;
    const entries = bridge === undefined ? [] : ns.fdb.filter((e) => !e.self && e.master === bridge && e.dev === d.name).reverse().flatMap((e) => bridgeLines(e, devWord));
    // br_fdb_dump prints a bridge's own multicast list before its entries; a port's comes after.
    out.push(...(d.kind === 'bridge' ? [...own, ...entries] : [...entries, ...own]));
  }
  return out.join('');
}
