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
 *
 * Expired entries go as the kernel's go: a lookup (or NAT's tuple check) that meets one frees it
 * (nf_ct_gc_expired), and a sweep that advances a few entries per new connection frees the rest
 * (gc_worker), so the table holds about the live connections only. Time is simulated (`now`,
 * seconds) and never read from a clock: which entries are freed is a function of the packets.
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

/** What a lookup finds: the entry and the direction a packet with that tuple travels. */
export interface ConntrackHit {
  entry: ConntrackEntry;
  dir: 'original' | 'reply';
}

/**
 * One indexed form of a connection: protocol and the two (address, port) ends, as a packet of
 * that form carries them, and what a lookup of it finds (the slot is the `ConntrackHit` itself:
 * no separate record per form). Slots whose keys hash alike chain through `next`.
 */
interface IndexSlot extends ConntrackHit {
  /** `keyHash` of the key, kept for growing the bucket array. */
  hash: number;
  protocol: IpProtocol;
  src: string;
  sport: number;
  dst: string;
  dport: number;
  next: IndexSlot | undefined;
}

/** The conntrack table of one netns. */
export interface ConntrackTable {
  entries: Map<number, ConntrackEntry>;
  /**
   * The kernel's conntrack hash: every form of every entry (see `entryForms`), by a 30-bit hash of
   * (protocol, src, sport, dst, dport); slots of one hash chain. An exact-tuple map: two forms
   * are the same key only when all five fields are equal. (A string key per form, built and
   * hashed per hook, was the largest item of a trace profile at tens of thousands of entries.)
   */
  index: ConntrackIndex;
  nextId: number;
  /**
   * The time of the packet conntrack last looked up or created an entry for (the kernel's
   * nfct_time_stamp): NAT's tuple check runs within that packet's hooks and needs it to tell an
   * expired occupant from a live one.
   */
  now: number;
}

/**
 * The hash itself: chains of slots in a power-of-two bucket array indexed by the low bits of the
 * key hash, doubled when it holds more slots than buckets (a `Map` keyed by the hash cost two
 * hash-table probes per lookup, and its rehashes showed in profiles while the table grew).
 */
export interface ConntrackIndex {
  buckets: (IndexSlot | undefined)[];
  /** Slots held: one per distinct key. */
  size: number;
  /** Bumped by every change of what a key finds (see `findSlot`'s memory of its last answer). */
  gen: number;
}

const FIRST_BUCKETS = 64;

function emptyBuckets(n: number): (IndexSlot | undefined)[] {
  const b: (IndexSlot | undefined)[] = [];
  for (let i = 0; i < n; i++) b.push(undefined);
  return b;
}

/** Doubles the bucket array, relinking every slot by its hash. */
function grow(ix: ConntrackIndex): void {
  const old = ix.buckets;
  const buckets = emptyBuckets(old.length * 2);
  const mask = buckets.length - 1;
  for (let i = 0; i < old.length; i++) {
    for (let s = old[i]; s; ) {
      const next = s.next;
      const b = s.hash & mask;
      s.next = buckets[b];
      buckets[b] = s;
      s = next;
    }
  }
  ix.buckets = buckets;
}

