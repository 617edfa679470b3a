/**
 * Connection tracking of one netns (nf_conntrack): each connection has an ORIGINAL and a REPLY
 * tuple; a packet finds its entry in either direction, before or after NAT rewrote it. NAT is
 * decided once per connection (the nat table sees only the first packet) and recorded here by
 * changing the REPLY tuple, so later packets and replies are rewritten from the entry alone.
 *
 * Read first: net/netfilter/nf_conntrack_core.c (resolve_normal_ct, __nf_conntrack_confirm),
 * nf_conntrack_proto_tcp.c (states and timeouts), conntrack(8) for the `-L` format.
 *
 * An entry is created unconfirmed by the first packet at PREROUTING/OUTPUT and confirmed when
 * that packet passes POSTROUTING or INPUT; a packet dropped in between leaves no entry.
 */
import type { IpProtocol } from '../datapath/packet';
import type { NatChange, NfPacket } from './types';

/** One direction of a connection. For ICMP, `sport` and `dport` both hold the echo id. */
export interface CtTuple {
  src: string;
  dst: string;
  sport: number;
  dport: number;
  /** ICMP type and code of this direction (8/0 echo request, 0/0 echo reply). */
  icmpType?: number;
  icmpCode?: number;
}

/** TCP connection states as conntrack names them. */
export type TcpCtState = 'SYN_SENT' | 'SYN_RECV' | 'ESTABLISHED' | 'FIN_WAIT' | 'CLOSE_WAIT' | 'LAST_ACK' | 'TIME_WAIT' | 'CLOSE';

/** One tracked connection. */
export interface ConntrackEntry {
  id: number;
  protocol: IpProtocol;
  orig: CtTuple;
  reply: CtTuple;
  tcpState?: TcpCtState;
  /** IPS_SEEN_REPLY: a reply went through (else conntrack -L shows [UNREPLIED]). */
  seenReply: boolean;
  /** IPS_ASSURED: not evicted early ([ASSURED]). */
  assured: boolean;
  /** In the table (the first packet passed POSTROUTING/INPUT). */
  confirmed: boolean;
  /** IPS_SRC_NAT / IPS_DST_NAT: a source / destination NAT is part of this connection. */
  srcNat: boolean;
  dstNat: boolean;
  /** The nat table was consulted for this manip type (it never is again). */
  natInit: { src: boolean; dst: boolean };
  /** NAT decided for this connection, in order. */
  nat: NatChange[];
  /** ct mark (`conntrack -L` mark=). */
  mark: number;
  /** Absolute expiry time in seconds (HookEnv.now scale). */
  expires: number;
}

/** The conntrack table of one netns. */
export interface ConntrackTable {
  entries: Map<number, ConntrackEntry>;
  /** Tuple key (see `tupleKey`) → entry and the direction a packet with that tuple travels. */
  index: Map<string, { entry: ConntrackEntry; dir: 'original' | 'reply' }>;
  nextId: number;
}

/** An empty table. */
export function createConntrack(): ConntrackTable {
  return { entries: new Map(), index: new Map(), nextId: 1 };
}

/** Timeouts in seconds (the kernel's defaults). */
export const CT_TIMEOUTS = {
  tcp: { SYN_SENT: 120, SYN_RECV: 60, ESTABLISHED: 432000, FIN_WAIT: 120, CLOSE_WAIT: 60, LAST_ACK: 30, TIME_WAIT: 120, CLOSE: 10 } as Record<TcpCtState, number>,
  udp: 30,
  udpStream: 120,
  icmp: 30,
  generic: 600,
};

/** ICMP reply types conntrack expects for each request type. */
const ICMP_REPLY: Readonly<Record<number, number>> = { 8: 0, 13: 14, 15: 16, 17: 18 };

/** The tuple of a packet as netfilter sees it. */
export function packetTuple(p: NfPacket): CtTuple {
  if (p.protocol === 'icmp') {
    const id = p.icmpId ?? 0;
    return { src: p.src, dst: p.dst, sport: id, dport: id, icmpType: p.icmpType ?? 8, icmpCode: p.icmpCode ?? 0 };
  }
  return { src: p.src, dst: p.dst, sport: p.sport ?? 0, dport: p.dport ?? 0 };
}

/** The tuple a reply to `t` carries. */
export function invertTuple(t: CtTuple): CtTuple {
  const inv: CtTuple = { src: t.dst, dst: t.src, sport: t.dport, dport: t.sport };
  if (t.icmpType !== undefined) {
    inv.icmpType = ICMP_REPLY[t.icmpType] ?? t.icmpType;
    inv.icmpCode = t.icmpCode ?? 0;
  }
  return inv;
}

/** A lookup key. ICMP types are left out: a request and its reply share the id. */
export function tupleKey(protocol: IpProtocol, t: CtTuple): string {
  return `${protocol} ${t.src} ${t.sport} ${t.dst} ${t.dport}`;
}

