/**
 * mh: Maglev hashing (net/netfilter/ipvs/ip_vs_mh.c; Eisenbud et al., NSDI 2016, §3.4). Each
 * real server gets a permutation of the slots of a prime-sized lookup table, from an offset and
 * a skip hashed from its address and port; the servers take turns claiming their next free
 * preferred slot until the table is full. A client is scheduled to the server in the slot its
 * source address (and, with the mh-port flag, source port) hashes to. Every server ends up with
 * an almost equal share of the table, and when the set of servers changes most slots keep their
 * server, so most clients keep theirs.
 *
 * The kernel keys its two hsiphash functions with fixed constants (generate_hash_secret), not
 * with random bytes, so the table is a pure function of the real servers, their order and their
 * last weights: the model's table is the one a 64-bit kernel builds, with no seed involved, and
 * the same scenario always gives the same choices.
 */
import type { IpvsDest, IpvsService } from '../types';
import type { Scheduler } from './types';
import type { SipKey } from '../../util/siphash';
import { IPVS_SVC_F_SCHED_MH_FALLBACK, IPVS_SVC_F_SCHED_MH_PORT } from '../types';
import { hsiphashU32 } from '../../util/siphash';
import { dottedQuadToInt } from '../../util/ip';

/** IP_VS_MH_TAB_SIZE: primes[CONFIG_IP_VS_MH_TAB_INDEX - 8] with the default index 12. */
export const MH_TAB_SIZE = 4093;
/** IP_VS_MH_TAB_BITS (CONFIG_IP_VS_MH_TAB_INDEX / 2): weights above 2^6 × gcd are shifted down. */
const MH_TAB_BITS = 6;

/** generate_hash_secret: both words of each key are the same constant (unsigned long, 64-bit). */
const HASH1: SipKey = [2654435761, 0, 2654435761, 0];
const HASH2: SipKey = [2654446892, 0, 2654446892, 0];

/** The lookup table: for each slot, the index in `dests` (kernel order) of its server, -1 when empty. */
export interface MhTable {
  dests: IpvsDest[];
  slots: Int32Array;
}

/**
 * ip_vs_mh_hashkey: hsiphash of the u32 `offset + port + address` (host order, wrapping).
 * The model's IPVS is IPv4 only (kube-proxy's IPv6 proxier is not modelled); anything else
 * hashes as address 0 rather than failing.
 */
function hashKey(address: string, port: number, key: SipKey, offset: number): number {
  const addr = dottedQuadToInt(address) ?? 0;
  return hsiphashU32((offset + port + addr) >>> 0, key);
}

function gcd(a: number, b: number): number {
  while (b) [a, b] = [b, a % b];
  return a;
}

/** fls: the 1-based position of the highest set bit, 0 for 0. */
function fls(x: number): number {
  return x ? 32 - Math.clz32(x) : 0;
}

/**
 * ip_vs_mh_reassign: the gcd of the last weights (ip_vs_mh_gcd_weight), the right shift that
 * keeps the largest weight/gcd within MH_TAB_BITS bits (ip_vs_mh_shift_weight), each server's
 * offset, skip and turns (ip_vs_mh_permutate), then the table filled round by round, each server
 * claiming `turns` slots per round (ip_vs_mh_populate). Servers whose last weight is 0 claim none.
 */
export function buildMhTable(svc: IpvsService): MhTable {
  // The kernel adds each real server at the head of the service's list, and walks that list.
  const dests = [...svc.dests].reverse();
  const slots = new Int32Array(MH_TAB_SIZE).fill(-1);
  let g = 0;
  let maxWeight = 0;
  for (const d of dests) {
    if (d.lastWeight > 0) g = g > 0 ? gcd(d.lastWeight, g) : d.lastWeight;
    maxWeight = Math.max(maxWeight, d.lastWeight);
  }
  if (g < 1) return { dests, slots };
  const rshift = Math.max(0, fls(Math.floor(maxWeight / g)) - MH_TAB_BITS);
  const skip = dests.map((d) => (hashKey(d.address, d.port, HASH2, 0) % (MH_TAB_SIZE - 1)) + 1);
  const perm = dests.map((d) => hashKey(d.address, d.port, HASH1, 0) % MH_TAB_SIZE);
  const turns = dests.map((d) => Math.floor(Math.max(0, d.lastWeight) / g) >> rshift || (d.lastWeight !== 0 ? 1 : 0));
  const taken = new Uint8Array(MH_TAB_SIZE);
  let filled = 0;
  let dtCount = 0;
  for (;;) {
    for (let i = 0; i < dests.length; ) {
      if (turns[i]! < 1) {
        i++;
        continue;
      }
      let c = perm[i]!;
      while (taken[c]) {
        c += skip[i]!;
        if (c >= MH_TAB_SIZE) c -= MH_TAB_SIZE;
      }
      perm[i] = c;
      taken[c] = 1;
      slots[c] = i;
      if (++filled === MH_TAB_SIZE) return { dests, slots };
      if (++dtCount >= turns[i]!) {
        dtCount = 0;
        i++;
      }
    }
  }
}

/**
 * The table last built for a service, with what it was built from. The kernel rebuilds on every
 * real server added, removed or edited; a table here is rebuilt when the servers, their order or
 * their last weights differ from the ones it was built from, which is the same table.
 */
const TABLES = new WeakMap<IpvsService, { basis: string; table: MhTable }>();

export function mhTable(svc: IpvsService): MhTable {
  let basis = '';
  for (const d of svc.dests) basis += `${d.address}:${d.port}/${d.lastWeight} `;
  const memo = TABLES.get(svc);
  if (memo && memo.basis === basis) return memo.table;
  const table = buildMhTable(svc);
  TABLES.set(svc, { basis, table });
  return table;
}

/** A server the scheduler may pick: weight > 0 (the model has no overload thresholds). */
function available(d: IpvsDest | undefined): d is IpvsDest {
  return d !== undefined && d.weight > 0;
}

/**
 * ip_vs_mh_schedule: the slot of hash1(source address + source port if mh-port). Without
 * mh-fallback an unavailable server there (quiesced to weight 0) means no server at all; with
 * it, ip_vs_mh_get_fallback rehashes with offsets from that slot onwards until a slot holds an
 * available server (and gives up at an empty slot).
 */
export function mhSchedule(svc: IpvsService, client: string, clientPort: number): IpvsDest | undefined {
  const { dests, slots } = mhTable(svc);
  const port = svc.schedFlags & IPVS_SVC_F_SCHED_MH_PORT ? clientPort : 0;
  const ihash = hashKey(client, port, HASH1, 0) % MH_TAB_SIZE;
  const first = dests[slots[ihash]!];
  if (!first || available(first)) return first;
  if (!(svc.schedFlags & IPVS_SVC_F_SCHED_MH_FALLBACK)) return undefined;
  for (let offset = 0; offset < MH_TAB_SIZE; offset++) {
    const roffset = (offset + ihash) % MH_TAB_SIZE;
    const d = dests[slots[hashKey(client, port, HASH1, roffset) % MH_TAB_SIZE]!];
    if (!d) return undefined;
    if (available(d)) return d;
  }
  return undefined;
}

export const mh: Scheduler = (svc, { client, clientPort }) => mhSchedule(svc, client, clientPort);
