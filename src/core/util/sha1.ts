/**
 * SHA-1 (FIPS 180-4 §6.1) for short strings, written for Calico's veth names: one per pod,
 * so compile hashes thousands of 10–60 byte strings. A general-purpose hasher allocates an
 * object, buffers and a byte array per call and hex-encodes all 20 bytes; this one reuses one
 * message schedule and builds the hex digits it is asked for in one string. Names only, not
 * security (SHA-1 is what Calico uses). sha1.test.ts checks it against node:crypto.
 */

const W = new Int32Array(80);
const HEX = '0123456789abcdef';

/** The first `digits` (≤ 40) lowercase hex digits of SHA-1 of the UTF-8 bytes of `s`. */
export function sha1HexPrefix(s: string, digits = 40): string {
  const bytes = utf8(s);
  const n = bytes.length;
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
  const h = [h0, h1, h2, h3, h4];
  let out = '';
  const want = Math.max(0, Math.min(40, Math.floor(digits)));
  for (let i = 0; i < want; i++) out += HEX[(h[i >> 3]! >>> (28 - 4 * (i & 7))) & 15];
  return out;
}

/** UTF-8 bytes of `s` (lone surrogates as U+FFFD, as TextEncoder encodes them). */
function utf8(s: string): number[] {
  const out: number[] = [];
  for (let i = 0; i < s.length; i++) {
    let c = s.charCodeAt(i);
    if (c < 0x80) {
      out.push(c);
      continue;
    }
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
      const lo = s.charCodeAt(i + 1);
      if (lo >= 0xdc00 && lo <= 0xdfff) {
        c = 0x10000 + ((c - 0xd800) << 10) + (lo - 0xdc00);
        i++;
        out.push(0xf0 | (c >> 18), 0x80 | ((c >> 12) & 63), 0x80 | ((c >> 6) & 63), 0x80 | (c & 63));
        continue;
      }
    }
    if (c >= 0xd800 && c <= 0xdfff) c = 0xfffd;
    if (c < 0x800) out.push(0xc0 | (c >> 6), 0x80 | (c & 63));
    else out.push(0xe0 | (c >> 12), 0x80 | ((c >> 6) & 63), 0x80 | (c & 63));
  }
  return out;
}
