/**
 * Encapsulation and decapsulation: VXLAN (outer IPv4 + UDP + VXLAN header around the whole
 * inner Ethernet frame, 50 bytes on the wire) and IPIP (an outer IPv4 header only, 20 bytes).
 * Read first: drivers/net/vxlan/vxlan_core.c, net/ipv4/ipip.c, spec/cross-node-datapaths.md §2, §4.
 */
import type { IpipDevice, Netns, VxlanDevice } from '../model/types';
import type { Ipv4Header, Packet, UdpHeader, VxlanHeader } from './packet';
import type { RuleRef } from '../trace/types';
import { hashString } from '../util/rng';
import { describeFlow, outerIp, portsOf } from './headers';
import { sourceAddressFor, lookupRoute } from '../model/routes';

/**
 * The outer UDP source port: a hash of the inner flow (vxlan_src_port), so one flow keeps one
 * path through ECMP while different flows spread; range 32768–61000 as Linux defaults.
 */
export function vxlanSourcePort(inner: Packet): number {
  const ip = outerIp(inner);
  const { sport, dport } = portsOf(inner);
  // FNV-1a of `src|dst|protocol|sport|dport`, hashed part by part (the hash carries over from one
  // part to the next exactly as over the joined text, without building that text per packet).
  let h = hashString(ip.src);
  h = hashString(ip.dst, hashString('|', h));
  h = hashString(ip.protocol, hashString('|', h));
  h = hashString(String(sport ?? 0), hashString('|', h));
  h = hashString(String(dport ?? 0), hashString('|', h));
  return 32768 + (h % (61000 - 32768));
}

/** Wraps an Ethernet frame for the remote VTEP `remote`. */
export function vxlanEncap(dev: VxlanDevice, frame: Packet, remote: string, id: number): Packet {
  const outerIpH: Ipv4Header = { kind: 'ipv4', src: dev.local, dst: remote, ttl: 64, protocol: 'udp', id, df: false };
  const udp: UdpHeader = { kind: 'udp', sport: vxlanSourcePort(frame), dport: dev.dstport };
  const vx: VxlanHeader = { kind: 'vxlan', vni: dev.vni };
  return { headers: [outerIpH, udp, vx, ...frame.headers], payload: frame.payload, mark: 0 };
}

/** Wraps an IP packet in IPIP towards `remote` (the route's onlink gateway). */
export function ipipEncap(ns: Netns, dev: IpipDevice, inner: Packet, remote: string, id: number): Packet | null {
  const r = lookupRoute(ns, remote);
  if (r.kind !== 'unicast') return null;
  const src = sourceAddressFor(ns, r.route);
  if (!src) return null;
  const ttl = dev.ttlInherit ? outerIp(inner).ttl : 64;
  const outer: Ipv4Header = { kind: 'ipv4', src, dst: remote, ttl, protocol: 'ipip', id, df: false };
  return { headers: [outer, ...inner.headers], payload: inner.payload, mark: 0 };
}

/**
 * The parts of a VXLAN encapsulation's sentence and FDB rule that depend only on the device, the
 * inner destination MAC and the remote VTEP, made once and kept beside the device (a WeakMap)
 * while the device keeps the name, VNI, port and local address they were made from: every
 * cross-node packet is encapsulated, and these concatenations showed up in trace profiles.
 */
export interface VxlanTexts {
  name: string;
  vni: number;
  dstport: number;
  local: string;
  /** By remote VTEP: the sentence up to the UDP source port, and from there to the inner packet. */
  byRemote: Map<string, readonly [string, string]>;
  /** By inner destination MAC: the FDB rule (valid for the remote it names). */
  byMac: Map<string, { remote: string; rule: RuleRef }>;
}

const VXLAN_TEXTS = new WeakMap<VxlanDevice, VxlanTexts>();

export function vxlanTexts(dev: VxlanDevice): VxlanTexts {
  let t = VXLAN_TEXTS.get(dev);
  if (!t || t.name !== dev.name || t.vni !== dev.vni || t.dstport !== dev.dstport || t.local !== dev.local) {
    t = { name: dev.name, vni: dev.vni, dstport: dev.dstport, local: dev.local, byRemote: new Map(), byMac: new Map() };
    VXLAN_TEXTS.set(dev, t);
  }
  return t;
}

/** The encap hop's sentence; `t` is `vxlanTexts(dev)`. */
export function explainVxlanEncap(t: VxlanTexts, dev: VxlanDevice, p: Packet, remote: string): string {
  let parts = t.byRemote.get(remote);
  if (!parts) {
    parts = [`${dev.name} (VNI ${dev.vni}) finds the inner destination MAC in its FDB at VTEP ${remote} and wraps the whole frame in VXLAN / UDP `, `→${dev.dstport} / IP ${dev.local} → ${remote}: +50 bytes, inner packet `];
    t.byRemote.set(remote, parts);
  }
  return `${parts[0]}${(p.headers[1] as UdpHeader).sport}${parts[1]}${describeFlow(p, 4)} unchanged.`;
}

/** The FDB entry that sent `mac` to `remote`, as `bridge fdb` prints it: the encap hop's rule; `t` is `vxlanTexts(dev)`. */
export function vxlanFdbRule(t: VxlanTexts, dev: VxlanDevice, mac: string, remote: string): RuleRef {
  let r = t.byMac.get(mac);
  if (!r || r.remote !== remote) {
    r = { remote, rule: { kind: 'fdb', text: `${mac} dev ${dev.name} dst ${remote} self permanent` } };
    t.byMac.set(mac, r);
  }
  return r.rule;
}
