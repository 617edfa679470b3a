/**
 * DNS record types and their RDATA (RFC 1035 §3.3–3.4, RFC 3596 AAAA, RFC 2782 SRV). Types the
 * model reads (A, AAAA, CNAME, NS, PTR, SRV, SOA) are structured; every other type (OPT, TXT,
 * HTTPS …) is kept as raw bytes so parsing a real message never fails on an unknown record.
 */
import { bytesToIpv4, ipv4ToBytes, viewOf } from './bytes';
import type { NameTable } from './dns-name';
import { decodeName, encodeName } from './dns-name';
import type { WireError } from './result';

const TYPE_CODES: Record<string, number> = {
  A: 1,
  NS: 2,
  CNAME: 5,
  SOA: 6,
  PTR: 12,
  MX: 15,
  TXT: 16,
  AAAA: 28,
  SRV: 33,
  OPT: 41,
  HTTPS: 65,
  ANY: 255,
};
const TYPE_NAMES = new Map(Object.entries(TYPE_CODES).map(([k, v]) => [v, k]));

/** Type mnemonic → code; "TYPE123" (RFC 3597) → 123; anything else → 0. */
export function dnsTypeCode(type: string): number {
  const known = TYPE_CODES[type.toUpperCase()];
  if (known !== undefined) return known;
  const m = /^TYPE(\d{1,5})$/i.exec(type);
  return m ? Number(m[1]) & 0xffff : 0;
}

/** Type code → mnemonic, or "TYPE123" for codes without one. */
export function dnsTypeName(code: number): string {
  return TYPE_NAMES.get(code) ?? `TYPE${code}`;
}

/** Fields every resource record has. `class` is 1 (IN) for the cluster zone. */
export interface DnsRecordBase {
  /** Owner name, without the trailing dot. */
  name: string;
  class: number;
  ttl: number;
}

/** RDATA the model reads, keyed by `type`; `OTHER` keeps any other type's bytes verbatim. */
export type DnsRdata =
  | { type: 'A'; address: string }
  | { type: 'AAAA'; address: string }
  | { type: 'CNAME' | 'NS' | 'PTR'; target: string }
  | { type: 'SRV'; priority: number; weight: number; port: number; target: string }
  | {
      type: 'SOA';
      mname: string;
      rname: string;
      serial: number;
      refresh: number;
      retry: number;
      expire: number;
      minimum: number;
    }
  | { type: 'OTHER'; typeCode: number; data: Uint8Array };

/** A resource record: owner, class, TTL and typed RDATA. */
export type DnsRecord = DnsRecordBase & DnsRdata;

/** The wire type code of a record. */
export function recordTypeCode(r: DnsRdata): number {
  return r.type === 'OTHER' ? r.typeCode : dnsTypeCode(r.type);
}

/** IPv6 text (with "::" and optional embedded IPv4) → 16 bytes; invalid text → zeros. */
export function ipv6ToBytes(text: string): Uint8Array {
  const out = new Uint8Array(16);
  let s = text;
  const v4 = /(\d+\.\d+\.\d+\.\d+)$/.exec(s);
  if (v4) {
    const b = ipv4ToBytes(v4[1]!);
    s =
      s.slice(0, -v4[1]!.length) +
      `${((b[0]! << 8) | b[1]!).toString(16)}:${((b[2]! << 8) | b[3]!).toString(16)}`;
  }
  const halves = s.split('::');
  if (halves.length > 2) return out;
  const head = halves[0] ? halves[0].split(':') : [];
  const tail = halves.length === 2 && halves[1] ? halves[1].split(':') : [];
  const fill = 8 - head.length - tail.length;
  if ((halves.length === 1 && fill !== 0) || fill < 0) return out;
  const groups = [...head, ...Array<string>(fill).fill('0'), ...tail];
  if (!groups.every((g) => /^[0-9a-fA-F]{1,4}$/.test(g))) return new Uint8Array(16);
  groups.forEach((g, i) => viewOf(out).setUint16(2 * i, parseInt(g, 16)));
  return out;
}

/** 16 bytes → RFC 5952 text: lower case, longest run (≥ 2) of zero groups as "::". */
export function bytesToIpv6(b: Uint8Array, at = 0): string {
  const groups: number[] = [];
  for (let i = 0; i < 8; i++) groups.push(((b[at + 2 * i] ?? 0) << 8) | (b[at + 2 * i + 1] ?? 0));
  let best = -1;
  let bestLen = 1;
  for (let i = 0; i < 8;) {
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLen) [best, bestLen] = [i, j - i];
    i = j === i ? i + 1 : j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (best < 0) return hex.join(':');
  return `${hex.slice(0, best).join(':')}::${hex.slice(best + bestLen).join(':')}`;
}

