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

/**
 * A sfc32 generator from four 32-bit words of state. A class with the state in fields rather than
 * closures over four variables: every flow makes one (three closures and their context were a
 * visible part of trace profiles), and a field written with a new number keeps its box where a
 * closure variable takes a new one per step.
 */
class Sfc32 implements Rng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  constructor(a: number, b: number, c: number, d: number) {
    this.a = a;
    this.b = b;
    this.c = c;
    this.d = d;
    // Discard the first outputs: sfc32 needs a few rounds to mix a weak seed.
    for (let i = 0; i < 12; i++) this.u32();
  }

  u32(): number {
    const a = this.a >>> 0;
    const b = this.b >>> 0;
    const c = this.c >>> 0;
    const d = (this.d + 1) | 0;
    let t = (a + b) | 0;
    t = (t + d) | 0;
    this.a = b ^ (b >>> 9);
    this.b = (c + (c << 3)) | 0;
    this.c = (((c << 21) | (c >>> 11)) + t) | 0;
    this.d = d;
    return t >>> 0;
  }

  next(): number {
    return this.u32() / 4294967296;
  }

  int(min: number, max: number): number {
    return min + Math.floor((this.u32() / 4294967296) * (max - min + 1));
  }
}

/** A generator for `seed`, optionally forked by labels so independent uses never share a stream. */
export function createRng(seed: number, ...labels: (string | number)[]): Rng {
  // The labels joined by '\0', hashed as they come (no joined key): hashString(key, …) under three
  // seeds, in one pass (every traced flow derives a generator from its labels).
  const s = seed >>> 0;
  let a = (s ^ 0x9e3779b9) >>> 0;
  let b = (s + 0x85ebca6b) >>> 0;
  let c = (s ^ 0xc2b2ae35) >>> 0;
  for (let k = 0; k < labels.length; k++) {
    if (k > 0) {
      a = Math.imul(a, 0x01000193) >>> 0; // the '\0' separator (x ^ 0 = x)
      b = Math.imul(b, 0x01000193) >>> 0;
      c = Math.imul(c, 0x01000193) >>> 0;
    }
    const l = labels[k];
    // Array.prototype.join's text of a label: '' for null and undefined, String(l) otherwise.
    const text = typeof l === 'string' ? l : l == null ? '' : String(l);
    for (let i = 0; i < text.length; i++) {
      const ch = text.charCodeAt(i);
      a = Math.imul(a ^ ch, 0x01000193) >>> 0;
      b = Math.imul(b ^ ch, 0x01000193) >>> 0;
      c = Math.imul(c ^ ch, 0x01000193) >>> 0;
    }
  }
  return new Sfc32(a, b, c, s);
}

/** `n` lowercase hex digits derived deterministically from the labels. */
export function hexId(seed: number, n: number, ...labels: (string | number)[]): string {
  // The same stream as createRng(seed, 'hex', ...labels), drawn without a generator object,
  // and the digits made into one string at once: compile derives three ids per pod.
  labelStream(seed, 'hex', labels);
  return hexDigits(n > 0 ? Math.floor(n) : 0, NO_DASHES);
}

/**
 * hexId's digits with a `-` after each group of `groups` (8-4-4-4-12 gives a UUID's layout):
 * the same string as slicing hexId(seed, sum of groups, ...labels) and joining with dashes.
 */
export function hexIdGrouped(seed: number, groups: readonly number[], ...labels: (string | number)[]): string {
  labelStream(seed, 'hex', labels);
  let n = 0;
  for (const g of groups) n += g;
  return hexDigits(n, groups);
}

