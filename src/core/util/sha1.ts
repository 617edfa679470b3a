/**
 * SHA-1 (FIPS 180-4 §6.1) for short strings, written for Calico's veth names: one per pod,
 * so compile hashes thousands of 10–60 byte strings. A general-purpose hasher allocates an
 * object, buffers and a byte array per call and hex-encodes all 20 bytes; this one reuses one
 * message schedule, one byte buffer and one list of digit codes per length, so the only thing
 * a call allocates is the hex string it returns (building it a digit at a time made a string
 * per digit, and the bytes a growing list, all garbage). Names only, not security (SHA-1 is
 * what Calico uses). sha1.test.ts checks it against node:crypto.
 */

const W = new Int32Array(80);
/** Character codes of the hex digits 0–f. */
const HEX_CODE = Array.from('0123456789abcdef', (c) => c.charCodeAt(0));
/** The UTF-8 bytes of the string being hashed; grown (never shrunk) for a longer one. */
let BYTES = new Uint8Array(256);
/**
 * One reused list of character codes per digit count (0–40), filled and handed to
 * String.fromCharCode whole: a packed list of small integers is passed as the arguments
 * without a copy, and each list keeps its length so it stays packed.
 */
const DIGIT_CODES: number[][] = [];

/** The first `digits` (≤ 40) lowercase hex digits of SHA-1 of the UTF-8 bytes of `s`. */
export function sha1HexPrefix(s: string, digits = 40): string {
  const n = utf8(s);
  const bytes = BYTES;
  // Message + 0x80 + zeros + 64-bit big-endian bit length, in 64-byte blocks.
  const blocks = Math.ceil((n + 9) / 64);
  const total = blocks * 64;
  let h0 = 0x67452301;
  let h1 = 0xefcdab89 | 0;
  let h2 = 0x98badcfe | 0;
  let h3 = 0x10325476;
  let h4 = 0xc3d2e1f0 | 0;
  for (let b = 0; b < blocks; b++) {
    for (let t = 0; t < 16; t++) {
      let word = 0;
      for (let k = 0; k < 4; k++) {
        const i = b * 64 + t * 4 + k;
        let byte: number;
        if (i < n) byte = bytes[i]!;
        else if (i === n) byte = 0x80;
        else if (i >= total - 4) byte = ((n * 8) >>> (8 * (total - 1 - i))) & 0xff;
        else if (i >= total - 8) byte = (Math.floor(n / 0x20000000) >>> (8 * (total - 5 - i))) & 0xff;
        else byte = 0;
        word = (word << 8) | byte;
      }
      W[t] = word;
    }
    for (let t = 16; t < 80; t++) {
      const x = W[t - 3]! ^ W[t - 8]! ^ W[t - 14]! ^ W[t - 16]!;
      W[t] = (x << 1) | (x >>> 31);
    }
    let a = h0;
    let bb = h1;
    let c = h2;
    let d = h3;
    let e = h4;
    for (let t = 0; t < 80; t++) {
      let f: number;
      let k: number;
      if (t < 20) {
        f = (bb & c) | (~bb & d);
        k = 0x5a827999;
      } else if (t < 40) {
        f = bb ^ c ^ d;
        k = 0x6ed9eba1;
      } else if (t < 60) {
        f = (bb & c) | (bb & d) | (c & d);
        k = 0x8f1bbcdc | 0;
      } else {
        f = bb ^ c ^ d;
        k = 0xca62c1d6 | 0;
      }
      const temp = (((a << 5) | (a >>> 27)) + f + e + k + W[t]!) | 0;
      e = d;
      d = c;
      c = (bb << 30) | (bb >>> 2);
      bb = a;
      a = temp;
    }
    h0 = (h0 + a) | 0;
    h1 = (h1 + bb) | 0;
    h2 = (h2 + c) | 0;
    h3 = (h3 + d) | 0;
    h4 = (h4 + e) | 0;
  }
  const want = Math.max(0, Math.min(40, Math.floor(digits)));
  const codes = (DIGIT_CODES[want] ??= new Array<number>(want).fill(0));
  for (let i = 0; i < want; i++) {
    const word = i < 8 ? h0 : i < 16 ? h1 : i < 24 ? h2 : i < 32 ? h3 : h4;
    codes[i] = HEX_CODE[(word >>> (28 - 4 * (i & 7))) & 15]!;
  }
  return String.fromCharCode.apply(null, codes);
}

/**
 * Writes the UTF-8 bytes of `s` (lone surrogates as U+FFFD, as TextEncoder encodes them) into
 * BYTES and returns how many there are.
 */
function utf8(s: string): number {
  // At most 3 bytes per UTF-16 unit (a surrogate pair is 4 bytes for 2 units).
  if (BYTES.length < s.length * 3) BYTES = new Uint8Array(s.length * 3);
  const out = BYTES;
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    let c = s.charCodeAt(i);
    if (c < 0x80) {
      out[n++] = c;
      continue;
    }
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
      const lo = s.charCodeAt(i + 1);
      if (lo >= 0xdc00 && lo <= 0xdfff) {
        c = 0x10000 + ((c - 0xd800) << 10) + (lo - 0xdc00);
        i++;
        out[n++] = 0xf0 | (c >> 18);
        out[n++] = 0x80 | ((c >> 12) & 63);
        out[n++] = 0x80 | ((c >> 6) & 63);
        out[n++] = 0x80 | (c & 63);
        continue;
      }
    }
    if (c >= 0xd800 && c <= 0xdfff) c = 0xfffd;
    if (c < 0x800) {
      out[n++] = 0xc0 | (c >> 6);
      out[n++] = 0x80 | (c & 63);
    } else {
      out[n++] = 0xe0 | (c >> 12);
      out[n++] = 0x80 | ((c >> 6) & 63);
      out[n++] = 0x80 | (c & 63);
    }
  }
  return n;
}
