/**
 * `ip addr` and `ip link`, as iproute2 prints them: flags, MTU, qdisc, state, master,
 * `link/ether … brd …`, `link-netns`/`link-netnsid` for veths, one `inet` block per address;
 * with `-d`, each device's details (ip-link-details.ts).
 */
import type { ClusterModel, Device, Netns } from '../model/types';
import { intToIpv4, ipv4ToInt, prefixMask } from '../util/ip';
import { linkDetails } from './ip-link-details';

/** `-d`/`-details`, `-br`/`-brief`, and the shell's clock for the timers `-d` shows. */
export interface ShowOptions {
  details?: boolean;
  /** One line per device; iproute2 then ignores `-d`. */
  brief?: boolean;
  /** Simulated seconds since the shell started. */
  now?: number;
}

function flags(d: Device): string {
  const kind = d.kind === 'loopback' ? 'LOOPBACK' : d.kind === 'ipip' ? 'NOARP' : d.kind === 'dummy' ? 'BROADCAST,NOARP' : 'BROADCAST,MULTICAST';
  // PROMISC only when asked for (`ip link set DEV promisc on`): a bridge port is promiscuous too,
  // but the flags shown are the user's (dev_get_flags), in print_link_flags' order.
  const promisc = d.promisc ? ',PROMISC' : '';
  return d.up ? `${kind}${promisc},UP,LOWER_UP` : `${kind}${promisc}`;
}

function state(d: Device): string {
  if (!d.up) return 'DOWN';
  // Devices without carrier detection report UNKNOWN.
  return d.kind === 'loopback' || d.kind === 'vxlan' || d.kind === 'ipip' || d.kind === 'dummy' ? 'UNKNOWN' : 'UP';
}

function qdisc(d: Device): string {
  if (!d.up) return 'noop';
  return d.kind === 'nic' ? 'fq_codel' : 'noqueue';
}

function nameWithPeer(d: Device): string {
  if (d.kind === 'veth') return `${d.name}@if${d.peer.ifindex}`;
  if (d.kind === 'ipip') return `${d.name}@NONE`;
  return d.name;
}

/**
 * Every kind modelled keeps ether_setup's (or loopback's) tx_queue_len of 1000: since Linux 4.3
 * veth, vxlan and dummy mark themselves IFF_NO_QUEUE instead of zeroing it (Linux 6.18 prints
 * `qlen 1000` for lo, veth, bridge and vxlan alike).
 */
const QLEN = ' qlen 1000';

function linkLine(model: ClusterModel, ns: Netns, d: Device): string {
  if (d.kind === 'loopback') return '    link/loopback 00:00:00:00:00:00 brd 00:00:00:00:00:00';
  if (d.kind === 'ipip') return '    link/ipip 0.0.0.0 brd 0.0.0.0';
  let line = `    link/ether ${d.mac} brd ff:ff:ff:ff:ff:ff`;
  if (d.kind === 'veth') {
    const peer = model.netns.get(d.peer.netns);
    // From a pod the host is netnsid 0; from the host a named netns is shown by name.
    line += ns.kind === 'pod' ? ' link-netnsid 0' : ` link-netns ${peer?.name ?? d.peer.netns}`;
  }
  return line;
}

function header(model: ClusterModel, ns: Netns, d: Device, mode: 'addr' | 'link', opts: ShowOptions): string {
  const master = d.master ? ` master ${d.master}` : '';
  const mdefault = mode === 'link' ? ' mode DEFAULT' : '';
  const details = opts.details ? linkDetails(model, ns, d, { mode, now: opts.now ?? 0 }) : '';
  return `${d.ifindex}: ${nameWithPeer(d)}: <${flags(d)}> mtu ${d.mtu} qdisc ${qdisc(d)}${master} state ${state(d)}${mdefault} group default${QLEN}\n${linkLine(model, ns, d)}${details}\n`;
}

function inetLines(d: Device): string {
  let out = '';
  for (const a of d.addresses) {
    // The kernel gives lo its 127.0.0.1/8 without a broadcast address; the CNI plugins' netlink
    // library computes one for every address they add (vishvananda/netlink AddrAdd).
    const brd = a.prefix < 31 && d.kind !== 'loopback' ? ` brd ${intToIpv4((ipv4ToInt(a.ip) | ~prefixMask(a.prefix)) >>> 0)}` : '';
    out += `    inet ${a.ip}/${a.prefix}${brd} scope ${a.scope} ${d.name}\n       valid_lft forever preferred_lft forever\n`;
  }
  return out;
}

/** The hardware address `ip -br link` prints: ll_addr_n2a shows a tunnel's 4-byte one as IPv4. */
function linkAddress(d: Device): string {
  if (d.kind === 'loopback') return '00:00:00:00:00:00';
  if (d.kind === 'ipip') return '0.0.0.0';
  return d.mac;
}

/** print_linkinfo_brief: name (`%-16s `), operstate (`%-14s `), then the link's address and flags or the addresses. */
function briefLine(d: Device, mode: 'addr' | 'link'): string {
  const head = `${nameWithPeer(d).padEnd(16)} ${state(d).padEnd(14)} `;
  if (mode === 'link') return `${head}${linkAddress(d)} <${flags(d)}> \n`;
  return `${head}${d.addresses.map((a) => `${a.ip}/${a.prefix} `).join('')}\n`;
}

function render(model: ClusterModel, ns: Netns, mode: 'addr' | 'link', opts: ShowOptions): string {
  const devices = [...ns.devices].sort((a, b) => a.ifindex - b.ifindex);
  if (opts.brief) return devices.map((d) => briefLine(d, mode)).join('');
  return devices.map((d) => header(model, ns, d, mode, opts) + (mode === 'addr' ? inetLines(d) : '')).join('');
}

export function renderIpAddr(model: ClusterModel, ns: Netns, opts: ShowOptions = {}): string {
  return render(model, ns, 'addr', opts);
}

export function renderIpLink(model: ClusterModel, ns: Netns, opts: ShowOptions = {}): string {
  return render(model, ns, 'link', opts);
}
