/**
 * DNS domain names on the wire (RFC 1035 §3.1, §4.1.4). Names are held as text without the
 * trailing dot ("kubernetes.default.svc.cluster.local"; the root is ""), in presentation format:
 * a dot or backslash inside a label is escaped as "\." or "\\", other bytes outside printable
 * ASCII as "\DDD". Emitting can compress against earlier names; parsing follows pointers.
 */
import { utf8Encode } from './bytes';
import type { WireError } from './result';

/** Names already written in a message, for compression: lower-cased suffix → offset. */
export type NameTable = Map<string, number>;

/**
 * Splits presentation text into label byte strings. Empty labels are dropped (so "." and ""
 * are the root and "a.b." is "a.b"), labels over 63 bytes are cut to 63, and characters outside
 * ASCII become their UTF-8 bytes.
 */
export function nameToLabels(name: string): Uint8Array[] {
  const chars = Array.from(name);
  const labels: number[][] = [];
  let cur: number[] = [];
  for (let i = 0; i < chars.length; i++) {
    const c = chars[i]!;
    const ddd = chars.slice(i + 1, i + 4).join('');
    if (c === '.') {
      labels.push(cur);
      cur = [];
    } else if (c === '\\' && /^\d{3}$/.test(ddd)) {
      cur.push(Number(ddd) & 0xff);
      i += 3;
    } else if (c === '\\' && i + 1 < chars.length) {
      cur.push(...utf8Encode(chars[++i]!));
    } else cur.push(...utf8Encode(c));
  }
  labels.push(cur);
  return labels.filter((l) => l.length > 0).map((l) => Uint8Array.from(l.slice(0, 63)));
}

/** One label's bytes in presentation format. */
function labelToText(b: Uint8Array): string {
  let s = '';
  for (const x of b) {
    if (x === 0x2e || x === 0x5c) s += `\\${String.fromCharCode(x)}`;
    else if (x > 0x20 && x < 0x7f) s += String.fromCharCode(x);
    else s += `\\${String(x).padStart(3, '0')}`;
  }
  return s;
}

/**
 * Appends `name` at offset `at` of the message being built. With a `table`, reuses the longest
 * suffix already written (a pointer) and records the new suffixes.
 */
export function encodeName(name: string, at: number, table?: NameTable): number[] {
  const labels = nameToLabels(name);
  const texts = labels.map(labelToText);
  const out: number[] = [];
  for (let i = 0; i < labels.length; i++) {
    const suffix = texts.slice(i).join('.').toLowerCase();
    const seen = table?.get(suffix);
    if (seen !== undefined) {
      out.push(0xc0 | (seen >> 8), seen & 0xff);
      return out;
    }
    const offset = at + out.length;
    if (table && offset < 0x4000) table.set(suffix, offset);
    out.push(labels[i]!.length, ...labels[i]!);
  }
  out.push(0);
  return out;
}

/** A decoded name and the offset just after it in the message (after the first pointer, if any). */
export interface DecodedName {
  name: string;
  next: number;
}

/**
 * Reads the name at `at` in `msg`, following compression pointers. A pointer must point
 * before itself (so loops are impossible); names over 255 bytes fail.
 */
export function decodeName(msg: Uint8Array, at: number): DecodedName | WireError {
  const labels: string[] = [];
  let pos = at;
  let next = -1;
  let wireLength = 1;
  for (;;) {
    const len = msg[pos];
    if (len === undefined)
      return { layer: 'dns', reason: 'name runs past the message', offset: pos };
    if (len === 0) break;
    if ((len & 0xc0) === 0xc0) {
      const lo = msg[pos + 1];
      if (lo === undefined)
        return { layer: 'dns', reason: 'truncated compression pointer', offset: pos };
      const target = ((len & 0x3f) << 8) | lo;
      if (target >= pos)
        return { layer: 'dns', reason: 'compression pointer does not point back', offset: pos };
      if (next < 0) next = pos + 2;
      pos = target;
      continue;
    }
    if ((len & 0xc0) !== 0)
      return { layer: 'dns', reason: `reserved label type 0x${len.toString(16)}`, offset: pos };
    if (pos + 1 + len > msg.length)
      return { layer: 'dns', reason: 'label runs past the message', offset: pos };
    wireLength += len + 1;
    if (wireLength > 255) return { layer: 'dns', reason: 'name longer than 255 bytes', offset: at };
    labels.push(labelToText(msg.subarray(pos + 1, pos + 1 + len)));
    pos += 1 + len;
  }
  return { name: labels.join('.'), next: next < 0 ? pos + 1 : next };
}
