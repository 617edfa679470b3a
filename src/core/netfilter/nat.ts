/**
 * NAT bookkeeping (nf_nat_core.c): a NAT target's request becomes a change of the connection's
 * REPLY tuple (get_unique_tuple: keep the port unless the tuple is taken; `--random-fully`
 * always draws the port), and every packet of the connection is then rewritten from the entry
 * (nf_nat_packet): originals toward the NATed tuple, replies back (un-DNAT / un-SNAT).
 */
import type { Rng } from '../util/rng';
import { ipv4ToInt } from '../util/ip';
import type { ConntrackEntry, ConntrackTable, CtTuple } from './conntrack';
import { invertTuple, NO_NAT, replyTupleTaken, setReplyTuple } from './conntrack';
import type { NatRequest } from './module';
import type { NatChange, NfPacket } from './types';

/** Which side a NAT hook rewrites: destination at PREROUTING/OUTPUT, source at POSTROUTING/INPUT. */
export type ManipType = 'src' | 'dst';

function hasPorts(e: ConntrackEntry): boolean {
  return e.protocol === 'tcp' || e.protocol === 'udp';
}

/** The address of a range the kernel would pick; we take the first for determinism. */
function pickIp(req: NatRequest): string {
  return ipv4ToInt(req.minIp) <= ipv4ToInt(req.maxIp) ? req.minIp : req.maxIp;
}

/** Chooses the port of a source NAT so that no other connection has the same reply tuple. */
function pickSourcePort(ct: ConntrackTable, e: ConntrackEntry, reply: CtTuple, req: NatRequest, rng: Rng): number {
  const orig = reply.dport;
  const [lo, hi] = req.ports ?? (orig < 1024 ? [1, 1023] : [1024, 65535]);
  const free = (port: number) => !replyTupleTaken(ct, e.protocol, { ...reply, dport: port }, e);
  if (!req.randomFully && orig >= lo && orig <= hi && free(orig)) return orig;
  for (let tries = 0; tries < 128; tries++) {
    const port = rng.int(lo, hi);
    if (free(port)) return port;
  }
  for (let port = lo; port <= hi; port++) if (free(port)) return port;
  return orig;
}

/** Appends to the connection's NAT list (the shared empty `NO_NAT` is replaced, never changed). */
function recordNat(e: ConntrackEntry, change: NatChange): void {
  if (e.nat === NO_NAT) e.nat = [change];
  else e.nat.push(change);
}

/** Records the NAT a target decided for a new connection; returns the change it makes. */
export function setupNat(ct: ConntrackTable, e: ConntrackEntry, manip: ManipType, req: NatRequest, rng: Rng): NatChange {
  const ip = pickIp(req);
  const reply = { ...e.reply };
  const ports = hasPorts(e);
  if (manip === 'dst') {
    const before = { ip: reply.src, ...(ports ? { port: reply.sport } : {}) };
    reply.src = ip;
    if (ports && req.ports && (reply.sport < req.ports[0] || reply.sport > req.ports[1])) reply.sport = req.ports[0];
    setReplyTuple(ct, e, reply);
    e.dstNat = true;
    const change: NatChange = { kind: req.kind === 'REDIRECT' ? 'REDIRECT' : 'DNAT', field: 'dst', before, after: { ip, ...(ports ? { port: reply.sport } : {}) } };
    recordNat(e, change);
    return change;
  }
  const before = { ip: reply.dst, ...(ports ? { port: reply.dport } : {}) };
  reply.dst = ip;
  if (ports) reply.dport = pickSourcePort(ct, e, reply, req, rng);
  setReplyTuple(ct, e, reply);
  e.srcNat = true;
  const change: NatChange = { kind: req.kind === 'MASQUERADE' ? 'MASQUERADE' : 'SNAT', field: 'src', before, after: { ip, ...(ports ? { port: reply.dport } : {}) } };
  recordNat(e, change);
  return change;
}

/**
 * Rewrites `p` (in place) as nf_nat_packet does for this hook's manip type, and reports the
 * change, or undefined when the connection needs none here.
 */
export function applyNat(e: ConntrackEntry, dir: 'original' | 'reply', manip: ManipType, p: NfPacket): NatChange | undefined {
  // Most connections have no NAT: decide that before any work (this runs at every NAT hook).
  const wanted = dir === 'original' ? (manip === 'dst' ? e.dstNat : e.srcNat) : manip === 'dst' ? e.srcNat : e.dstNat;
  if (!wanted) return undefined;
  const ports = hasPorts(e);
  // Originals are rewritten toward the inverted REPLY tuple; replies toward the inverted ORIGINAL.
  const target = dir === 'original' ? invertTuple(e.reply) : invertTuple(e.orig);
  const field = manip;
  const before = { ip: p[field], ...(ports ? { port: (field === 'src' ? p.sport : p.dport) ?? 0 } : {}) };
  const ip = field === 'src' ? target.src : target.dst;
  const port = field === 'src' ? target.sport : target.dport;
  if (before.ip === ip && (!ports || before.port === port)) return undefined;
  p[field] = ip;
  if (ports) {
    if (field === 'src') p.sport = port;
    else p.dport = port;
  }
  const recorded = e.nat.find((n) => n.field === (dir === 'original' ? field : field === 'dst' ? 'src' : 'dst'));
  const kind: NatChange['kind'] = dir === 'reply' ? (field === 'dst' ? 'un-SNAT' : 'un-DNAT') : (recorded?.kind ?? (field === 'dst' ? 'DNAT' : 'SNAT'));
  return { kind, field, before, after: { ip, ...(ports ? { port } : {}) } };
}
