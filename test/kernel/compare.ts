/**
 * The simulator's side of each comparison, in the kernel's terms: which real interfaces a walk
 * crossed, and which conntrack entries a flow left, keyed by the real namespace names.
 */
import type { ClusterModel } from '../../src/core/model/types';
import type { Hop } from '../../src/core/trace/types';
import type { ConntrackEntry } from '../../src/core/netfilter/conntrack';
import { hasRules } from '../../src/core/datapath/netfilter-hook';
import { netnsNameFor, underlayNetnsName, underlayPortName } from '../../src/core/export/index';
import type { KernelCtEntry } from './host';

const VXLAN_PORTS = new Set([4789, 8472]);

/** True when the walk sent the frame out of bridge `br` from the IP stack above it. */
function fromStack(hops: readonly Hop[], i: number): boolean {
  const h = hops[i]!;
  for (let j = i - 1; j >= 0; j--) {
    const p = hops[j]!;
    if (p.netns !== h.netns) return false;
    if (p.stage === 'arp' || p.stage.startsWith('netfilter:')) continue;
    return (p.stage === 'route' || p.stage === 'forward') && p.device === h.device;
  }
  return false;
}

/**
 * The interfaces (`realNetns/ifname`) an IPv4 packet of this walk was seen on, as
 * `tcpdump -i any` would show them: both ends of every veth crossed, both NICs and both
 * underlay switch ports of every wire, a vxlan device on encap and decap, a bridge device only
 * when the frame goes up to or comes down from the bridge's IP stack (bridged frames are seen
 * on the ports only, unless the bridge is promiscuous: it then passes a copy of every frame up,
 * br_handle_frame_finish's local_rcv), and the device a packet was delivered on.
 */
export function simDevices(model: ClusterModel, hops: readonly Hop[], prefix: string): Set<string> {
  const out = new Set<string>();
  const real = (netns: string, dev: string) => {
    const ns = model.netns.get(netns);
    if (ns) out.add(`${netnsNameFor(ns, prefix)}/${dev}`);
  };
  hops.forEach((h, i) => {
    if (!h.device) return;
    const ns = model.netns.get(h.netns);
    switch (h.stage) {
      case 'veth': {
        real(h.netns, h.device);
        const d = ns?.devices.find((x) => x.name === h.device);
        if (d?.kind === 'veth') real(d.peer.netns, d.peer.name);
        return;
      }
      case 'wire': {
        const seg = model.segments.get(h.netns);
        const [a, b] = h.device.split('>');
        for (const end of [a, b]) {
          const port = seg?.ports.find((p) => p.netns === end);
          if (!port) continue;
          real(port.netns, port.dev);
          out.add(`${underlayNetnsName(prefix)}/${underlayPortName(model, port.netns, port.dev)}`);
        }
        return;
      }
      case 'encap':
      case 'decap':
      case 'deliver':
        real(h.netns, h.device);
        return;
      case 'drop':
        // A refused connection reached the device it was refused at (no listener there).
        if (/^Nothing listens on/.test(h.explain)) real(h.netns, h.device);
        return;
      case 'bridge': {
        const br = ns?.devices.find((x) => x.name === h.device);
        const up = br !== undefined && h.rule?.text.startsWith(`${br.mac} dev ${br.name} vlan 1 master`) === true;
        if (up || br?.promisc === true || fromStack(hops, i)) real(h.netns, h.device);
        return;
      }
      default:
        return;
    }
  });
  return out;
}

/** A conntrack entry as compared: protocol and both tuples, with the kernel's random ports as `*`. */
export type CtKey = string;

interface Tuple {
  src: string;
  dst: string;
  sport?: number;
  dport?: number;
}

type CtLike = { protocol: string; orig: Tuple; reply: Tuple };

/**
 * Ports the kernel chooses at random are not the simulator's to predict, so both sides show
 * them as `*`: the outer UDP source port of VXLAN (a hash of the inner flow with a per-boot
 * secret), and the source port MASQUERADE --random-fully maps a connection to — wherever that
 * address:port appears in the flow's entries (the SNAT node's reply tuple, and the original
 * tuple of every node downstream). Nothing else is masked.
 */
function mappedPorts(all: readonly CtLike[]): Set<string> {
  const mapped = new Set<string>();
  for (const e of all) if (e.reply.dst !== e.orig.src || e.reply.dport !== e.orig.sport) mapped.add(`${e.reply.dst}:${e.reply.dport}`);
  return mapped;
}

function render(es: readonly CtLike[], mapped: Set<string>): CtKey[] {
  const port = (ip: string, p: number | undefined, random: boolean) => (random || mapped.has(`${ip}:${p}`) ? '*' : String(p ?? ''));
  return es
    .map((e) => {
      const { orig: o, reply: r } = e;
      if (e.protocol === 'icmp') return `icmp ${o.src}>${o.dst} | ${r.src}>${r.dst}`;
      const vxlan = e.protocol === 'udp' && VXLAN_PORTS.has(o.dport ?? 0);
      return `${e.protocol} ${o.src}:${port(o.src, o.sport, vxlan)}>${o.dst}:${o.dport ?? ''} | ${r.src}:${r.sport ?? ''}>${r.dst}:${port(r.dst, r.dport, vxlan)}`;
    })
    .sort();
}

function keyAll(byNetns: Map<string, readonly CtLike[]>): Map<string, CtKey[]> {
  const mapped = mappedPorts([...byNetns.values()].flat());
  return new Map([...byNetns].map(([ns, es]) => [ns, render(es, mapped)]));
}

/** The kernel's entries of one flow, per namespace (TCP, UDP and ICMP only: no IGMP). */
export function kernelCtKeys(byNetns: Map<string, readonly KernelCtEntry[]>): Map<string, CtKey[]> {
  return keyAll(new Map([...byNetns].map(([ns, es]) => [ns, es.filter((e) => e.protocol === 'tcp' || e.protocol === 'udp' || e.protocol === 'icmp')])));
}

/** The simulator's entries of one flow, per namespace. */
export function simCtKeys(byNetns: Map<string, readonly ConntrackEntry[]>): Map<string, CtKey[]> {
  return keyAll(byNetns);
}

/** Entry ids per netns, to tell which entries a flow created. */
export function conntrackSnapshot(model: ClusterModel): Map<string, Set<number>> {
  const m = new Map<string, Set<number>>();
  for (const ns of model.netns.values()) m.set(ns.id, new Set(ns.conntrack?.entries.keys()));
  return m;
}

/** The confirmed entries each namespace with rules gained since `before`, by real netns name. */
export function newSimEntries(model: ClusterModel, before: Map<string, Set<number>>, prefix: string): Map<string, ConntrackEntry[]> {
  const out = new Map<string, ConntrackEntry[]>();
  for (const ns of model.netns.values()) {
    if (!hasRules(ns)) continue;
    const old = before.get(ns.id) ?? new Set();
    out.set(
      netnsNameFor(ns, prefix),
      // A RST on a never-assured TCP connection kills its entry (the simulator expires it at
      // once, so `conntrack -L` no longer lists it); the map keeps it until the next lookup.
      [...(ns.conntrack?.entries.values() ?? [])].filter((e) => e.confirmed && !old.has(e.id) && !(e.tcpState === 'CLOSE' && !e.assured)),
    );
  }
  return out;
}
