/**
 * SipHash as the Linux kernel defines it (lib/siphash.c): `siphash` is SipHash-2-4, and on
 * 64-bit kernels `hsiphash` — "HalfSipHash" by name — is SipHash-1-3 on 64-bit words whose
 * result is cut to 32 bits (the kernel chose the full-width rounds there for speed; only 32-bit
 * kernels run the real HalfSipHash). The model is an x86_64 kernel, so it has the 64-bit one.
 * IPVS's Maglev scheduler (ip_vs_mh.c) hashes with hsiphash, which is why this exists.
 *
 * JavaScript has no unsigned 64-bit integers outside BigInt, and BigInt arithmetic allocates, so
 * each 64-bit word is kept as two unsigned 32-bit halves in a typed array.
 */

/** A 128-bit key as the kernel's two little-endian 64-bit words: [k0 low, k0 high, k1 low, k1 high]. */
export type SipKey = readonly [number, number, number, number];

/** The key the kernel reads from 16 bytes (`siphash_key_t` filled from memory, little-endian words). */
export function sipKeyFromBytes(bytes: ArrayLike<number>): SipKey {
  const w = (i: number) => ((bytes[i]! | (bytes[i + 1]! << 8) | (bytes[i + 2]! << 16) | (bytes[i + 3]! << 24)) >>> 0);
  return [w(0), w(4), w(8), w(12)];
}

/** v0..v3 as [low, high] pairs: V[0],V[1] = v0; V[2],V[3] = v1; V[4],V[5] = v2; V[6],V[7] = v3. */
const V = new Uint32Array(8);

/** V[a] += V[b] (64-bit, wrapping). */
function add(a: number, b: number): void {
  const lo = (V[a]! + V[b]!) >>> 0;
  const carry = lo < V[a]! ? 1 : 0;
  V[a + 1] = (V[a + 1]! + V[b + 1]! + carry) >>> 0;
  V[a] = lo;
}

/** V[a] = rol64(V[a], n), 0 < n < 32. */
function rol(a: number, n: number): void {
  const lo = V[a]!;
  const hi = V[a + 1]!;
  V[a] = ((lo << n) | (hi >>> (32 - n))) >>> 0;
  V[a + 1] = ((hi << n) | (lo >>> (32 - n))) >>> 0;
}

/** V[a] = rol64(V[a], 32): the halves swap. */
function swap(a: number): void {
  const lo = V[a]!;
  V[a] = V[a + 1]!;
  V[a + 1] = lo;
}

/** V[a] ^= V[b]. */
function xor(a: number, b: number): void {
  V[a] = (V[a]! ^ V[b]!) >>> 0;
  V[a + 1] = (V[a + 1]! ^ V[b + 1]!) >>> 0;
}

const V0 = 0;
const V1 = 2;
const V2 = 4;
const V3 = 6;

/** SIPROUND. */
function round(): void {
  add(V0, V1); rol(V1, 13); xor(V1, V0); swap(V0);
  add(V2, V3); rol(V3, 16); xor(V3, V2);
  add(V0, V3); rol(V3, 21); xor(V3, V0);
  add(V2, V1); rol(V1, 17); xor(V1, V2); swap(V2);
}

/** v3 ^= m; c rounds; v0 ^= m (one message word). */
function compress(lo: number, hi: number, c: number): void {
  V[V3] = (V[V3]! ^ lo) >>> 0;
  V[V3 + 1] = (V[V3 + 1]! ^ hi) >>> 0;
  for (let i = 0; i < c; i++) round();
  V[V0] = (V[V0]! ^ lo) >>> 0;
  V[V0 + 1] = (V[V0 + 1]! ^ hi) >>> 0;
}

/**
 * SipHash-c-d of `data` under `key`, leaving v0^v1^v2^v3 in OUT as [low, high]: the
 * PREAMBLE, one compression per full 8-byte little-endian word, the tail bytes with the length
 * in the top byte, then the finalisation (v2 ^= 0xff and d rounds).
 */
const OUT = new Uint32Array(2);

function sip(data: ArrayLike<number>, key: SipKey, c: number, d: number): void {
  // "somepseudorandomlygeneratedbytes", the constants every SipHash starts from.
  V[V0] = 0x70736575 ^ key[0]; V[V0 + 1] = 0x736f6d65 ^ key[1];
  V[V1] = 0x6e646f6d ^ key[2]; V[V1 + 1] = 0x646f7261 ^ key[3];
  V[V2] = 0x6e657261 ^ key[0]; V[V2 + 1] = 0x6c796765 ^ key[1];
  V[V3] = 0x79746573 ^ key[2]; V[V3 + 1] = 0x74656462 ^ key[3];
  const len = data.length;
  const full = len - (len % 8);
  const word = (i: number) => (data[i]! | (data[i + 1]! << 8) | (data[i + 2]! << 16) | (data[i + 3]! << 24)) >>> 0;
  for (let i = 0; i < full; i += 8) compress(word(i), word(i + 4), c);
  // b = len << 56 | the remaining bytes, little-endian.
  let bLo = 0;
  let bHi = (len & 0xff) << 24;
  for (let i = full; i < len; i++) {
    const shift = (i - full) * 8;
    if (shift < 32) bLo |= data[i]! << shift;
    else bHi |= data[i]! << (shift - 32);
  }
  compress(bLo >>> 0, bHi >>> 0, c);
  V[V2] = (V[V2]! ^ 0xff) >>> 0;
  for (let i = 0; i < d; i++) round();
  OUT[0] = V[V0]! ^ V[V1]! ^ V[V2]! ^ V[V3]!;
  OUT[1] = V[V0 + 1]! ^ V[V1 + 1]! ^ V[V2 + 1]! ^ V[V3 + 1]!;
}

/** The kernel's `siphash()` (SipHash-2-4), the 64-bit result as a BigInt. */
export function siphash(data: ArrayLike<number>, key: SipKey): bigint {
  sip(data, key, 2, 4);
  return (BigInt(OUT[1]!) << 32n) | BigInt(OUT[0]!);
}

/** The kernel's `hsiphash()` on a 64-bit machine: SipHash-1-3, the low 32 bits of the result. */
export function hsiphash(data: ArrayLike<number>, key: SipKey): number {
  sip(data, key, 1, 3);
  return OUT[0]!;
}

const WORD = new Uint8Array(4);

/** hsiphash of one u32 laid out in memory little-endian (x86), as `hsiphash(&v, sizeof(v), key)` reads it. */
export function hsiphashU32(v: number, key: SipKey): number {
  WORD[0] = v & 0xff;
  WORD[1] = (v >>> 8) & 0xff;
  WORD[2] = (v >>> 16) & 0xff;
  WORD[3] = (v >>> 24) & 0xff;
  return hsiphash(WORD, key);
}