function u16(n: number): number[] {
  return [(n >>> 8) & 0xff, n & 0xff];
}

function u32(n: number): number[] {
  return [(n >>> 24) & 0xff, (n >>> 16) & 0xff, (n >>> 8) & 0xff, n & 0xff];
}

/**
 * Encodes RDATA starting at message offset `at`. Names in CNAME/NS/PTR/SOA may be compressed
 * (RFC 1035 §4.1.4); SRV targets never are (RFC 2782).
 */
export function encodeRdata(r: DnsRdata, at: number, table?: NameTable): number[] {
  switch (r.type) {
    case 'A':
      return [...ipv4ToBytes(r.address)];
    case 'AAAA':
      return [...ipv6ToBytes(r.address)];
    case 'CNAME':
    case 'NS':
    case 'PTR':
      return encodeName(r.target, at, table);
    case 'SRV':
      return [
        ...u16(r.priority),
        ...u16(r.weight),
        ...u16(r.port),
        ...encodeName(r.target, at + 6),
      ];
    case 'SOA': {
      const mname = encodeName(r.mname, at, table);
      const rname = encodeName(r.rname, at + mname.length, table);
      return [
        ...mname,
        ...rname,
        ...[r.serial, r.refresh, r.retry, r.expire, r.minimum].flatMap(u32),
      ];
    }
    case 'OTHER':
      return [...r.data];
  }
}

type Bad = (reason: string) => WireError;

function decodeSrv(msg: Uint8Array, at: number, end: number, bad: Bad): DnsRdata | WireError {
  if (end - at < 7) return bad(`length ${end - at}, below 7`);
  const t = decodeName(msg, at + 6);
  if ('reason' in t) return t;
  if (t.next !== end) return bad('target does not fill the rdata');
  const v = viewOf(msg);
  const [priority, weight, port] = [v.getUint16(at), v.getUint16(at + 2), v.getUint16(at + 4)];
  return { type: 'SRV', priority, weight, port, target: t.name };
}

function decodeSoa(msg: Uint8Array, at: number, end: number, bad: Bad): DnsRdata | WireError {
  const m = decodeName(msg, at);
  if ('reason' in m) return m;
  const r = decodeName(msg, m.next);
  if ('reason' in r) return r;
  if (r.next + 20 !== end) return bad('fields do not fill the rdata');
  const v = viewOf(msg);
  const n = (i: number): number => v.getUint32(r.next + 4 * i);
  const [serial, refresh, retry, expire, minimum] = [n(0), n(1), n(2), n(3), n(4)];
  return { type: 'SOA', mname: m.name, rname: r.name, serial, refresh, retry, expire, minimum };
}

/** Decodes the RDATA of type `code` at `msg[at .. at+len)`; fails if it does not fill exactly. */
export function decodeRdata(
  msg: Uint8Array,
  code: number,
  at: number,
  len: number,
): DnsRdata | WireError {
  const end = at + len;
  const type = dnsTypeName(code);
  const bad: Bad = (reason) => ({ layer: 'dns', reason: `${type} rdata: ${reason}`, offset: at });
  if (type === 'A')
    return len === 4 ? { type, address: bytesToIpv4(msg, at) } : bad(`length ${len}, not 4`);
  if (type === 'AAAA')
    return len === 16 ? { type, address: bytesToIpv6(msg, at) } : bad(`length ${len}, not 16`);
  if (type === 'CNAME' || type === 'NS' || type === 'PTR') {
    const t = decodeName(msg, at);
    if ('reason' in t) return t;
    return t.next === end ? { type, target: t.name } : bad('name does not fill the rdata');
  }
  if (type === 'SRV') return decodeSrv(msg, at, end, bad);
  if (type === 'SOA') return decodeSoa(msg, at, end, bad);
  return { type: 'OTHER', typeCode: code, data: msg.slice(at, end) };
}

/** Presentation of the RDATA as tcpdump prints an answer: "A 10.96.0.1", "SRV x.:53 0 100". */
export function formatRdata(r: DnsRdata): string {
  switch (r.type) {
    case 'A':
    case 'AAAA':
      return `${r.type} ${r.address}`;
    case 'CNAME':
    case 'NS':
    case 'PTR':
      return `${r.type} ${r.target}.`;
    case 'SRV':
      return `SRV ${r.target}.:${r.port} ${r.priority} ${r.weight}`;
    case 'SOA':
      return `SOA ${r.mname}. ${r.rname}. ${r.serial} ${r.refresh} ${r.retry} ${r.expire} ${r.minimum}`;
    case 'OTHER':
      return dnsTypeName(r.typeCode);
  }
}
