/**
 * BIND 9.18's three DNS tools, each query walked as a flow to the nameserver (resolver.ts
 * `queryDns`: UDP to port 53, or TCP, another port, another class when asked) and answered by
 * whoever receives it (CoreDNS from the cluster zone, forwarding other names upstream):
 * - `dig [@SERVER] [NAME] [TYPE] [CLASS] [-t TYPE] [-c CLASS] [-q NAME] [-x ADDR] [-p PORT] [+[no]tcp] [+OPT…]`
 *   (dig.c parse_args: a token that is a known type or class is one; `-x` asks PTR of the
 *   reverse name; no search list unless `+search`), printing the reply as dig's message text
 *   (masterdump.c columns) or, with `+short`, the answer's RDATA;
 * - `nslookup [-type=T] [-class=C] [-port=P] [-[no]vc] NAME [SERVER]` (nslookup.c: search list; an address asks PTR; without a
 *   type, A then AAAA of the name that answered; "*** Can't find …: No answer" for NODATA);
 * - `host [-vaTUl] [-t T] [-c C] [-p P] NAME [SERVER]` (host.c: "has address", "has SRV record",
 *   "domain name pointer", "has no AAAA record"; without a type, A then AAAA and MX; `-v` the
 *   whole reply; `-l` a zone transfer).
 * Only NXDOMAIN moves a search on (dighost.c next_origin). Zone transfers and ANY (dig 9.18)
 * go over TCP; CoreDNS refuses transfers. A reply whose records' class is not the question's
 * (CoreDNS answers a CH question about a cluster name with IN records) is "malformed" to dig
 * and a bad packet to host and nslookup. A UDP reply cut to the client's buffer (TC: dig
 * advertises EDNS 1232 unless `+noedns`, host and nslookup send no OPT record so 512) is asked
 * again over TCP (dighost.c recv_done; `+ignore` keeps it): dig and nslookup say
 * ";; Truncated, retrying in TCP mode.", host does not (its comments are off).
 * `+trace` asks for the root's NS set, then stops where dig does when no root server's address
 * resolves (the simulated internet has none). Not modelled: `+nssearch`, each try being its own
 * flow (one flow stands for all of them).
 */
import type { Command, ShellContext, ShellResult } from './types';
import type { Flow } from '../trace/types';
import type { DnsRecord } from '../wire/dns-rdata';
import type { DnsMessage } from '../wire/dns';
import type { ToolAnswer } from './resolver';
import { queryDns, resolveName } from './resolver';
import { formatTimestamp } from './tcpdump-format';
import { err } from './output';
import { dnsTypeName, ipv6ToBytes } from '../wire/dns-rdata';
import { emitDns } from '../wire/dns';
import { isIPv4 } from '../util/ip';
import { createRng } from '../util/rng';
import type { OptRecord } from '../dns/edns';
import { EDNS_OPTION, optOf, optOptions, withoutOpt } from '../dns/edns';

const DIG_VERSION = 'DiG 9.18.49-1~deb12u3-Debian';
const DIG_USAGE = 'Usage:  dig [@global-server] [domain] [q-type] [q-class] {q-opt}\n            {global-d-opt} host [@local-server] {local-d-opt}\n            [ host [@local-server] {local-d-opt} [...]]\n\nUse "dig -h" (or "dig -h | more") for complete list of options\n';
const HOST_USAGE = 'Usage: host [-aCdilrTvVw] [-c class] [-N ndots] [-t type] [-W time]\n            [-R number] [-m flag] [-p port] hostname [server]\n';

/**
 * The type mnemonics BIND knows (lib/dns rdatatype), with their codes: a dig token that is one
 * of these is a type, not a name. Types the wire layer has no name for are asked as `TYPEnnn`.
 */
const TYPES: Record<string, number> = {
  A: 1, NS: 2, MD: 3, MF: 4, CNAME: 5, SOA: 6, MB: 7, MG: 8, MR: 9, NULL: 10, WKS: 11, PTR: 12, HINFO: 13, MINFO: 14, MX: 15, TXT: 16, RP: 17, AFSDB: 18,
  X25: 19, ISDN: 20, RT: 21, NSAP: 22, 'NSAP-PTR': 23, SIG: 24, KEY: 25, PX: 26, GPOS: 27, AAAA: 28, LOC: 29, NXT: 30, SRV: 33, NAPTR: 35, KX: 36, CERT: 37,
  A6: 38, DNAME: 39, OPT: 41, APL: 42, DS: 43, SSHFP: 44, IPSECKEY: 45, RRSIG: 46, NSEC: 47, DNSKEY: 48, DHCID: 49, NSEC3: 50, NSEC3PARAM: 51, TLSA: 52,
  SMIMEA: 53, HIP: 55, CDS: 59, CDNSKEY: 60, OPENPGPKEY: 61, CSYNC: 62, ZONEMD: 63, SVCB: 64, HTTPS: 65, SPF: 99, TKEY: 249, TSIG: 250, IXFR: 251,
  AXFR: 252, MAILB: 253, MAILA: 254, ANY: 255, URI: 256, CAA: 257,
};
/** Types the wire layer encodes by name; any other is asked as `TYPEnnn`. */
const WIRE_TYPES = new Set(['A', 'NS', 'CNAME', 'SOA', 'PTR', 'MX', 'TXT', 'AAAA', 'SRV', 'OPT', 'HTTPS', 'ANY']);
/** Class mnemonics (lib/dns rdataclass) and their codes. */
const CLASS_CODES: Record<string, number> = { IN: 1, CH: 3, CHAOS: 3, HS: 4, HESIOD: 4, NONE: 254, ANY: 255 };
const CLASSES = new Set(Object.keys(CLASS_CODES));
const CLASS_NAMES: Record<number, string> = { 1: 'IN', 3: 'CH', 4: 'HS', 254: 'NONE', 255: 'ANY' };

function className(code: number): string {
  return CLASS_NAMES[code] ?? `CLASS${code}`;
}

/**
 * True when the parser rejects the reply (lib/dns message.c getsection: a record whose class is
 * not the question's is FORMERR unless the question's class is ANY). CoreDNS's kubernetes
 * plugin answers a CH question about a cluster name with IN records, so dig says "malformed".
 */
