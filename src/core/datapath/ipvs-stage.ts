/**
 * IPVS in the datapath. ip_vs_in runs at LOCAL_IN, after the filter table: a packet for a
 * local address that matches a virtual service is given to a real server — NAT ("Masq"):
 * the destination is rewritten and the packet is sent again through LOCAL_OUT and routing;
 * direct routing ("Route"): the frame goes unchanged to the server's MAC. ip_vs_out undoes
 * the NAT on the server's replies. Read first: net/netfilter/ipvs/ip_vs_core.c, ip_vs_xmit.c.
 */
import type { Device, Netns } from '../model/types';
import type { IpvsProtocol } from '../ipvs/types';
import type { Packet } from './packet';
import type { HopDraft, WalkContext } from './context';
import type { StageResult } from './step';
import { dropped, step } from './step';
import { lookupConn, lookupReplyConn, lookupService, scheduleConn } from '../ipvs/table';
import { lookupRoute } from '../model/routes';
import { getDevice } from '../model/netns';
import { devHop } from './context';
import { l4Of, outerIp, outerIpIndex, replaceHeader, withPorts } from './headers';

function flowOf(p: Packet): { proto: IpvsProtocol; src: string; dst: string; sport: number; dport: number } | null {
  const ip = outerIp(p);
  const l4 = l4Of(p);
  if (!l4 || (l4.kind !== 'tcp' && l4.kind !== 'udp')) return null;
  return { proto: l4.kind, src: ip.src, dst: ip.dst, sport: l4.sport, dport: l4.dport };
}

function rewriteDst(p: Packet, ip: string, port: number): Packet {
  const i = outerIpIndex(p);
  return withPorts(replaceHeader(p, i, { ...outerIp(p), dst: ip }), undefined, port);
}

function rewriteSrc(p: Packet, ip: string, port: number): Packet {
  const i = outerIpIndex(p);
  return withPorts(replaceHeader(p, i, { ...outerIp(p), src: ip }), port, undefined);
}

/**
 * ip_vs_in: returns the next step when IPVS takes the packet, or null to let it reach the local
 * stack. A NATed packet is routed by IPVS and handed to LOCAL_OUT (ip_vs_nat_send_or_cont in
 * ip_vs_xmit.c): the walk goes on from an `output` step, and the sentence says so, since the next
 * hop then reads as if the node itself sent the client's packet.
 */
