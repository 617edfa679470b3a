/**
 * Byte helpers shared by the header files: big-endian field access, address text ↔ bytes and
 * a UTF-8 encoder (the core's `lib` has no `TextEncoder`). Address encoders are total: text that
 * is not a valid address encodes as zeros, so validate addresses before they reach the wire.
 */
import type { Ipv4Address, MacAddress } from '../datapath/packet';

/** A DataView over exactly the bytes of `b` (respecting its offset into a larger buffer). */
export function viewOf(b: Uint8Array): DataView {
  return new DataView(b.buffer, b.byteOffset, b.byteLength);
}

/** Concatenates byte arrays into one new array. */
export function concatBytes(...parts: readonly Uint8Array[]): Uint8Array {
  let n = 0;
  for (const p of parts) n += p.length;
  const out = new Uint8Array(n);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** "aa:bb:cc:dd:ee:ff" → 6 bytes; anything else → six zero bytes. */
export function macToBytes(mac: MacAddress): Uint8Array {
  const parts = mac.split(':');
  const out = new Uint8Array(6);
  if (parts.length !== 6 || !parts.every((p) => /^[0-9a-fA-F]{1,2}$/.test(p))) return out;
  parts.forEach((p, i) => (out[i] = parseInt(p, 16)));
  return out;
}

/** 6 bytes at `at` → "aa:bb:cc:dd:ee:ff" (lower case, two digits per octet). */
export function bytesToMac(b: Uint8Array, at = 0): MacAddress {
  const parts: string[] = [];
  for (let i = 0; i < 6; i++) parts.push((b[at + i] ?? 0).toString(16).padStart(2, '0'));
  return parts.join(':');
}

/** Dotted quad → 4 bytes; anything that is not four octets 0–255 → four zero bytes. */
export function ipv4ToBytes(ip: Ipv4Address): Uint8Array {
  const parts = ip.split('.');
  const out = new Uint8Array(4);
  if (parts.length !== 4 || !parts.every((p) => /^\d{1,3}$/.test(p) && Number(p) <= 255))
    return out;
  parts.forEach((p, i) => (out[i] = Number(p)));
  return out;
}

/** 4 bytes at `at` → dotted quad. */
export function bytesToIpv4(b: Uint8Array, at = 0): Ipv4Address {
  return `${b[at] ?? 0}.${b[at + 1] ?? 0}.${b[at + 2] ?? 0}.${b[at + 3] ?? 0}`;
}

/** UTF-8 encoding of `s` (lone surrogates become U+FFFD, as `TextEncoder` does). */
export function utf8Encode(s: string): Uint8Array {
  const out: number[] = [];
  for (const ch of s) {
    let c = ch.codePointAt(0) ?? 0xfffd;
    if (c >= 0xd800 && c <= 0xdfff) c = 0xfffd;
    if (c < 0x80) out.push(c);
    else if (c < 0x800) out.push(0xc0 | (c >> 6), 0x80 | (c & 63));
    else if (c < 0x10000) out.push(0xe0 | (c >> 12), 0x80 | ((c >> 6) & 63), 0x80 | (c & 63));
    else
      out.push(0xf0 | (c >> 18), 0x80 | ((c >> 12) & 63), 0x80 | ((c >> 6) & 63), 0x80 | (c & 63));
  }
  return Uint8Array.from(out);
}

/** Lower-case hex of `b`, no separators (the format of `fixtures/frames/*.hex`). */
export function toHex(b: Uint8Array): string {
  let s = '';
  for (const x of b) s += x.toString(16).padStart(2, '0');
  return s;
}

/** Hex text (whitespace and `#` comment lines ignored) → bytes; null when not valid hex. */
export function fromHex(text: string): Uint8Array | null {
  const hex = text
    .split('\n')
    .filter((l) => !l.trimStart().startsWith('#'))
    .join('')
    .replace(/\s+/g, '');
  if (hex.length % 2 !== 0 || !/^[0-9a-fA-F]*$/.test(hex)) return null;
  const out = new Uint8Array(hex.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(hex.slice(2 * i, 2 * i + 2), 16);
  return out;
}