function classMismatch(m: DnsMessage): boolean {
  const qclass = m.questions[0]?.class ?? 1;
  // The OPT record's CLASS is its UDP size, not a class (RFC 6891 §6.1.2).
  return qclass !== 255 && [...m.answers, ...m.authority, ...withoutOpt(m.additional)].some((r) => r.class !== qclass);
}

/** dighost.c hex_dump: the reply's bytes, 16 a line, with the printable ones ('!'…'}') beside them. */
function hexDump(bytes: Uint8Array): string {
  let s = `${bytes.length} bytes\n`;
  const printable = (b: number) => (b >= 0x21 && b <= 0x7d ? String.fromCharCode(b) : '.');
  for (let i = 0; i < bytes.length; i += 16) {
    const row = [...bytes.slice(i, i + 16)];
    s += `${row.map((b) => `${b.toString(16).padStart(2, '0')} `).join('')}${'   '.repeat(16 - row.length)}         ${row.map(printable).join('')}\n`;
  }
  return s;
}

/** What host and nslookup print for a reply their parser rejects (no best-effort parse, unlike dig). */
function badPacket(m: DnsMessage): string {
  return `;; Got bad packet: FORMERR\n${hexDump(emitDns(m))}`;
}

/** BIND's parse_uint for a port: the number, or the text it prints (isc_parse_uint32, ISC_R_RANGE). */
function parsePort(value: string): number | string {
  if (!/^\d+$/.test(value)) return `invalid port number '${value}': not a valid number`;
  const n = Number(value);
  return n > 65535 ? `invalid port number '${value}': out of range` : n;
}

/** The mnemonic for a type token (`srv` → `SRV`, `TYPE257` → `CAA`), or undefined when it is not a type. */
function parseType(token: string): string | undefined {
  const up = token.toUpperCase();
  if (TYPES[up] !== undefined) return up;
  const m = /^TYPE(\d{1,5})$/.exec(up);
  if (!m || Number(m[1]) > 65535) return undefined;
  const name = Object.keys(TYPES).find((k) => TYPES[k] === Number(m[1]));
  return name ?? `TYPE${Number(m[1])}`;
}

function wireType(type: string): string {
  return WIRE_TYPES.has(type) || type.startsWith('TYPE') ? type : `TYPE${TYPES[type]}`;
}

/** What a record's type is called in text. */
function typeName(r: DnsRecord): string {
  return r.type === 'OTHER' ? dnsTypeName(r.typeCode) : r.type;
}

function absolute(name: string): string {
  return name === '' || name === '.' ? '.' : name.endsWith('.') ? name : `${name}.`;
}

/** A name as dns_name_format prints it: no trailing dot, the root as `.`. */
function formatName(name: string): string {
  return name === '' || name === '.' ? '.' : name.replace(/\.$/, '');
}

/** RDATA in presentation format (RFC 1035 §5.1; RFC 3597 `\#` for types without one here). */
function rdataText(r: DnsRecord): string {
  switch (r.type) {
    case 'A':
    case 'AAAA':
      return r.address;
    case 'CNAME':
    case 'NS':
    case 'PTR':
      return absolute(r.target);
    case 'SRV':
      return `${r.priority} ${r.weight} ${r.port} ${absolute(r.target)}`;
    case 'SOA':
      return `${absolute(r.mname)} ${absolute(r.rname)} ${r.serial} ${r.refresh} ${r.retry} ${r.expire} ${r.minimum}`;
    case 'OTHER':
      return r.typeCode === 16 ? txtStrings(r.data) : `\\# ${r.data.length}${r.data.length ? ` ${[...r.data].map((b) => b.toString(16).padStart(2, '0').toUpperCase()).join('')}` : ''}`;
  }
}

function txtStrings(data: Uint8Array): string {
  const parts: string[] = [];
  for (let i = 0; i < data.length;) {
    const len = data[i]!;
    parts.push(`"${String.fromCharCode(...data.slice(i + 1, i + 1 + len)).replace(/["\\]/g, '\\$&')}"`);
    i += 1 + len;
  }
  return parts.join(' ');
}

/** masterdump.c `indent`: tabs (width 8) to column `to`, at least one tab or space past `from`. */
function indent(from: number, to: number): [string, number] {
  const target = Math.max(to, from + 1);
  const tabs = Math.floor(target / 8) - Math.floor(from / 8);
  if (tabs > 0) return ['\t'.repeat(tabs) + ' '.repeat(target % 8), target];
  return [' '.repeat(target - from), target];
}

/** Fields laid out at dig's columns (owner, then TTL 24, class 32, type 40, RDATA 48). */
function columns(fields: [string, number][], first: string): string {
  let s = first;
  let col = first.length;
  for (const [text, at] of fields) {
    const [pad, c] = indent(col, at);
    s += pad + text;
    col = c + text.length;
  }
  return s;
}

/** A record as dig prints it. */
function digRecord(r: DnsRecord): string {
  return `${columns([[String(r.ttl), 24], [className(r.class), 32], [typeName(r), 40], [rdataText(r), 48]], absolute(r.name))}\n`;
}

/** A question as dig prints it (the `;` is outside the columns: class 32, type 40). */
function digQuestion(name: string, type: string, qclass = 1): string {
  return `;${columns([[className(qclass), 32], [type, 40]], absolute(name))}\n`;
}

/** IPv4 labels reversed (dig.c get_reverse, not strict: any dotted text) or IPv6 nibbles. */
function reverseName(addr: string, strict: boolean): string | undefined {
  if (addr.includes(':')) {
    const b = ipv6ToBytes(addr);
    if (b.every((x) => x === 0) && !/^[0:]+$/.test(addr.replace(/::/, ':'))) return undefined;
    return `${[...b].reverse().flatMap((x) => [(x & 0xf).toString(16), (x >> 4).toString(16)]).join('.')}.ip6.arpa.`;
  }
  if (strict && !isIPv4(addr)) return undefined;
  return `${addr.split('.').reverse().join('.')}.in-addr.arpa.`;
}

/** Why dns_name_fromtext refuses `name` (dighost.c: "'NAME' is not a legal name (REASON)"), or undefined. */
function illegalName(name: string): string | undefined {
  if (name === '.') return undefined;
  const labels = name.replace(/\.$/, '').split('.');
  if (labels.some((l) => l === '')) return 'empty label';
  if (labels.some((l) => l.length > 63)) return 'label too long';
  if (labels.reduce((n, l) => n + l.length + 1, 1) > 255) return 'ran out of space';
  return undefined;
}