/** A locally administered unicast MAC (second hex digit 2, 6, a or e), as random Linux MACs are. */
export function macFor(seed: number, ...labels: (string | number)[]): string {
  labelStream(seed, 'mac', labels);
  // rng.int(0, 255) of the generator is floor(u32 / 2^32 * 256), i.e. the top byte.
  const codes = charCodes(17);
  for (let i = 0; i < 6; i++) {
    let b = streamU32() >>> 24;
    if (i === 0) b = (b & 0xfe) | 0x02;
    codes[i * 3] = HEX_CODE[b >>> 4]!;
    codes[i * 3 + 1] = HEX_CODE[b & 15]!;
    if (i < 5) codes[i * 3 + 2] = 58; // ':'
  }
  return String.fromCharCode.apply(null, codes);
}

const HEX_CODE: readonly number[] = Array.from('0123456789abcdef', (c) => c.charCodeAt(0));
const NO_DASHES: readonly number[] = [];

/** Reused char-code buffers by length (one string is built from a buffer before the next is filled). */
const CODE_BUFFERS: number[][] = [];

function charCodes(length: number): number[] {
  let b = CODE_BUFFERS[length];
  if (!b) CODE_BUFFERS[length] = b = new Array<number>(length).fill(0);
  return b;
}

/** `n` hex digits of the current stream (8 per u32, most significant first), dashes between `groups`. */
function hexDigits(n: number, groups: readonly number[]): string {
  const dashes = groups.length > 1 ? groups.length - 1 : 0;
  const codes = charCodes(n + dashes);
  let g = 0;
  let left = groups.length > 1 ? groups[0]! : -1;
  let w = 0;
  for (let i = 0, at = 0; i < n; i++) {
    if ((i & 7) === 0) w = streamU32();
    if (left === 0) {
      codes[at++] = 45; // '-'
      left = groups[++g]!;
    }
    codes[at++] = HEX_CODE[(w >>> (28 - 4 * (i & 7))) & 15]!;
    left--;
  }
  return String.fromCharCode.apply(null, codes);
}

/**
 * One shared sfc32 state for hexId and macFor, which draw all they need before returning (no
 * generator object, no closure, no joined key per call). Seeded exactly as createRng seeds
 * sfc32 for (seed, first, ...rest), so the numbers are the same. A typed array rather than
 * module variables: 32-bit words there would be boxed numbers, one allocation per step.
 */
const S = new Uint32Array(4);

function labelStream(seed: number, first: string, rest: readonly (string | number)[]): void {
  const s = seed >>> 0;
  let a = (s ^ 0x9e3779b9) >>> 0;
  let b = (s + 0x85ebca6b) >>> 0;
  let c = (s ^ 0xc2b2ae35) >>> 0;
  // FNV-1a of first + ('\0' + label)… under three seeds: the bytes createRng hashes after join.
  for (let k = -1; k < rest.length; k++) {
    let text: string;
    if (k < 0) text = first;
    else {
      a = Math.imul(a, 0x01000193) >>> 0; // the '\0' separator (x ^ 0 = x)
      b = Math.imul(b, 0x01000193) >>> 0;
      c = Math.imul(c, 0x01000193) >>> 0;
      const l = rest[k];
      text = typeof l === 'string' ? l : l == null ? '' : String(l);
    }
    for (let i = 0; i < text.length; i++) {
      const ch = text.charCodeAt(i);
      a = Math.imul(a ^ ch, 0x01000193) >>> 0;
      b = Math.imul(b ^ ch, 0x01000193) >>> 0;
      c = Math.imul(c ^ ch, 0x01000193) >>> 0;
    }
  }
  S[0] = a;
  S[1] = b;
  S[2] = c;
  S[3] = s;
  for (let i = 0; i < 12; i++) streamU32();
}

/** sfc32's step on the shared state (the same arithmetic as `Sfc32.u32` above; the array keeps words unsigned). */
function streamU32(): number {
  const a = S[0]!;
  const b = S[1]!;
  const c = S[2]!;
  const d = (S[3]! + 1) | 0;
  let t = (a + b) | 0;
  t = (t + d) | 0;
  S[0] = b ^ (b >>> 9);
  S[1] = (c + (c << 3)) | 0;
  S[2] = (((c << 21) | (c >>> 11)) + t) | 0;
  S[3] = d;
  return t >>> 0;
}
