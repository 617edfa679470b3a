/**
 * DNS messages over UDP (RFC 1035 §4): header, questions, answer/authority/additional records.
 * The packet model has no DNS structure (a payload is a length and a summary), so `DnsMessage`
 * is this layer's repr. Emitting compresses names (RFC 1035 §4.1.4) unless the message says not to;
 * parsing follows compression pointers and keeps records of unknown types as raw bytes.
 */
import { viewOf } from './bytes';
import type { NameTable } from './dns-name';
import { decodeName, encodeName } from './dns-name';
import type { DnsRecord } from './dns-rdata';
import {
  decodeRdata,
  dnsTypeCode,
  dnsTypeName,
  encodeRdata,
  formatRdata,
  recordTypeCode,
} from './dns-rdata';
import type { ParseResult, WireError } from './result';
import { needBytes } from './result';

/** Bytes of the DNS header. */
export const DNS_HEADER_LEN = 12;
/** UDP port of DNS. */
export const DNS_PORT = 53;

/** Response codes (RFC 1035 §4.1.1). */
export const DNS_RCODES = {
  noError: 0,
  formErr: 1,
  servFail: 2,
  nxDomain: 3,
  notImp: 4,
  refused: 5,
} as const;

/** A question: name, type mnemonic ("A", "SRV", or "TYPE65" style for others) and class (1 = IN). */
export interface DnsQuestion {
  name: string;
  type: string;
  class: number;
}

/** A DNS message. Flag names follow RFC 1035 / RFC 4035 (qr, aa, tc, rd, ra, ad, cd). */
export interface DnsMessage {
  id: number;
  /** True for a response (QR). */
  qr: boolean;
  opcode: number;
  /** Authoritative answer. */
  aa: boolean;
  /** Truncated. */
  tc: boolean;
  /** Recursion desired. */
  rd: boolean;
  /** Recursion available. */
  ra: boolean;
  /** Authentic data (dig sets it on queries by default). */
  ad: boolean;
  /** Checking disabled. */
  cd: boolean;
  /** 0 NOERROR, 3 NXDOMAIN …; see `DNS_RCODES`. */
  rcode: number;
  questions: DnsQuestion[];
  answers: DnsRecord[];
  authority: DnsRecord[];
  additional: DnsRecord[];
  /**
   * Whether the sender writes names with compression pointers (RFC 1035 §4.1.4). Absent: yes,
   * as BIND, glibc and most servers do. CoreDNS sends a reply that fits the client's buffer
   * uncompressed (miekg/dns Msg.Truncate sets Compress=false), so its sizes differ.
   */
  compress?: boolean;
}

/** A query for one name with the flags a stub resolver sets (RD). */
export function dnsQuery(id: number, name: string, type = 'A'): DnsMessage {
  return {
    id,
    qr: false,
    opcode: 0,
    aa: false,
    tc: false,
    rd: true,
    ra: false,
    ad: false,
    cd: false,
    rcode: 0,
    questions: [{ name, type, class: 1 }],
    answers: [],
    authority: [],
    additional: [],
  };
}

function headerFlags(m: DnsMessage): number {
  const bit = (b: boolean, shift: number): number => (b ? 1 << shift : 0);
  return (
    bit(m.qr, 15) |
    ((m.opcode & 15) << 11) |
    bit(m.aa, 10) |
    bit(m.tc, 9) |
    bit(m.rd, 8) |
    bit(m.ra, 7) |
    bit(m.ad, 5) |
    bit(m.cd, 4) |
    (m.rcode & 15)
  );
}

function emitRecord(out: number[], r: DnsRecord, table: NameTable | undefined): void {
  out.push(...encodeName(r.name, out.length, table));
  const fixed = out.length;
  out.push(0, 0, 0, 0, 0, 0, 0, 0, 0, 0); // type, class, ttl, rdlength: filled below
  const rdata = encodeRdata(r, out.length, table);
  out.push(...rdata);
  const v = [recordTypeCode(r), r.class, (r.ttl >>> 16) & 0xffff, r.ttl & 0xffff, rdata.length];
  v.forEach(
    (x, i) => ((out[fixed + 2 * i] = (x >>> 8) & 0xff), (out[fixed + 2 * i + 1] = x & 0xff)),
  );
}

/**
 * Encodes the message, with name compression unless `m.compress` is false, followed by
 * `payload` (normally empty). Counts
 * come from the arrays. WARNING: messages over 512 bytes are emitted as they are; UDP
 * truncation (TC) is the sender's decision, not this encoder's.
 */
export function emitDns(m: DnsMessage, payload: Uint8Array = new Uint8Array(0)): Uint8Array {
  const out: number[] = [];
  const counts = [m.questions.length, m.answers.length, m.authority.length, m.additional.length];
  for (const x of [m.id, headerFlags(m), ...counts]) out.push((x >>> 8) & 0xff, x & 0xff);
  // Without compression no name is remembered, so none is ever replaced by a pointer.
  const table: NameTable | undefined = m.compress === false ? undefined : new Map();
  for (const q of m.questions) {
    out.push(...encodeName(q.name, out.length, table));
    const t = dnsTypeCode(q.type);
    out.push(t >>> 8, t & 0xff, (q.class >>> 8) & 0xff, q.class & 0xff);
  }
  for (const r of [...m.answers, ...m.authority, ...m.additional]) emitRecord(out, r, table);
  const bytes = new Uint8Array(out.length + payload.length);
  bytes.set(out);
  bytes.set(payload, out.length);
  return bytes;
}