/**
 * What the tools print when no reply came, once per try (dighost.c): over UDP "communications
 * error" lines (the caller adds "no servers could be reached"); over TCP a failed connection,
 * each followed by "no servers could be reached" (tcp_connected, then next_lookup).
 */
function communicationsErrors(a: ToolAnswer, n: number, name = a.qname): string {
  const why = a.failure ?? 'timed out';
  if (a.tcp) return `;; Connection to ${a.server}#${a.port}(${a.server}) for ${name} failed: ${why}.\n;; no servers could be reached\n`.repeat(n);
  return `;; communications error to ${a.server}#${a.port}: ${why}\n`.repeat(n);
}

/** A server given by name is looked up first, as the tools do (getaddrinfo); null when it does not resolve. */
function serverAddress(ctx: ShellContext, server: string | undefined): string | undefined | null {
  if (server === undefined || isIPv4(server)) return server;
  return resolveName(ctx, server).addresses[0] ?? null;
}

function flowsOf(answers: ToolAnswer[]): Flow[] {
  return answers.flatMap((a) => a.flows);
}

// ---------------------------------------------------------------- dig

interface DigLookup {
  name: string;
  type?: string;
  class?: string;
  /** `+[no]tcp`/`+[no]vc` as given for this lookup (dig.c tcp_mode_set). */
  tcp?: boolean;
  /** `+noedns`: no OPT record (unless `+bufsize` asks for one); dig sends EDNS by default. */
  noEdns?: boolean;
  /** `+bufsize=N`: the UDP size the OPT record advertises (default 1232). */
  bufsize?: number;
  /** `+ignore`: a truncated reply is printed instead of being asked again over TCP. */
  ignore?: boolean;
  /** `+nocookie`: no COOKIE option in the OPT record (dig sends one by default). */
  noCookie?: boolean;
  /** `+noadflag`: AD clear in the query (dig sets it by default). */
  noAd?: boolean;
}

/** dig's EDNS UDP size (DEFAULT_EDNS_BUFSIZE in BIND 9.18, the DNS flag day 2020 value). */
const DIG_EDNS_SIZE = 1232;

/** The UDP size this lookup's OPT record advertises, or undefined when it sends none (dighost.c setup_lookup). */
function ednsSizeOf(l: DigLookup): number | undefined {
  return l.bufsize ?? (l.noEdns ? undefined : DIG_EDNS_SIZE);
}

interface DigOptions {
  /** `@server` as typed (dig prints it in the SERVER line). */
  server?: string;
  /** Its address, once looked up. */
  address?: string;
  lookups: DigLookup[];
  short: boolean;
  search: boolean;
  cmd: boolean;
  comments: boolean;
  question: boolean;
  answer: boolean;
  authority: boolean;
  additional: boolean;
  stats: boolean;
  warnings: string;
  /** `-p PORT`. */
  port: number;
  /** `+trace`: walk the delegations down from the root servers. */
  trace: boolean;
}

/** dig's other `+[no]OPT` switches: accepted, without effect on what the simulation shows (transport, EDNS, DNSSEC, layout). */
const IGNORED_PLUS = new Set(['recurse', 'time', 'tries', 'retry', 'ttlid', 'identify', 'multiline', 'aaflag', 'cdflag', 'dnssec', 'nsid', 'ndots', 'nssearch', 'besteffort', 'class', 'crypto', 'rrcomments', 'ttlunits', 'expandaaaa', 'onesoa', 'qr', 'fail', 'idnin', 'idnout', 'keepopen', 'padding', 'qid', 'raflag', 'rdflag', 'showsearch', 'split', 'subnet', 'tcflag', 'unknownformat', 'zflag', 'header-only', 'opcode', 'mapped', 'expire', 'keepalive', 'showbadcookie']);

/** `+[no]OPT`: the display and transport switches dig.c plus_option knows; false when `opt` is not a dig option. */
function plusOption(o: DigOptions, lookup: DigLookup, opt: string): boolean {
  const on = !opt.startsWith('no');
  const name = (on ? opt : opt.slice(2)).split('=')[0]!;
  switch (name) {
    case 'tcp':
    case 'vc':
      lookup.tcp = on;
      return true;
    case 'edns':
      lookup.noEdns = !on;
      return true;
    case 'bufsize': {
      // dig.c: +nobufsize is invalid; a bare +bufsize is the default size; else 0–65535.
      const value = opt.split('=')[1];
      if (!on || (value !== undefined && !/^\d+$/.test(value)) || Number(value) > 65535) return false;
      lookup.bufsize = value === undefined ? DIG_EDNS_SIZE : Number(value);
      return true;
    }
    case 'ignore':
      lookup.ignore = on;
      return true;
    case 'cookie':
      lookup.noCookie = !on;
      return true;
    case 'adflag':
    case 'ad':
      lookup.noAd = !on;
      return true;
    case 'short':
      o.short = on;
      if (on) Object.assign(o, { cmd: false, comments: false, question: false, authority: false, additional: false, stats: false, answer: true });
      return true;
    case 'all':
      Object.assign(o, { cmd: on, comments: on, question: on, answer: on, authority: on, additional: on, stats: on });
      return true;
    case 'trace':
      o.trace = on;
      return true;
    case 'search':
    case 'defname':
      o.search = on;
      return true;
    case 'cmd':
    case 'comments':
    case 'question':
    case 'answer':
    case 'authority':
    case 'additional':
    case 'stats':
      o[name] = on;
      return true;
    default:
      return IGNORED_PLUS.has(name);
  }
}

/**
 * dig.c parse_args, for the options the simulation can honour. As in dig, the first name uses
 * the default lookup itself, so a type given before or right after it is inherited by the names
 * that follow; later names are clones of it, a type after them theirs alone.
 */