export function ipvsIn(ctx: WalkContext, ns: Netns, dev: Device, p: Packet): StageResult | null {
  if (!ns.ipvs) return null;
  const f = flowOf(p);
  if (!f) return null;
  const svc = lookupService(ns.ipvs, f.proto, f.dst, f.dport);
  if (!svc) return null;
  const vip = `${f.proto.toUpperCase()}  ${svc.address}:${svc.port} ${svc.scheduler}${svc.persistent !== undefined ? ` persistent ${svc.persistent}` : ''}`;
  let conn = lookupConn(ns.ipvs, f.proto, f.src, f.sport, f.dst, f.dport, ctx.now);
  // conn_reuse_mode: a SYN that hits an old entry (the client reused its port) is a new connection.
  const l4 = l4Of(p);
  if (conn && l4?.kind === 'tcp' && l4.flags === 'S') {
    const old = conn;
    ns.ipvs.conns = ns.ipvs.conns.filter((c) => c !== old);
    conn = undefined;
  }
  const fresh = !conn;
  conn ??= scheduleConn(ns.ipvs, svc, { ip: f.src, port: f.sport }, ctx.rng, ctx.now);
  if (!conn) {
    // ip_vs_leave: no destination → icmp_send(ICMP_PORT_UNREACH) and NF_DROP, TCP or UDP alike.
    const hop = devHop(ns, dev, 'ipvs', p, `IPVS virtual service ${svc.address}:${svc.port}/${f.proto} has no available real server: IPVS answers the client with ICMP port unreachable and drops the packet (connect() fails with "Connection refused").`, undefined, { kind: 'ipvs', text: vip });
    return dropped([], 'reject', hop);
  }
  const how = fresh ? `the ${svc.scheduler} scheduler${svc.persistent !== undefined ? ' (or the client\'s persistence template)' : ''} picks` : 'the existing IPVS connection goes to';
  const rule = { kind: 'ipvs' as const, text: `${vip}\n  -> ${conn.dest.ip}:${conn.dest.port} ${conn.forward}`, evaluated: [{ table: 'ipvs', chain: `${svc.address}:${svc.port}`, index: 0, text: vip }] };
  if (conn.forward === 'Masq') {
    const q = rewriteDst(p, conn.dest.ip, conn.dest.port);
    const hop = devHop(ns, dev, 'ipvs', q, `IPVS (hash lookup, not a rule walk): ${f.dst}:${f.dport}/${f.proto} is a virtual service; ${how} real server ${conn.dest.ip}:${conn.dest.port}, and NAT rewrites the destination; IPVS then routes the packet and sends it out through OUTPUT and POSTROUTING, so the next hops show ${ns.id} sending it.`, ['ipv4.dst', `${f.proto}.dport`], rule);
    return { hops: [hop], next: step('output', ns, q, undefined, undefined, false) };
  }
  // Direct routing: same IP packet, new MAC — the real server must accept the VIP itself.
  const r = lookupRoute(ns, conn.dest.ip);
  const out = r.kind === 'unicast' && r.route.dev ? getDevice(ns, r.route.dev) : undefined;
  if (!out || r.kind !== 'unicast') return { hops: [devHop(ns, dev, 'drop', p, `IPVS cannot reach real server ${conn.dest.ip}.`)], end: { verdict: 'dropped', reason: 'no-route' } };
  const hop = devHop(ns, dev, 'ipvs', p, `IPVS (direct routing): ${how} ${conn.dest.ip}; the packet is not rewritten, only sent to that server's MAC, so it arrives still addressed to ${f.dst}.`, undefined, rule);
  return { hops: [hop], next: step('neigh', ns, p, out, r.route.via ?? conn.dest.ip) };
}

/** ip_vs_out: a real server's reply to a NATed connection gets the virtual address back as its source. */
export function ipvsOut(ctx: WalkContext, ns: Netns, dev: Device, p: Packet): { packet: Packet; hop?: HopDraft } {
  if (!ns.ipvs) return { packet: p };
  const f = flowOf(p);
  if (!f) return { packet: p };
  const conn = lookupReplyConn(ns.ipvs, f.proto, f.src, f.sport, f.dst, f.dport, ctx.now);
  if (!conn || conn.forward !== 'Masq') return { packet: p };
  const q = rewriteSrc(p, conn.vip.ip, conn.vip.port);
  return { packet: q, hop: devHop(ns, dev, 'ipvs', q, `IPVS recognises the reply of its connection ${conn.client.ip}:${conn.client.port} → ${conn.vip.ip}:${conn.vip.port} and restores the virtual service as the source: ${f.src}:${f.sport} → ${conn.vip.ip}:${conn.vip.port}.`, ['ipv4.src', `${f.proto}.sport`], { kind: 'ipvs', text: `${conn.protocol.toUpperCase()} ${conn.client.ip}:${conn.client.port} ${conn.vip.ip}:${conn.vip.port} ${conn.dest.ip}:${conn.dest.port}` }) };
}

/**
 * ip_vs_local_request4: IPVS also sits at LOCAL_OUT, so a connection the host itself opens to a
 * virtual service is scheduled and NATed before POSTROUTING (never looped through lo). Returns
 * the rewritten packet to route again, or null when IPVS does not take it.
 */
export function ipvsLocalOut(ctx: WalkContext, ns: Netns, p: Packet): { packet: Packet; hops: HopDraft[] } | null {
  const lo = ns.ipvs ? getDevice(ns, 'lo') : undefined;
  if (!lo) return null;
  const r = ipvsIn(ctx, ns, lo, p);
  if (!r?.next || r.next.kind !== 'output') return null;
  return { packet: r.next.pkt, hops: r.hops };
}