/** An empty table. */
export function createConntrack(): ConntrackTable {
  return { entries: new Map(), index: { buckets: emptyBuckets(FIRST_BUCKETS), size: 0, gen: 0 }, nextId: 1, now: 0 };
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

const PROTO_CODE: Readonly<Record<IpProtocol, number>> = { tcp: 6, udp: 17, icmp: 1, ipip: 4, sctp: 132 };

/**
 * Each address string's hash, remembered: a table holds few distinct addresses (pods, nodes,
 * services) and every slot of every entry hashes two of them. Emptied when it grows past a bound
 * so that no run keeps every address it ever saw.
 */
const ADDRESS_HASH = new Map<string, number>();
const ADDRESS_HASH_MAX = 4096;

/**
 * The last two addresses hashed and their hashes: a key's two addresses are hashed together,
 * and the next key of the same connection (its reply form, its next hook) has the same two.
 * Compared before the map, whose lookup showed in trace profiles. ('' hashes to 0.)
 */
let hashedA = '';
let hashA = 0;
let hashedB = '';
let hashB = 0;

/** A string's hash (any string gives a number; equal strings equal numbers). */
function addressHash(s: string): number {
  if (s === hashedA) return hashA;
  if (s === hashedB) return hashB;
  let n = ADDRESS_HASH.get(s);
  if (n === undefined) {
    n = 0;
    for (let i = 0; i < s.length; i++) n = (Math.imul(n, 31) + s.charCodeAt(i)) | 0;
    if (ADDRESS_HASH.size >= ADDRESS_HASH_MAX) ADDRESS_HASH.clear();
    ADDRESS_HASH.set(s, n);
  }
  hashedB = hashedA;
  hashB = hashA;
  hashedA = s;
  hashA = n;
  return n;
}

/** The hash of a key (protocol, src, sport, dst, dport) from its addresses' hashes: a 30-bit integer. */
function mixKey(protocol: IpProtocol, srcHash: number, sport: number, dstHash: number, dport: number): number {
  let h = Math.imul(PROTO_CODE[protocol] ?? 0, 0x9e3779b1);
  h = Math.imul(h ^ srcHash, 0x85ebca6b);
  h = Math.imul(h ^ (sport | 0), 0xc2b2ae35);
  h = Math.imul(h ^ dstHash, 0x27d4eb2f);
  h = Math.imul(h ^ (dport | 0), 0x165667b1);
  return (h ^ (h >>> 15)) & 0x3fffffff;
}

/**
 * The last key looked up and what it found (a hit or a miss), for the index and generation it was
 * found in: a packet crossing a namespace is looked up at each of its hooks (PREROUTING, FORWARD,
 * POSTROUTING, or OUTPUT and POSTROUTING) with the same tuple unless NAT changed it, and each
 * lookup hashed both address strings and walked a chain.
 */
let lastIndex: ConntrackIndex | undefined;
let lastGen = 0;
let lastProtocol: IpProtocol = 'tcp';
let lastSrc = '';
let lastSport = 0;
let lastDst = '';
let lastDport = 0;
let lastHit: IndexSlot | undefined;

function findSlot(ct: ConntrackTable, protocol: IpProtocol, src: string, sport: number, dst: string, dport: number): ConntrackHit | undefined {
  const ix = ct.index;
  if (ix === lastIndex && ix.gen === lastGen && sport === lastSport && dport === lastDport && src === lastSrc && dst === lastDst && protocol === lastProtocol) return lastHit;
  const buckets = ix.buckets;
  let hit: IndexSlot | undefined;
  for (let s = buckets[mixKey(protocol, addressHash(src), sport, addressHash(dst), dport) & (buckets.length - 1)]; s; s = s.next) {
    if (s.sport === sport && s.dport === dport && s.src === src && s.dst === dst && s.protocol === protocol) {
      hit = s;
      break;
    }
  }
  lastIndex = ix;
  lastGen = ix.gen;
  lastProtocol = protocol;
  lastSrc = src;
  lastSport = sport;
  lastDst = dst;
  lastDport = dport;
  lastHit = hit;
  return hit;
}

/**
 * Sets (or overwrites) what a key finds, as `Map.set` would for one exact key; `hash` is its
 * `mixKey`. A hit handed out earlier is never changed: an overwritten key gets a new slot in place
 * of the old one.
 */
function setSlot(ct: ConntrackTable, protocol: IpProtocol, src: string, sport: number, dst: string, dport: number, hash: number, entry: ConntrackEntry, dir: 'original' | 'reply'): IndexSlot {
  const ix = ct.index;
  ix.gen++;
  const b = hash & (ix.buckets.length - 1);
  const head = ix.buckets[b];
  let prev: IndexSlot | undefined;
  for (let s = head; s; prev = s, s = s.next) {
    if (s.sport === sport && s.dport === dport && s.src === src && s.dst === dst && s.protocol === protocol) {
      const fresh: IndexSlot = { entry, dir, hash, protocol, src, sport, dst, dport, next: s.next };
      if (prev) prev.next = fresh;
      else ix.buckets[b] = fresh;
      return fresh;
    }
  }
  const slot: IndexSlot = { entry, dir, hash, protocol, src, sport, dst, dport, next: head };
  ix.buckets[b] = slot;
  if (++ix.size > ix.buckets.length) grow(ix);
  return slot;
}

/**
 * Makes `findSlot`'s memory of its last answer say that `slot`'s key finds `slot`, as a lookup
 * of it would now: the packet that created an entry is looked up again at its next hooks (FORWARD
 * and POSTROUTING, or POSTROUTING, or INPUT), and indexing the entry moved the generation on.
 */
function rememberSlot(ct: ConntrackTable, slot: IndexSlot): void {
  lastIndex = ct.index;
  lastGen = ct.index.gen;
  lastProtocol = slot.protocol;
  lastSrc = slot.src;
  lastSport = slot.sport;
  lastDst = slot.dst;
  lastDport = slot.dport;
  lastHit = slot;
}

/** Removes a key (`hash` its `mixKey`) if it still belongs to `e`. */
function deleteSlot(ct: ConntrackTable, protocol: IpProtocol, src: string, sport: number, dst: string, dport: number, hash: number, e: ConntrackEntry): void {
  const ix = ct.index;
  const b = hash & (ix.buckets.length - 1);
  let prev: IndexSlot | undefined;
  for (let s = ix.buckets[b]; s; prev = s, s = s.next) {
    if (s.sport === sport && s.dport === dport && s.src === src && s.dst === dst && s.protocol === protocol) {
      if (s.entry !== e) return;
      ix.gen++;
      if (prev) prev.next = s.next;
      else ix.buckets[b] = s.next;
      ix.size--;
      return;
    }
  }
}

/**
 * The forms a packet of a connection can have, as pairs of its four ends: 0 = (orig.src,
 * orig.sport), 1 = (orig.dst, orig.dport), 2 = (reply.src, reply.sport), 3 = (reply.dst,
 * reply.dport). In indexing order (a later form wins a clash), even positions original-direction
 * forms, odd ones reply forms:
 *   0: 0 → 2  half-NATed original      1: 2 → 0  half-NATed reply
 *   2: 3 → 2  inverse of the reply     3: 1 → 0  inverse of the original
 *   4: 0 → 1  original                 5: 2 → 3  reply
 * A packet may be seen before, between or after NAT: the forms between the two NAT manips of a
 * connection that has both (kube-proxy's NodePort and masqueraded ClusterIP traffic: DNAT in
 * PREROUTING/OUTPUT, SNAT in POSTROUTING) are an original packet after DNAT but before SNAT,
 * and a reply after un-SNAT (PREROUTING) but before un-DNAT (POSTROUTING/INPUT). The kernel
 * keeps the conntrack entry on the skb across hooks; each hook here looks it up again, so these
 * forms are indexed too. A connection without NAT has only two distinct forms (its six are the
 * original and the reply three times): `reindex` sets those two directly.
 */
const FORM_SRC: readonly number[] = [0, 2, 3, 1, 0, 2];
const FORM_DST: readonly number[] = [2, 0, 2, 0, 1, 3];

/** The four ends of the entry being (un)indexed, filled by `loadEnds` (one entry at a time: no arrays per entry). */
const endAddr: string[] = ['', '', '', ''];
const endPort: number[] = [0, 0, 0, 0];
const endHash: number[] = [0, 0, 0, 0];

function loadEnds(e: ConntrackEntry): void {
  const o = e.orig;
  const r = e.reply;
  endAddr[0] = o.src;
  endPort[0] = o.sport;
  endAddr[1] = o.dst;
  endPort[1] = o.dport;
  endAddr[2] = r.src;
  endPort[2] = r.sport;
  endAddr[3] = r.dst;
  endPort[3] = r.dport;
  for (let i = 0; i < 4; i++) endHash[i] = addressHash(endAddr[i]!);
}

/** True when two ends (indices into the loaded ends) are the same address and port. */
function sameEnd(a: number, b: number): boolean {
  return a === b || (endPort[a] === endPort[b] && endAddr[a] === endAddr[b]);
}

/** True when form `i` occurs again later: that later write is the one that sticks. */
function rewrittenLater(i: number): boolean {
  for (let j = i + 1; j < 6; j++) if (sameEnd(FORM_SRC[i]!, FORM_SRC[j]!) && sameEnd(FORM_DST[i]!, FORM_DST[j]!)) return true;
  return false;
}

/** True when the REPLY tuple is the inverse of the ORIGINAL one (no NAT): its six forms are two. */
function unNated(e: ConntrackEntry): boolean {
  const o = e.orig;
  const r = e.reply;
  return r.src === o.dst && r.dst === o.src && r.sport === o.dport && r.dport === o.sport;
}

function reindex(ct: ConntrackTable, e: ConntrackEntry): void {
  if (unNated(e)) {
    indexUnNated(ct, e);
    return;
  }
  const p = e.protocol;
  loadEnds(e);
  for (let i = 0; i < 6; i++) {
    if (rewrittenLater(i)) continue;
    const a = FORM_SRC[i]!;
    const b = FORM_DST[i]!;
    setSlot(ct, p, endAddr[a]!, endPort[a]!, endAddr[b]!, endPort[b]!, mixKey(p, endHash[a]!, endPort[a]!, endHash[b]!, endPort[b]!), e, i % 2 === 0 ? 'original' : 'reply');
  }
}

/**
 * Indexes a connection without NAT. Forms 0, 2, 4 are the original tuple, 1, 3, 5 the reply:
 * the last of each is what the six would leave (the reply's, when both are the same tuple).
 * Two addresses to hash. Returns the slot the original tuple now finds.
 */
function indexUnNated(ct: ConntrackTable, e: ConntrackEntry): IndexSlot {
  const p = e.protocol;
  const o = e.orig;
  const hs = addressHash(o.src);
  const hd = addressHash(o.dst);
  const same = o.src === o.dst && o.sport === o.dport;
  const original = same ? undefined : setSlot(ct, p, o.src, o.sport, o.dst, o.dport, mixKey(p, hs, o.sport, hd, o.dport), e, 'original');
  const reply = setSlot(ct, p, o.dst, o.dport, o.src, o.sport, mixKey(p, hd, o.dport, hs, o.sport), e, 'reply');
  return original ?? reply;
}

function unindex(ct: ConntrackTable, e: ConntrackEntry): void {
  const p = e.protocol;
  if (unNated(e)) {
    const o = e.orig;
    const hs = addressHash(o.src);
    const hd = addressHash(o.dst);
    deleteSlot(ct, p, o.src, o.sport, o.dst, o.dport, mixKey(p, hs, o.sport, hd, o.dport), e);
    deleteSlot(ct, p, o.dst, o.dport, o.src, o.sport, mixKey(p, hd, o.dport, hs, o.sport), e);
    return;
  }
  loadEnds(e);
  for (let i = 0; i < 6; i++) {
    const a = FORM_SRC[i]!;
    const b = FORM_DST[i]!;
    deleteSlot(ct, p, endAddr[a]!, endPort[a]!, endAddr[b]!, endPort[b]!, mixKey(p, endHash[a]!, endPort[a]!, endHash[b]!, endPort[b]!), e);
  }
}

/**
 * Whether an entry is gone for a packet at `now` (nf_ct_is_expired). Strictly earlier: an entry
 * killed at `now` (a RST) still serves the rest of that packet's hooks. An unconfirmed entry never
 * expires: it belongs to a packet still on its way (the kernel keeps those off the hash and frees
 * them with their packet).
 */
function expired(e: ConntrackEntry, now: number): boolean {
  return e.confirmed && e.expires < now;
}

/** The entry a packet belongs to and its direction; an expired entry met is freed first. */
export function lookupConntrack(ct: ConntrackTable, p: NfPacket, now: number): ConntrackHit | undefined {
  ct.now = now;
  // ICMP types are left out of the key: a request and its reply share the echo id.
  const id = p.icmpId ?? 0;
  const hit = p.protocol === 'icmp' ? findSlot(ct, 'icmp', p.src, id, p.dst, id) : findSlot(ct, p.protocol, p.src, p.sport ?? 0, p.dst, p.dport ?? 0);
  if (!hit) return undefined;
  if (expired(hit.entry, now)) {
    removeConntrack(ct, hit.entry);
    return undefined;
  }
  return hit;
}

/**
 * Entries the sweep looks at per new connection. More than one, so that a full pass over the
 * table ends although each new connection adds an entry to it: with k per new entry a pass gains
 * k − 1 on the table's end, and an entry that expired lingers at most about one pass.
 */
const GC_STEPS = 4;

/**
 * Where each table's sweep stands: an iterator over `entries` in insertion order (a Map iterator
 * sees entries added after it started and skips deleted ones), kept out of the table so that
 * the table stays plain data.
 */
const sweeps = new WeakMap<ConntrackTable, Iterator<ConntrackEntry>>();

/**
 * The kernel's gc_worker, driven by new connections instead of a timer: looks at the next
 * `GC_STEPS` entries and frees those expired at `now`. Amortised O(1) per new entry, and
 * deterministic; invisible to every reader, which treats an expired entry as gone already
 * (`conntrack -L` lists `expires > now` only, lookups and NAT's tuple check free what they meet).
 */
function sweep(ct: ConntrackTable, now: number): void {
  let it = sweeps.get(ct);
  for (let i = 0; i < GC_STEPS; i++) {
    if (!it) {
      if (ct.entries.size === 0) return;
      it = ct.entries.values();
      sweeps.set(ct, it);
    }
    const r = it.next();
    if (r.done) {
      // The pass ended: the next step starts another.
      it = undefined;
      sweeps.delete(ct);
      continue;
    }
    if (expired(r.value, now)) removeConntrack(ct, r.value);
  }
}

/**
 * The `nat` list of every connection without NAT: one shared, frozen empty list (nat.ts replaces
 * it on the first change) rather than an array per entry, which the table keeps for minutes.
 */
export const NO_NAT: NatChange[] = Object.freeze([]) as unknown as NatChange[];

/** A new unconfirmed entry for the first packet of a connection. */
export function createEntry(ct: ConntrackTable, p: NfPacket, now: number): ConntrackEntry {
  ct.now = now;
  sweep(ct, now);
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
    nat: NO_NAT,
    mark: 0,
    expires: now,
  };
  if (p.protocol === 'tcp') e.tcpState = 'SYN_SENT';
  ct.entries.set(e.id, e);
  // A new entry has no NAT yet (its REPLY tuple is the ORIGINAL inverted): reindex's first case.
  rememberSlot(ct, indexUnNated(ct, e));
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

/**
 * True if a connection other than `self` already uses `reply` as its reply tuple
 * (nf_conntrack_tuple_taken). An expired occupant holds nothing: it is freed on the spot, as the
 * kernel's check does (nf_ct_gc_expired), and the tuple is free. Runs within the hooks of the
 * packet that created `self`, so the table's `now` is that packet's time.
 */
export function replyTupleTaken(ct: ConntrackTable, protocol: IpProtocol, reply: CtTuple, self: ConntrackEntry): boolean {
  const hit = findSlot(ct, protocol, reply.src, reply.sport, reply.dst, reply.dport);
  if (hit === undefined || hit.entry === self || hit.dir !== 'reply') return false;
  if (expired(hit.entry, ct.now)) {
    removeConntrack(ct, hit.entry);
    return false;
  }
  return true;
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