function parseDig(args: string[]): DigOptions | ShellResult {
  const o: DigOptions = { lookups: [], short: false, search: false, cmd: true, comments: true, question: true, answer: true, authority: true, additional: true, stats: true, warnings: '', port: 53, trace: false };
  const defaults: DigLookup = { name: '' };
  let current = defaults;
  // `-t`/`-c` close the door on bare type/class tokens (dig.c open_type_class).
  let openTypeClass = true;
  const setType = (t: string) => {
    if (current.type !== undefined) o.warnings += ';; Warning, extra type option\n';
    current.type = t;
  };
  const setClass = (c: string) => {
    if (current.class !== undefined) o.warnings += ';; Warning, extra class option\n';
    current.class = c;
  };
  const addLookup = (name: string) => {
    current = o.lookups.length ? { ...defaults, name } : Object.assign(defaults, { name });
    o.lookups.push(current);
  };
  for (let i = 0; i < args.length; i++) {
    const w = args[i]!;
    const asType = openTypeClass ? parseType(w) : undefined;
    if (w.startsWith('@')) o.server = w.slice(1);
    else if (w.startsWith('+')) {
      if (!plusOption(o, current, w.slice(1))) return err(`Invalid option: ${w}\n${DIG_USAGE}`, 1);
    } else if (w.startsWith('-') && w.length > 1) {
      const flag = w[1]!;
      if (flag === 'h' && w.length === 2) return { stdout: digCommand.help, stderr: '', exitCode: 0 };
      if ('46dimnrRuv'.includes(flag) && w.length === 2) continue;
      if (!'tcqxpbfky'.includes(flag)) return err(`Invalid option: ${w}\n${DIG_USAGE}`, 1);
      const value = w.length > 2 ? w.slice(2) : args[++i];
      if (value === undefined) return err(`Invalid option: ${w}\n${DIG_USAGE}`, 1);
      if (flag === 't') {
        openTypeClass = false;
        const t = parseType(value);
        if (t) setType(t);
        else o.warnings += `;; Warning, ignoring invalid type ${value}\n`;
      } else if (flag === 'c') {
        openTypeClass = false;
        if (CLASSES.has(value.toUpperCase())) setClass(value.toUpperCase());
        else o.warnings += `;; Warning, ignoring invalid class ${value}\n`;
      } else if (flag === 'p') {
        const port = parsePort(value);
        if (typeof port === 'string') return { stdout: `${port}\n`, stderr: "dig: Couldn't parse port number\n", exitCode: 1 };
        o.port = port;
      } else if (flag === 'q') addLookup(value);
      else if (flag === 'x') {
        const rev = reverseName(value, false);
        if (!rev) return err(`Invalid IP address ${value}`, 1);
        addLookup(rev);
        current.type ??= 'PTR';
      }
    } else if (asType) setType(asType);
    else if (openTypeClass && CLASSES.has(w.toUpperCase())) setClass(w.toUpperCase());
    else addLookup(w);
  }
  // No name at all: the root's NS, whatever type was given (dig.c parse_args).
  if (!o.lookups.length) o.lookups.push(Object.assign(defaults, { name: '.', type: 'NS' }));
  return o;
}

function digGreeting(o: DigOptions, args: string[]): string {
  if (!o.cmd) return '';
  return `\n; <<>> ${DIG_VERSION} <<>> ${args.join(' ')}\n${o.server ? '; (1 server found)\n' : ''};; global options: +cmd\n`;
}

const RCODES = ['NOERROR', 'FORMERR', 'SERVFAIL', 'NXDOMAIN', 'NOTIMP', 'REFUSED', 'YXDOMAIN', 'YXRRSET', 'NXRRSET', 'NOTAUTH', 'NOTZONE'];

function rcodeText(rcode: number): string {
  return RCODES[rcode] ?? `RESERVED${rcode}`;
}

/** dig's text of one reply (dig.c printmessage, message.c sectiontotext). */
function digMessage(ctx: ShellContext, o: DigOptions, a: ToolAnswer, m: DnsMessage, type: string, cookie: Uint8Array | undefined): string {
  if (o.short) return m.answers.map((r) => `${rdataText(r)}\n`).join('');
  let s = '';
  const q = m.questions[0];
  const qname = q ? q.name : a.qname;
  const qclass = q?.class ?? 1;
  if (o.comments) {
    s += ';; Got answer:\n';
    if (/(^|\.)local\.?$/i.test(qname)) s += ';; WARNING: .local is reserved for Multicast DNS\n;; You are currently testing what happens when an mDNS query is leaked to DNS\n';
    const flags = ['qr', m.aa && 'aa', m.tc && 'tc', m.rd && 'rd', m.ra && 'ra', m.ad && 'ad', m.cd && 'cd'].filter(Boolean).join(' ');
    // The OPT record counts as an additional record (CoreDNS echoes the query's: request.SizeAndDo).
    s += `;; ->>HEADER<<- opcode: QUERY, status: ${rcodeText(m.rcode)}, id: ${m.id}\n;; flags: ${flags}; QUERY: 1, ANSWER: ${m.answers.length}, AUTHORITY: ${m.authority.length}, ADDITIONAL: ${m.additional.length}\n`;
    if (m.rd && !m.ra) s += ';; WARNING: recursion requested but not available\n';
    const opt = optOf(m);
    if (opt) s += `\n;; OPT PSEUDOSECTION:\n${optPseudosection(opt, cookie)}`;
  }
  const section = (title: string, body: string) => (body ? (o.comments ? `;; ${title} SECTION:\n${body}\n` : body) : '');
  if (o.question) s += section('QUESTION', digQuestion(qname, type, qclass));
  if (o.answer) s += section('ANSWER', m.answers.map(digRecord).join(''));
  if (o.authority) s += section('AUTHORITY', m.authority.map(digRecord).join(''));
  if (o.additional) s += section('ADDITIONAL', withoutOpt(m.additional).map(digRecord).join(''));
  if (o.stats) s += `;; Query time: 0 msec\n;; SERVER: ${a.server}#${a.port}(${o.server ?? a.server}) (${a.tcp ? 'TCP' : 'UDP'})\n;; WHEN: Thu Jan 01 ${formatTimestamp(ctx.now * 1e6).slice(0, 8)} UTC 1970\n;; MSG SIZE  rcvd: ${a.size}\n\n`;
  return s;
}

/**
 * dig's client cookie: 8 bytes of the process's random cookie_secret (dighost.c compute_cookie),
 * so one per dig run, the same for each of its queries; drawn from the shell's seed here.
 */
function digCookie(ctx: ShellContext): Uint8Array {
  const rng = createRng(ctx.seed ?? ctx.model.seed, 'dig-cookie', ctx.flowCount);
  return Uint8Array.from({ length: 8 }, () => rng.int(0, 255));
}

