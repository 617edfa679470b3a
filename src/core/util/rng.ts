/**
 * The only source of randomness in the core (STYLE §2). A small, fast, seedable PRNG
 * (sfc32) plus string hashing for deriving independent, reproducible sub-streams:
 * `forkRng(seed, "flow", 3)` gives the same numbers in the browser, the CLI and the tests.
 */

export interface Rng {
  /** A float in [0, 1). */
  next(): number;
  /** An integer in [min, max] inclusive. */
  int(min: number, max: number): number;
  /** A 32-bit unsigned integer. */
  u32(): number;
}

/** FNV-1a over a string: a cheap, stable 32-bit hash for seeding and names. */
export function hashString(s: string, seed = 0x811c9dc5): number {
  let h = seed >>> 0;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

/** Creates a sfc32 generator from four 32-bit words of state. */
function sfc32(a: number, b: number, c: number, d: number): Rng {
  const u32 = (): number => {
    a >>>= 0;
    b >>>= 0;
    c >>>= 0;
    d >>>= 0;
    let t = (a + b) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    d = (d + 1) | 0;
    t = (t + d) | 0;
    c = (c + t) | 0;
    return t >>> 0;
  };
  // Discard the first outputs: sfc32 needs a few rounds to mix a weak seed.
  for (let i = 0; i < 12; i++) u32();
  return {
    u32,
    next: () => u32() / 4294967296,
    int: (min, max) => min + Math.floor((u32() / 4294967296) * (max - min + 1)),
  };
}

/** A generator for `seed`, optionally forked by labels so independent uses never share a stream. */
export function createRng(seed: number, ...labels: (string | number)[]): Rng {
  const key = labels.join('\u0000');
  const s = seed >>> 0;
  // hashString(key, …) under three seeds, in one pass over the key (compile derives a few
  // generators per pod for names and MACs).
  let a = (s ^ 0x9e3779b9) >>> 0;
  let b = (s + 0x85ebca6b) >>> 0;
  let c = (s ^ 0xc2b2ae35) >>> 0;
  for (let i = 0; i < key.length; i++) {
    const ch = key.charCodeAt(i);
    a = Math.imul(a ^ ch, 0x01000193) >>> 0;
    b = Math.imul(b ^ ch, 0x01000193) >>> 0;
    c = Math.imul(c ^ ch, 0x01000193) >>> 0;
  }
  return sfc32(a, b, c, s);
}

/** `n` lowercase hex digits derived deterministically from the labels. */
export function hexId(seed: number, n: number, ...labels: (string | number)[]): string {
  const rng = createRng(seed, 'hex', ...labels);
  let out = '';
  while (out.length < n) out += rng.u32().toString(16).padStart(8, '0');
  return out.slice(0, n);
}

/** A locally administered unicast MAC (second hex digit 2, 6, a or e), as random Linux MACs are. */
export function macFor(seed: number, ...labels: (string | number)[]): string {
  const rng = createRng(seed, 'mac', ...labels);
  let out = '';
  for (let i = 0; i < 6; i++) {
    let b = rng.int(0, 255);
    if (i === 0) b = (b & 0xfe) | 0x02;
    out += (i ? ':' : '') + (b < 16 ? '0' : '') + b.toString(16);
  }
  return out;
}