/**
 * The keys of every form a packet of `e` can have, with its direction, in indexing order (a
 * later key wins a clash). A packet may be seen before, between or after NAT: the forms between
 * the two NAT manips of a connection that has both (kube-proxy's NodePort and masqueraded
 * ClusterIP traffic: DNAT in PREROUTING/OUTPUT, SNAT in POSTROUTING) are an original packet
 * after DNAT but before SNAT, and a reply after un-SNAT (PREROUTING) but before un-DNAT
 * (POSTROUTING/INPUT). The kernel keeps the conntrack entry on the skb across hooks; each hook
 * here looks it up again, so these forms are indexed too. Same strings as `tupleKey` of the
 * half-NATed and inverted tuples, built without the intermediate tuple objects.
 */
function entryKeys(e: ConntrackEntry): [string, string, string, string, string, string] {
  const p = e.protocol;
  const o = e.orig;
  const r = e.reply;
  return [
    `${p} ${o.src} ${o.sport} ${r.src} ${r.sport}`, // half-NATed original
    `${p} ${r.src} ${r.sport} ${o.src} ${o.sport}`, // half-NATed reply
    `${p} ${r.dst} ${r.dport} ${r.src} ${r.sport}`, // inverse of the reply: original
    `${p} ${o.dst} ${o.dport} ${o.src} ${o.sport}`, // inverse of the original: reply
    `${p} ${o.src} ${o.sport} ${o.dst} ${o.dport}`, // original
    `${p} ${r.src} ${r.sport} ${r.dst} ${r.dport}`, // reply
  ];
}

/** Even positions of `entryKeys` are original-direction forms, odd ones reply forms. */
function reindex(ct: ConntrackTable, e: ConntrackEntry): void {
  const keys = entryKeys(e);
  // Two shared, never-mutated hit records per entry instead of one per key.
  const original = { entry: e, dir: 'original' as const };
  const reply = { entry: e, dir: 'reply' as const };
  for (let i = 0; i < 6; i++) ct.index.set(keys[i]!, i % 2 === 0 ? original : reply);
}

function unindex(ct: ConntrackTable, e: ConntrackEntry): void {
  for (const k of entryKeys(e)) if (ct.index.get(k)?.entry === e) ct.index.delete(k);
}

/** `tupleKey(p.protocol, packetTuple(p))` without building the tuple (one lookup per hook). */
function packetKey(p: NfPacket): string {
  if (p.protocol === 'icmp') {
    const id = p.icmpId ?? 0;
    return `icmp ${p.src} ${id} ${p.dst} ${id}`;
  }
  return `${p.protocol} ${p.src} ${p.sport ?? 0} ${p.dst} ${p.dport ?? 0}`;
}

/** The entry a packet belongs to and its direction; expired entries are removed first. */
export function lookupConntrack(ct: ConntrackTable, p: NfPacket, now: number): { entry: ConntrackEntry; dir: 'original' | 'reply' } | undefined {
  const hit = ct.index.get(packetKey(p));
  if (!hit) return undefined;
  // Strictly earlier: an entry killed at `now` (a RST) still serves the rest of that packet's hooks.
  if (hit.entry.confirmed && hit.entry.expires < now) {
    removeConntrack(ct, hit.entry);
    return undefined;
  }
  return hit;
}

/** A new unconfirmed entry for the first packet of a connection. */
export function createEntry(ct: ConntrackTable, p: NfPacket, now: number): ConntrackEntry {
  const orig = packetTuple(p);
  const e: ConntrackEntry = {
    id: ct.nextId++,
    protocol: p.protocol,
    orig,
    reply: invertTuple(orig),
    seenReply: false,
    assured: false,
    confirmed: false,
    srcNat: false,
    dstNat: false,
    natInit: { src: false, dst: false },
    nat: [],
    mark: 0,
    expires: now,
  };
  if (p.protocol === 'tcp') e.tcpState = 'SYN_SENT';
  ct.entries.set(e.id, e);
  reindex(ct, e);
  touchEntry(e, 'original', p, now);
  return e;
}

/** Replaces the REPLY tuple after NAT was decided. */
export function setReplyTuple(ct: ConntrackTable, e: ConntrackEntry, reply: CtTuple): void {
  unindex(ct, e);
  e.reply = reply;
  reindex(ct, e);
}

/** Removes an entry (`conntrack -D`). */
export function removeConntrack(ct: ConntrackTable, e: ConntrackEntry): void {
  unindex(ct, e);
  ct.entries.delete(e.id);
}

/** Confirms an entry (it now survives the packet that created it). */
export function confirmEntry(e: ConntrackEntry): void {
  e.confirmed = true;
}