/** message.c's OPT pseudosection: version, flags, UDP size, then each option (COOKIE in hex, "(echoed)" or "(good)"). */
function optPseudosection(opt: OptRecord, sentCookie: Uint8Array | undefined): string {
  const version = (opt.ttl >>> 16) & 0xff;
  const mbz = opt.ttl & 0x7fff;
  let s = `; EDNS: version: ${version}, flags:${opt.ttl & 0x8000 ? ' do' : ''}; ${mbz ? `MBZ: 0x${mbz.toString(16).padStart(4, '0')}, ` : ''}udp: ${opt.class}\n`;
  for (const { code, data } of optOptions(opt)) {
    const hex = [...data].map((b) => b.toString(16).padStart(2, '0'));
    if (code === EDNS_OPTION.cookie) {
      // dighost.c process_cookie: our 8 bytes back first is cc_ok; with a server cookie (16+) "good".
      const ours = sentCookie !== undefined && data.length >= 8 && sentCookie.every((b, i) => data[i] === b);
      s += `; COOKIE: ${hex.join('')}${ours ? (data.length >= 16 ? ' (good)' : ' (echoed)') : sentCookie ? ' (bad)' : ''}\n`;
    } else if (code === EDNS_OPTION.nsid) s += `; NSID:${hex.length ? ` ${hex.join(' ')} ` : ''}\n`;
    else s += `; OPT=${code}:${hex.length ? ` ${hex.join(' ')} ` : ''}\n`;
  }
  return s;
}

/**
 * `dig +trace` (dighost.c recv_done "in TRACE code", followup_lookup): it first asks its server
 * for the root's NS set and prints it, then looks up each root server's address with the system
 * resolver (bind9_getaddresses → getaddrinfo) to start the iterative walk there. The simulated
 * internet has only the upstream resolver — no root servers — so, as dig does when no NS name
 * resolves, it prints "couldn't get address" for each and stops (fatal, exit 10). A note on
 * stderr says why, so nobody reads it as a cluster DNS fault.
 */
function runDigTrace(ctx: ShellContext, o: DigOptions, args: string[]): ShellResult {
  const root = queryDns(ctx, { name: '.', type: 'NS', search: false, port: o.port, ednsSize: DIG_EDNS_SIZE, ednsOptions: [{ code: EDNS_OPTION.cookie, data: digCookie(ctx) }], ad: true, ...(o.address ? { server: o.address } : {}) });
  const flows = [...root.flows];
  const greeting = digGreeting(o, args);
  if (!root.reply) return { stdout: `${communicationsErrors(root, 3)}${greeting};; no servers could be reached\n`, stderr: '', exitCode: 9, flows };
  let stdout = greeting + root.reply.answers.map(digRecord).join('');
  const names = root.reply.answers.flatMap((r) => (r.type === 'NS' ? [r.target] : []));
  let reachable = 0;
  for (const ns of names) {
    const res = resolveName(ctx, ns);
    if (res.flow) flows.push(res.flow);
    if (res.addresses.length) reachable++;
    else stdout += `couldn't get address for '${formatName(ns)}': not found\n`;
  }
  const why = 'hopscope: dig +trace walks down from the root servers; the simulated internet has no root servers (only the upstream resolver), so the walk stops here. Ask the cluster DNS directly: dig NAME (or dig @SERVER NAME).\n';
  // followup_lookup: with no address for any NS name, fatal() names the first (its result is ISC_R_NOMORE, "no more").
  if (names.length && !reachable) return { stdout, stderr: `dig: couldn't get address for '${formatName(names[0]!)}': no more\n${why}`, exitCode: 10, flows };
  return { stdout: `${stdout};; Received ${root.size} bytes from ${root.server}#${root.port}(${o.server ?? root.server}) in 0 ms\n\n`, stderr: why, exitCode: 0, flows };
}

function runDig(ctx: ShellContext, args: string[]): ShellResult {
  const o = parseDig(args);
  if ('exitCode' in o) return o;
  const server = serverAddress(ctx, o.server);
  if (server === null) return err(`dig: couldn't get address for '${o.server}': not found`, 10);
  if (server) o.address = server;
  if (o.trace) return runDigTrace(ctx, o, args);
  // dig 9.18 prints its greeting when the first reply (or UDP failure) is printed, so what
  // happens before — retries' errors, the parser's warning — comes first.
  let greeted = false;
  const greet = () => (greeted ? '' : ((greeted = true), digGreeting(o, args)));
  let stdout = '';
  let exitCode = 0;
  const answers: ToolAnswer[] = [];
  let stderr = o.warnings;
  const cookie = digCookie(ctx);
  for (const l of o.lookups) {
    const type = l.type ?? 'A';
    const bad = illegalName(l.name);
    if (bad) {
      stderr += `dig: '${l.name}' is not a legal name (${bad})\n`;
      exitCode = 10;
      break;
    }
    // A zone transfer is always TCP; ANY is TCP unless +notcp was given (dig.c, BIND 9.18).
    const transfer = type === 'AXFR' || type === 'IXFR';
    const tcp = transfer || (l.tcp ?? type === 'ANY');
    const edns = ednsSizeOf(l);
    const sent = edns !== undefined && !l.noCookie ? cookie : undefined;
    const options = sent ? [{ code: EDNS_OPTION.cookie, data: sent }] : [];
    const a = queryDns(ctx, { name: l.name, type: wireType(type), search: o.search, tcp, port: o.port, qclass: CLASS_CODES[l.class ?? 'IN']!, ...(o.address ? { server: o.address } : {}), ...(edns !== undefined ? { ednsSize: edns, ednsOptions: options } : {}), ...(l.noAd ? {} : { ad: true }), ...(l.ignore ? { ignoreTc: true } : {}) });
    answers.push(a);
    // Printed when the truncated reply arrives, before anything of the TCP answer (dig_comments: not with +nocomments/+short).
    if (a.retriedOverTcp && o.comments) stdout += ';; Truncated, retrying in TCP mode.\n';
    if (!a.reply) {
      // Over TCP each try is a failed connection and nothing else (no greeting).
      stdout += a.tcp ? communicationsErrors(a, 3, l.name) : `${communicationsErrors(a, 3)}${greet()};; no servers could be reached\n`;
      exitCode = 9;
      continue;
    }
    if (classMismatch(a.reply)) stdout += ';; Warning: Message parser reports malformed message packet.\n';
    stdout += greet();
    // A refused transfer prints only this (dighost.c); the kubernetes plugin refuses AXFR and IXFR.
    if (transfer && a.reply.rcode !== 0) stdout += '; Transfer failed.\n';
    else stdout += digMessage(ctx, o, a, a.reply, type, sent);
  }
  return { stdout, stderr, exitCode, flows: flowsOf(answers) };
}

