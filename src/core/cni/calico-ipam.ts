/**
 * calico-ipam: the IP pool is cut into blocks (/26 by default); a node claims blocks with
 * affinity and hands out every address in them (no network or broadcast reservation). Block
 * choice is random in Calico; here it comes from the seed, so it is reproducible.
 * Read first: libcalico-go lib/ipam (semantics only).
 */
import type { Cidr } from '../util/ip';
import { cidrContains, intToIpv4, ipv4ToInt, subnetAt, subnetCount } from '../util/ip';
import { createRng } from '../util/rng';

export interface CalicoIpamState {
  pool: Cidr;
  blockSize: number;
  /** Block CIDR text → owning node. */
  affinity: Map<string, string>;
  /** Address → handle (containerID or "tunnel:<node>"). */
  allocated: Map<string, string>;
  /** Addresses outside their node's blocks (pinned with `cni.projectcalico.org/ipAddrs`) → node. */
  borrowed: Map<string, string>;
  seed: number;
}

export function createCalicoIpam(pool: Cidr, seed: number, blockSize = 26): CalicoIpamState {
  return { pool, blockSize: Math.max(blockSize, pool.prefix), affinity: new Map(), allocated: new Map(), borrowed: new Map(), seed };
}

/** Claims a new free block for `node` (seeded choice); null when the pool is exhausted. */
export function claimBlock(s: CalicoIpamState, node: string): Cidr | null {
  const count = subnetCount(s.pool, s.blockSize);
  const rng = createRng(s.seed, 'calico-block', node, s.affinity.size);
  const start = rng.int(0, count - 1);
  for (let i = 0; i < count; i++) {
    const block = subnetAt(s.pool, s.blockSize, (start + i) % count);
    if (block && !s.affinity.has(block.text)) {
      s.affinity.set(block.text, node);
      return block;
    }
  }
  return null;
}

/** The blocks affine to `node`, in claim order. */
export function nodeBlocks(s: CalicoIpamState, node: string): string[] {
  return [...s.affinity].filter(([, n]) => n === node).map(([b]) => b);
}

/** Assigns an address to `handle` on `node`: the first free address of its blocks, claiming one if all are full. */
export function calicoAssign(s: CalicoIpamState, node: string, handle: string, requested?: string): { ip: string } | { error: string } {
  if (requested !== undefined) {
    if (!cidrContains(s.pool, ipv4ToInt(requested))) return { error: `the requested IP ${requested} is not in any IP pool (${s.pool.text})` };
    if (s.allocated.has(requested)) return { error: `the requested IP ${requested} is already in use` };
    s.allocated.set(requested, handle);
    const inOwn = nodeBlocks(s, node).some((b) => cidrContains(parseBlock(b), ipv4ToInt(requested)));
    if (!inOwn) s.borrowed.set(requested, node);
    return { ip: requested };
  }
  for (;;) {
    for (const b of nodeBlocks(s, node)) {
      const c = parseBlock(b);
      const size = 2 ** (32 - c.prefix);
      for (let i = 0; i < size; i++) {
        const ip = intToIpv4(c.network + i);
        if (!s.allocated.has(ip)) {
          s.allocated.set(ip, handle);
          return { ip };
        }
      }
    }
    if (!claimBlock(s, node)) return { error: `no more free affine blocks and no free addresses in pool ${s.pool.text}` };
  }
}

export function calicoRelease(s: CalicoIpamState, handle: string): void {
  for (const [ip, h] of s.allocated)
    if (h === handle) {
      s.allocated.delete(ip);
      s.borrowed.delete(ip);
    }
}

function parseBlock(text: string): Cidr {
  const [a, p] = text.split('/');
  const prefix = Number(p);
  return { text, network: ipv4ToInt(a!), prefix, mask: prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0 };
}
