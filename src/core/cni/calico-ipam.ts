/**
 * calico-ipam: the IP pool is cut into blocks (/26 by default); a node claims blocks with
 * affinity and hands out every address in them (no network or broadcast reservation). Block
 * choice is random in Calico; here it comes from the seed, so it is reproducible.
 * Read first: libcalico-go lib/ipam (semantics only).
 */
import type { Cidr } from '../util/ip';
import { cidrContains, intToIpv4, ipv4ToInt, parseCidr, prefixMask, subnetAt, subnetCount } from '../util/ip';
import { createRng } from '../util/rng';
import { objectList } from '../util/object-list';

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
  /**
   * Indexes kept beside the maps above, as Calico's datastore keeps its own (blocks by affinity,
   * allocations by handle): maintained on every claim, assign and release so that a pod's ADD
   * does not scan every block and address of the cluster.
   */
  index: {
    /** Node → its blocks in claim order (the affinity map filtered by node). */
    blocks: Map<string, Cidr[]>;
    /** Handle → its addresses in assignment order. */
    handles: Map<string, string[]>;
    /** Block text → offset below which every address is allocated (a hint, never past a free one). */
    firstFree: Map<string, number>;
  };
}

export function createCalicoIpam(pool: Cidr, seed: number, blockSize = 26): CalicoIpamState {
  return { pool, blockSize: Math.max(blockSize, pool.prefix), affinity: new Map(), allocated: new Map(), borrowed: new Map(), seed, index: { blocks: new Map(), handles: new Map(), firstFree: new Map() } };
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
      const own = s.index.blocks.get(node);
      if (own) own.push(block);
      else s.index.blocks.set(node, [block]);
      return block;
    }
  }
  return null;
}

/**
 * The blocks affine to `node`, in claim order. Pushed into an objectList, not mapped: a node's
 * list is read by per-node code on every compile, and Array.prototype.map's result (holey as the
 * builtin, packed when inlined) or an empty `[]` was an array class that code had not seen.
 */
export function nodeBlocks(s: CalicoIpamState, node: string): string[] {
  const out = objectList<string>();
  const own = s.index.blocks.get(node);
  if (own) for (const b of own) out.push(b.text);
  return out;
}

/** The blocks `node` has claimed, as the IPAM holds them (read only: no list made per call). */
export function nodeBlockTexts(s: CalicoIpamState, node: string): readonly { readonly text: string }[] {
  return s.index.blocks.get(node) ?? NO_BLOCKS;
}

const NO_BLOCKS: readonly { readonly text: string }[] = [];

/** How many blocks `node` has claimed. */
export function nodeBlockCount(s: CalicoIpamState, node: string): number {
  return s.index.blocks.get(node)?.length ?? 0;
}

/** The addresses assigned to `handle` (a containerID or "tunnel:<node>"), in assignment order. */
export function handleAddresses(s: CalicoIpamState, handle: string): readonly string[] {
  return s.index.handles.get(handle) ?? [];
}

function assign(s: CalicoIpamState, ip: string, handle: string): void {
  s.allocated.set(ip, handle);
  const ips = s.index.handles.get(handle);
  if (ips) ips.push(ip);
  else s.index.handles.set(handle, [ip]);
}

/** Assigns an address to `handle` on `node`: the first free address of its blocks, claiming one if all are full. */
export function calicoAssign(s: CalicoIpamState, node: string, handle: string, requested?: string): { ip: string } | { error: string } {
  if (requested !== undefined) {
    if (!cidrContains(s.pool, ipv4ToInt(requested))) return { error: `the requested IP ${requested} is not in any IP pool (${s.pool.text})` };
    if (s.allocated.has(requested)) return { error: `the requested IP ${requested} is already in use` };
    assign(s, requested, handle);
    const inOwn = (s.index.blocks.get(node) ?? []).some((b) => cidrContains(b, ipv4ToInt(requested)));
    if (!inOwn) s.borrowed.set(requested, node);
    return { ip: requested };
  }
  for (;;) {
    for (const c of s.index.blocks.get(node) ?? []) {
      const ip = takeFree(s, c, handle);
      if (ip) return { ip };
    }
    if (!claimBlock(s, node)) break;
  }
  // No free block left to claim. Without strict affinity (Calico's default on Linux) autoAssign
  // then borrows from blocks affine to other nodes; the address is announced as a /32.
  for (const [text, owner] of s.affinity) {
    if (owner === node) continue;
    const ip = takeFree(s, parseCidr(text)!, handle);
    if (ip) {
      s.borrowed.set(ip, node);
      return { ip };
    }
  }
  // libcalico-go's PartialFulfillmentError after "No IPs available in pools: %v", wrapped by the
  // calico-ipam plugin's cmdAdd ("failed to request IPv4 addresses: %w").
  return { error: `failed to request IPv4 addresses: Assigned 0 out of 1 requested IPv4 addresses; No IPs available in pools: [${s.pool.text}]` };
}

/** Assigns the first free address of block `c` to `handle`, or undefined when the block is full. */
function takeFree(s: CalicoIpamState, c: Cidr, handle: string): string | undefined {
  const size = 2 ** (32 - c.prefix);
  // Addresses below the hint are all taken: the first free one is at or after it.
  for (let i = s.index.firstFree.get(c.text) ?? 0; i < size; i++) {
    const ip = intToIpv4(c.network + i);
    if (!s.allocated.has(ip)) {
      assign(s, ip, handle);
      s.index.firstFree.set(c.text, i + 1);
      return ip;
    }
  }
  s.index.firstFree.set(c.text, size);
  return undefined;
}

export function calicoRelease(s: CalicoIpamState, handle: string): void {
  const ips = s.index.handles.get(handle);
  if (!ips) return;
  s.index.handles.delete(handle);
  for (const ip of ips) {
    if (s.allocated.get(ip) !== handle) continue;
    s.allocated.delete(ip);
    s.borrowed.delete(ip);
    // A freed address lowers its block's hint so the next assignment finds it first.
    const n = ipv4ToInt(ip);
    const block = blockOf(s, n);
    const hint = s.index.firstFree.get(block.text);
    if (hint !== undefined && n - block.network < hint) s.index.firstFree.set(block.text, n - block.network);
  }
}

/** The pool block (`/blockSize`) that holds address `n`. */
function blockOf(s: CalicoIpamState, n: number): Cidr {
  const network = (n & prefixMask(s.blockSize)) >>> 0;
  return parseCidr(`${intToIpv4(network)}/${s.blockSize}`)!;
}