// ---------------------------------------------------------------- nslookup

/** nslookup.c rtypetext: the words before a record's data. */
const NSLOOKUP_WORDS: Record<number, string> = { 2: 'nameserver = ', 5: 'canonical name = ', 12: 'name = ', 13: 'hinfo = ', 15: 'mail exchanger = ', 16: 'text = ', 28: 'has AAAA address ', 33: 'service = ' };

function typeCode(r: DnsRecord): number {
  return r.type === 'OTHER' ? r.typeCode : TYPES[r.type]!;
}

/** nslookup.c printsection. */
function nslookupSection(records: DnsRecord[], answer: boolean): string {
  return records
    .map((r) => {
      const owner = formatName(r.name);
      if (answer && (r.type === 'A' || r.type === 'AAAA')) return `Name:\t${owner}\nAddress: ${r.address}\n`;
      if (r.type === 'SOA') return `${owner}\n\torigin = ${formatName(r.mname)}\n\tmail addr = ${formatName(r.rname)}\n\tserial = ${r.serial}\n\trefresh = ${r.refresh}\n\tretry = ${r.retry}\n\texpire = ${r.expire}\n\tminimum = ${r.minimum}\n`;
      const code = typeCode(r);
      const words = r.type === 'A' ? 'internet address = ' : (NSLOOKUP_WORDS[code] ?? (code < 42 ? `rtype_${code} = ` : `rdata_${code} = `));
      return `${owner}\t${words}${rdataText(r)}\n`;
    })
    .join('');
}

/** The name a CNAME chain in the answer leads to (nslookup.c / host.c chase_cnamechain). */
function chased(m: DnsMessage, name: string): string {
  let n = name.toLowerCase();
  for (let i = 0; i < m.answers.length; i++) {
    const c = m.answers.find((r) => r.type === 'CNAME' && r.name.toLowerCase() === n);
    if (!c || c.type !== 'CNAME') break;
    n = c.target.toLowerCase();
  }
  return n;
}

const NSLOOKUP_OPTION = /^-(type|ty|querytype|query|qu|q|class|cl|timeout|retry|port|po|domain|do)=(.*)$|^-(no)?(search|debug|d2|recurse|vc|defname|fail)$/i;

/** nslookup's tries (nslookup.c: 3, every one printed when no server answers). */
const NSLOOKUP_TRIES = 3;

function runNslookup(ctx: ShellContext, args: string[]): ShellResult {
  let type: string | undefined;
  let qclass = 1;
  let tcp = false;
  let port = 53;
  let stdout = '';
  const words: string[] = [];
  for (const a of args) {
    if (!a.startsWith('-') || a === '-') {
      words.push(a);
      continue;
    }
    const m = NSLOOKUP_OPTION.exec(a);
    if (!m) return err(`*** Invalid option: ${a.slice(1)}`, 1);
    const opt = m[1]?.toLowerCase();
    if (opt && /^(type|ty|querytype|query|qu|q)$/.test(opt)) {
      const t = parseType(m[2]!);
      if (t) type = t;
      else stdout += `unknown query type: ${m[2]}\n`;
    } else if (opt === 'class' || opt === 'cl') {
      const c = CLASS_CODES[m[2]!.toUpperCase()];
      if (c) qclass = c;
      else stdout += `unknown query class: ${m[2]}\n`;
    } else if (opt === 'port' || opt === 'po') {
      // nslookup.c set_port: a bad value is reported and the port stays as it was.
      const p = parsePort(m[2]!);
      if (typeof p === 'string') stdout += `${p.replace('port number', 'port')}\n`;
      else port = p;
    } else if (m[4]?.toLowerCase() === 'vc') tcp = !m[3];
  }
  const [name, serverArg] = words;
  // No name (or `-`, then an optional server) is nslookup's interactive mode (nslookup.c: in_use
  // stays false, it reads commands at a "> " prompt); this terminal runs one line at a time.
  if (!name || name === '-') return err(`hopscope: nslookup without a name starts its interactive mode ("> " prompt), which this terminal does not run; give the name on the line: nslookup NAME [SERVER]`, 1);
  const server = serverAddress(ctx, serverArg);
  if (server === null) return err(`nslookup: couldn't get address for '${serverArg}': not found`, 1);
  const reverse = reverseName(name, true);
  const first = reverse ? { name: reverse, type: 'PTR' } : { name, type: type ?? 'A' };
  const bad = illegalName(first.name);
  if (bad) return { stdout, stderr: `nslookup: '${first.name}' is not a legal name (${bad})\n`, exitCode: 10 };
  // Only an IN question is followed by nslookup's own AAAA lookup (a CH one stops at the first).
  const defaults = !reverse && type === undefined && qclass === 1;
  const transfer = first.type === 'AXFR' || first.type === 'IXFR';
  const answers: ToolAnswer[] = [];
  const ask = (n: string, t: string, search: boolean) => {
    const a = queryDns(ctx, { name: n, type: wireType(t), search, tcp: tcp || transfer, port, qclass, ...(server ? { server } : {}) });
    answers.push(a);
    return a;
  };
  const a = ask(first.name, first.type, true);
  // nslookup keeps dighost's comments on, so the retry is announced (host turns them off and retries silently).
  if (a.retriedOverTcp) stdout += ';; Truncated, retrying in TCP mode.\n';
  const done = (exitCode: number): ShellResult => ({ stdout: `${stdout}\n`, stderr: '', exitCode, flows: flowsOf(answers) });
  if (!a.reply) {
    stdout += a.tcp ? communicationsErrors(a, NSLOOKUP_TRIES, first.name) : `${communicationsErrors(a, NSLOOKUP_TRIES)};; no servers could be reached\n`;
    return done(1);
  }
  const m = a.reply;
  if (classMismatch(m)) {
    stdout += badPacket(m);
    return done(1);
  }
  stdout += `Server:\t\t${serverArg ?? a.server}\nAddress:\t${a.server}#${a.port}\n\n`;
  if (m.rcode !== 0) {
    stdout += `** server can't find ${a.qname}: ${rcodeText(m.rcode)}\n${transfer ? '; Transfer failed.\n' : ''}`;
    return done(1);
  }
  if (!m.aa) stdout += 'Non-authoritative answer:\n';
  stdout += nslookupSection(m.answers, true);
  if (!m.answers.length && !defaults) stdout += `*** Can't find ${name}: No answer\n`;
  if (!m.aa && first.type !== 'A' && first.type !== 'AAAA') stdout += `\nAuthoritative answers can be found from:\n${nslookupSection(m.authority, false)}${nslookupSection(withoutOpt(m.additional), false)}`;
  if (defaults) {
    // nslookup's second lookup: AAAA of the name that answered, asked as it is.
    const target = chased(m, a.qname);
    const six = ask(absolute(target), 'AAAA', false);
    if (six.reply && six.reply.rcode === 0) {
      stdout += nslookupSection(six.reply.answers, true);
      if (!m.answers.length && !six.reply.answers.length) stdout += `*** Can't find ${target}: No answer\n`;
    }
  }
  return done(0);
}