/** True if a confirmed connection other than `self` already uses `reply` as its reply tuple. */
export function replyTupleTaken(ct: ConntrackTable, protocol: IpProtocol, reply: CtTuple, self: ConntrackEntry): boolean {
  const hit = ct.index.get(tupleKey(protocol, reply));
  return hit !== undefined && hit.entry !== self && hit.dir === 'reply';
}

function nextTcpState(s: TcpCtState | undefined, dir: 'original' | 'reply', flags: string | undefined): TcpCtState {
  const f = flags ?? '';
  if (f.includes('R')) return 'CLOSE';
  if (f.includes('S') && f.includes('.')) return dir === 'reply' ? 'SYN_RECV' : (s ?? 'SYN_SENT');
  if (f.includes('S')) return s && s !== 'CLOSE' && s !== 'TIME_WAIT' ? s : 'SYN_SENT';
  if (f.includes('F')) {
    if (s === 'ESTABLISHED') return 'FIN_WAIT';
    if (s === 'FIN_WAIT' || s === 'CLOSE_WAIT') return 'LAST_ACK';
    return s ?? 'CLOSE';
  }
  if (f.includes('.')) {
    if (s === 'SYN_RECV' && dir === 'original') return 'ESTABLISHED';
    if (s === 'LAST_ACK') return 'TIME_WAIT';
    if (s === 'FIN_WAIT' && dir === 'reply') return 'CLOSE_WAIT';
    if (s === 'SYN_SENT' && dir === 'reply') return 'ESTABLISHED';
  }
  // Without flags (a summarised exchange): established once both sides spoke.
  if (f === '' && dir === 'reply') return 'ESTABLISHED';
  if (f === '' && s === undefined) return 'SYN_SENT';
  return s ?? 'ESTABLISHED';
}

/** Updates state, flags and timeout for a packet of the connection. */
export function touchEntry(e: ConntrackEntry, dir: 'original' | 'reply', p: NfPacket, now: number): void {
  const hadReply = e.seenReply;
  if (dir === 'reply') e.seenReply = true;
  if (e.protocol === 'tcp') {
    e.tcpState = nextTcpState(e.tcpState, dir, p.tcpFlags);
    if (e.tcpState === 'ESTABLISHED' && e.seenReply) e.assured = true;
    e.expires = now + CT_TIMEOUTS.tcp[e.tcpState];
    // A RST on a connection that never became ASSURED kills the entry at once (nf_conntrack_tcp):
    // `conntrack -L` no longer lists it after a refused connection.
    if (e.tcpState === 'CLOSE' && !e.assured) e.expires = now;
  } else if (e.protocol === 'udp') {
    // UDP becomes a "stream" (ASSURED, longer timeout) when traffic follows a reply.
    if (hadReply && dir === 'original') e.assured = true;
    e.expires = now + (e.assured ? CT_TIMEOUTS.udpStream : CT_TIMEOUTS.udp);
  } else e.expires = now + (e.protocol === 'icmp' ? CT_TIMEOUTS.icmp : CT_TIMEOUTS.generic);
}

const PROTO_NUM: Readonly<Record<IpProtocol, number>> = { tcp: 6, udp: 17, icmp: 1, ipip: 4, sctp: 132 };

function renderTuple(protocol: IpProtocol, t: CtTuple): string {
  if (protocol === 'icmp') return `src=${t.src} dst=${t.dst} type=${t.icmpType ?? 0} code=${t.icmpCode ?? 0} id=${t.sport}`;
  if (protocol === 'ipip') return `src=${t.src} dst=${t.dst}`;
  return `src=${t.src} dst=${t.dst} sport=${t.sport} dport=${t.dport}`;
}

/** One `conntrack -L` line. */
export function renderConntrackEntry(e: ConntrackEntry, now: number): string {
  const name = e.protocol === 'ipip' ? 'unknown' : e.protocol;
  const parts = [`${name.padEnd(8)} ${PROTO_NUM[e.protocol]} ${Math.max(0, Math.ceil(e.expires - now))}`];
  if (e.tcpState) parts.push(e.tcpState);
  parts.push(renderTuple(e.protocol, e.orig));
  if (!e.seenReply) parts.push('[UNREPLIED]');
  parts.push(renderTuple(e.protocol, e.reply));
  if (e.assured) parts.push('[ASSURED]');
  parts.push(`mark=${e.mark}`, 'use=1');
  return parts.join(' ');
}

/**
 * `conntrack -L` (conntrack-tools v1.4.7): one line per confirmed entry, oldest first, without
 * the trailing "N flow entries have been shown." summary (conntrack prints that on stderr).
 */
export function renderConntrack(ct: ConntrackTable, now = 0): string {
  const lines: string[] = [];
  for (const e of ct.entries.values()) {
    if (!e.confirmed || e.expires <= now) continue;
    lines.push(renderConntrackEntry(e, now));
  }
  return lines.length ? `${lines.join('\n')}\n` : '';
}