interface Cursor {
  at: number;
}

function parseQuestion(msg: Uint8Array, c: Cursor): DnsQuestion | WireError {
  const n = decodeName(msg, c.at);
  if ('reason' in n) return n;
  if (n.next + 4 > msg.length)
    return { layer: 'dns', reason: 'question truncated', offset: n.next };
  const v = viewOf(msg);
  c.at = n.next + 4;
  return { name: n.name, type: dnsTypeName(v.getUint16(n.next)), class: v.getUint16(n.next + 2) };
}

function parseRecord(msg: Uint8Array, c: Cursor): DnsRecord | WireError {
  const n = decodeName(msg, c.at);
  if ('reason' in n) return n;
  const at = n.next;
  if (at + 10 > msg.length) return { layer: 'dns', reason: 'record truncated', offset: at };
  const v = viewOf(msg);
  const len = v.getUint16(at + 8);
  if (at + 10 + len > msg.length)
    return { layer: 'dns', reason: 'rdata runs past the message', offset: at + 8 };
  const rdata = decodeRdata(msg, v.getUint16(at), at + 10, len);
  if ('reason' in rdata) return rdata;
  c.at = at + 10 + len;
  return { name: n.name, class: v.getUint16(at + 2), ttl: v.getUint32(at + 4), ...rdata };
}

function isWireError(x: object): x is WireError {
  return 'reason' in x && 'layer' in x;
}

function parseSection<T extends object>(
  msg: Uint8Array,
  c: Cursor,
  count: number,
  one: (m: Uint8Array, c: Cursor) => T | WireError,
): T[] | WireError {
  const items: T[] = [];
  for (let i = 0; i < count; i++) {
    const item = one(msg, c);
    if (isWireError(item)) return item;
    items.push(item);
  }
  return items;
}

/**
 * Reads a DNS message. `bytes` must start at the DNS header (compression offsets are relative
 * to it). `rest` is whatever follows the last record (normally empty). Fails on truncation,
 * bad names or RDATA that does not match its type.
 */
export function parseDns(bytes: Uint8Array): ParseResult<DnsMessage> {
  const short = needBytes('dns', bytes, DNS_HEADER_LEN);
  if (short) return short;
  const v = viewOf(bytes);
  const f = v.getUint16(2);
  const c: Cursor = { at: DNS_HEADER_LEN };
  const questions = parseSection(bytes, c, v.getUint16(4), parseQuestion);
  if (!Array.isArray(questions)) return { ok: false, error: questions };
  const sections: DnsRecord[][] = [];
  for (const countAt of [6, 8, 10]) {
    const s = parseSection(bytes, c, v.getUint16(countAt), parseRecord);
    if (!Array.isArray(s)) return { ok: false, error: s };
    sections.push(s);
  }
  const flag = (shift: number): boolean => ((f >> shift) & 1) === 1;
  const header: DnsMessage = {
    id: v.getUint16(0),
    qr: flag(15),
    opcode: (f >> 11) & 15,
    aa: flag(10),
    tc: flag(9),
    rd: flag(8),
    ra: flag(7),
    ad: flag(5),
    cd: flag(4),
    rcode: f & 15,
    questions,
    answers: sections[0]!,
    authority: sections[1]!,
    additional: sections[2]!,
  };
  return { ok: true, header, rest: bytes.subarray(c.at) };
}

const RCODE_NAMES = ['', 'FormErr', 'ServFail', 'NXDomain', 'NotImp', 'Refused'];

/**
 * tcpdump style (print-domain.c, not verbose). Query: "4660+ A? kubernetes.default. (36)".
 * Response: "4660*- 1/0/0 A 10.96.0.1 (52)", "4660 NXDomain*- 0/1/0 (98)". `length` is the
 * message size in bytes, if known.
 */
export function formatDns(m: DnsMessage, length?: number): string {
  const len = length === undefined ? '' : ` (${length})`;
  if (!m.qr) {
    const q = m.questions[0];
    const ar = m.additional.length > 0 ? ` [${m.additional.length}au]` : '';
    return `${m.id}${m.rd ? '+' : ''}${ar}${q ? ` ${q.type}? ${q.name}.` : ''}${len}`;
  }
  const rcode = m.rcode === 0 ? '' : ` ${RCODE_NAMES[m.rcode] ?? `Resp${m.rcode}`}`;
  const flags = `${m.aa ? '*' : ''}${m.ra ? '' : '-'}${m.tc ? '|' : ''}`;
  const answers = m.answers.map(formatRdata).join(', ');
  const counts = `${m.answers.length}/${m.authority.length}/${m.additional.length}`;
  return `${m.id}${rcode}${flags} ${counts}${answers ? ` ${answers}` : ''}${len}`;
}