// ---------------------------------------------------------------- host

/** host.c rtypes: the words between owner and data. */
const HOST_WORDS: Record<number, string> = { 1: 'has address', 2: 'name server', 5: 'is an alias for', 12: 'domain name pointer', 13: 'host information', 15: 'mail is handled by', 16: 'descriptive text', 28: 'has IPv6 address' };

function hostLines(m: DnsMessage): string {
  return m.answers.map((r) => `${formatName(r.name)} ${HOST_WORDS[typeCode(r)] ?? `has ${typeName(r)} record`} ${rdataText(r)}\n`).join('');
}

/** host's tries (host.c: 2 unless `-R`). */
const HOST_TRIES = 2;

/** host -v's text of one reply (host.c printmessage: no EDNS, so no OPT line). */
function hostVerbose(m: DnsMessage): string {
  const flags = ['qr', m.aa && 'aa', m.tc && 'tc', m.rd && 'rd', m.ra && 'ra', m.ad && 'ad', m.cd && 'cd'].filter(Boolean).join(' ');
  let s = `;; ->>HEADER<<- opcode: QUERY, status: ${rcodeText(m.rcode)}, id: ${m.id}\n;; flags: ${flags}; QUERY: ${m.questions.length}, ANSWER: ${m.answers.length}, AUTHORITY: ${m.authority.length}, ADDITIONAL: ${m.additional.length}\n`;
  const q = m.questions[0];
  if (q) s += `\n;; QUESTION SECTION:\n${digQuestion(q.name, q.type, q.class)}`;
  for (const [title, records] of [['ANSWER', m.answers], ['AUTHORITY', m.authority], ['ADDITIONAL', withoutOpt(m.additional)]] as const) {
    if (records.length) s += `\n;; ${title} SECTION:\n${records.map(digRecord).join('')}`;
  }
  return `${s}\n`;
}

interface HostOptions {
  type?: string;
  qclass: number;
  verbose: boolean;
  /** `-T`/`-U` as given; undefined lets the type decide. */
  tcp?: boolean;
  port: number;
  /** A, then AAAA and MX (no -t, -a, -l or -c). */
  defaults: boolean;
  words: string[];
}

/** host.c's getopt loop, for the options the simulation honours; a ShellResult for a fatal error. */
function parseHost(args: string[]): HostOptions | ShellResult {
  const o: HostOptions = { qclass: 1, verbose: false, port: 53, defaults: true, words: [] };
  for (let i = 0; i < args.length; i++) {
    const w = args[i]!;
    // ISC's getopt does not permute: the first word that is not an option ends the options,
    // so in `host web -t SRV` the "-t" is the server (host.c: name, then server).
    if (!w.startsWith('-') || w.length === 1) {
      o.words.push(...args.slice(i));
      break;
    }
    const flag = w[1]!;
    if (w.length === 2 && 'vdaAlTU46rsCw'.includes(flag)) {
      if (flag === 'v' || flag === 'd') o.verbose = true;
      else if (flag === 'a' || flag === 'A') {
        // -a is -v -t ANY, without ANY's switch to TCP (host.c case 'a').
        if (o.type !== 'AXFR') o.type = 'ANY';
        o.verbose = true;
        o.defaults = false;
      } else if (flag === 'l') {
        o.type = 'AXFR';
        o.defaults = false;
      } else if (flag === 'T' || flag === 'U') o.tcp = flag === 'T';
      continue;
    }
    if (!'tcWRNpm'.includes(flag)) return err(HOST_USAGE, 1);
    const value = w.length > 2 ? w.slice(2) : args[++i];
    if (value === undefined) return err(HOST_USAGE, 1);
    if (flag === 't') {
      const t = parseType(value);
      if (!t) return err(`host: invalid type: ${value}`, 2);
      if (o.type !== 'AXFR') o.type = t;
      if (t === 'AXFR') o.verbose = true;
      if (t === 'ANY' && o.tcp === undefined) o.tcp = true;
      o.defaults = false;
    } else if (flag === 'c') {
      const c = CLASS_CODES[value.toUpperCase()];
      if (c === undefined) return err(`host: invalid class: ${value}`, 2);
      o.qclass = c;
      o.defaults = false;
    } else if (flag === 'p') o.port = (Number.parseInt(value, 10) || 0) & 0xffff; // atoi, as host.c
  }
  return o;
}

function runHost(ctx: ShellContext, args: string[]): ShellResult {
  const o = parseHost(args);
  if ('exitCode' in o) return o;
  const [name, serverArg] = o.words;
  if (!name) return err(HOST_USAGE, 1);
  const server = serverAddress(ctx, serverArg);
  if (server === null) return err(`host: couldn't get address for '${serverArg}': not found`, 1);
  const reverse = reverseName(name, true);
  const type = reverse && !o.type ? 'PTR' : (o.type ?? 'A');
  const defaults = !reverse && o.defaults;
  const transfer = type === 'AXFR' || type === 'IXFR';
  const bad = illegalName(reverse ?? name);
  if (bad) return err(`host: '${reverse ?? name}' is not a legal name (${bad})`, 1);
  const answers: ToolAnswer[] = [];
  let stdout = '';
  const ask = (n: string, t: string, search: boolean) => {
    const a = queryDns(ctx, { name: n, type: wireType(t), search, tcp: transfer || (o.tcp ?? false), port: o.port, qclass: o.qclass, ...(server ? { server } : {}) });
    answers.push(a);
    // -v: every name asked is announced (dighost.c setup_lookup → host.c trying).
    if (o.verbose) stdout += a.asked.map((q) => `Trying "${q}"\n`).join('');
    return a;
  };
  // "Using domain server" is printed with the first reply (host.c printmessage), after "Trying".
  let printedServer = false;
  const usingServer = (a: ToolAnswer) => {
    if (!server || printedServer) return '';
    printedServer = true;
    return `Using domain server:\nName: ${serverArg}\nAddress: ${server}#${a.port}\nAliases: \n\n`;
  };
  const received = (a: ToolAnswer, m: DnsMessage) => (o.verbose ? `Received ${emitDns(m).length} bytes from ${a.server}#${a.port} in 0 ms\n` : '');
  const done = (exitCode: number): ShellResult => ({ stdout, stderr: '', exitCode, flows: flowsOf(answers) });
  const a = ask(reverse ?? name, type, !reverse);
  if (!a.reply) {
    stdout += a.tcp ? communicationsErrors(a, HOST_TRIES, reverse ?? name) : `${communicationsErrors(a, HOST_TRIES)};; no servers could be reached\n`;
    return done(1);
  }
  const m = a.reply;
  if (classMismatch(m)) {
    stdout += badPacket(m);
    return done(1);
  }
  stdout += usingServer(a);
  if (m.rcode !== 0) {
    stdout += `Host ${m.rcode === 3 ? name : a.qname} not found: ${m.rcode}(${rcodeText(m.rcode)})\n`;
    if (transfer) stdout += '; Transfer failed.\n';
    // A final NXDOMAIN is reported twice in verbose mode (dighost.c recv_done: once after
    // next_origin gives up, once as any last reply).
    else stdout += m.rcode === 3 ? received(a, m).repeat(2) : received(a, m);
    return done(1);
  }
  stdout += o.verbose ? hostVerbose(m) + received(a, m) : hostLines(m);
  if (!defaults) {
    if (!m.answers.length && !o.verbose) stdout += `${a.qname} has no ${type} record\n`;
    return done(0);
  }
  // host's default: A, then AAAA and MX of the name that answered.
  const target = absolute(chased(m, a.qname));
  for (const t of ['AAAA', 'MX']) {
    const more = ask(target, t, false);
    if (more.reply?.rcode === 0) stdout += o.verbose ? hostVerbose(more.reply) + received(more, more.reply) : hostLines(more.reply);
  }
  return done(0);
}

// ---------------------------------------------------------------- commands

const DIG_PLUS = ['+short', '+noall', '+answer', '+noanswer', '+authority', '+noauthority', '+additional', '+noadditional', '+question', '+noquestion', '+comments', '+nocomments', '+stats', '+nostats', '+cmd', '+nocmd', '+search', '+nosearch', '+all', '+tcp', '+notcp', '+vc'];
const COMMON_TYPES = ['A', 'AAAA', 'CNAME', 'MX', 'NS', 'PTR', 'SOA', 'SRV', 'TXT', 'ANY'];

function serviceNames(ctx: ShellContext): string[] {
  return ctx.model.services.map((s) => `${s.metadata.name}.${s.metadata.namespace ?? 'default'}.svc.${ctx.model.clusterDomain}`);
}

/** `nslookup`: search list, A then AAAA (or `-type=`), nslookup.c's answer lines. */
export const nslookupCommand: Command = {
  name: 'nslookup',
  summary: 'resolve a name through the cluster DNS (nslookup [-type=SRV] NAME [SERVER])',
  help: 'Usage: nslookup [-option] [name | -] [server]\n        options: -type=T (-query=T, -q=T), -class=C, -port=P, -[no]vc (TCP), -[no]search\n',
  run: runNslookup,
  complete: (ctx, args) => {
    const w = args[args.length - 1] ?? '';
    if (w.startsWith('-')) return ['-type=', '-query=', ...COMMON_TYPES.map((t) => `-type=${t}`)];
    return ctx.model.services.map((s) => s.metadata.name ?? '');
  },
};

/** `dig`: one query per name with BIND's full output, or `+short`. */
export const digCommand: Command = {
  name: 'dig',
  summary: 'query the cluster DNS with full output (dig NAME [TYPE], -x ADDR, +short)',
  help: `${DIG_USAGE}        q-type is one of (a,aaaa,cname,mx,ns,ptr,soa,srv,txt,any,...) [default: a]\n        d-opt: -t TYPE, -c CLASS, -q NAME, -x ADDR (reverse lookup), -p PORT\n        q-opt: +[no]short, +[no]search, +[no]all, +[no]answer, +[no]authority, +[no]additional,\n               +[no]question, +[no]comments, +[no]stats, +[no]cmd, +[no]tcp (+[no]vc)\n`,
  run: runDig,
  complete: (ctx, args) => {
    const w = args[args.length - 1] ?? '';
    const prev = args[args.length - 2];
    if (w.startsWith('+')) return DIG_PLUS;
    if (w.startsWith('-')) return ['-t', '-c', '-q', '-x', '-p'];
    if (prev === '-t') return [...COMMON_TYPES, ...COMMON_TYPES.map((t) => t.toLowerCase())];
    if (prev === '-x') return [...ctx.model.services.map((s) => s.spec.clusterIP ?? '').filter(isIPv4), ...ctx.model.pods.map((p) => p.ip)];
    return [...serviceNames(ctx), ...(args.length > 1 ? COMMON_TYPES : [])];
  },
};

/** `host`: one line per record; A, AAAA and MX unless `-t`. */
export const hostCommand: Command = {
  name: 'host',
  summary: 'look a name or an address up in the cluster DNS (host [-t SRV] NAME [SERVER])',
  help: HOST_USAGE,
  run: runHost,
  complete: (ctx, args) => (args[args.length - 2] === '-t' ? COMMON_TYPES : ctx.model.services.map((s) => s.metadata.name ?? '')),
};
