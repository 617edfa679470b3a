/**
 * BIND 9.18's three DNS tools, each query walked as a UDP flow to the nameserver
 * (resolver.ts `queryDns`) and answered by whoever receives it (CoreDNS from the cluster zone,
 * forwarding other names upstream):
 * - `dig [@SERVER] [NAME] [TYPE] [CLASS] [-t TYPE] [-c CLASS] [-q NAME] [-x ADDR] [+OPT…]`
 *   (dig.c parse_args: a token that is a known type or class is one; `-x` asks PTR of the
 *   reverse name; no search list unless `+search`), printing the reply as dig's message text
 *   (masterdump.c columns) or, with `+short`, the answer's RDATA;
 * - `nslookup [-type=T] NAME [SERVER]` (nslookup.c: search list; an address asks PTR; without a
 *   type, A then AAAA of the name that answered; "*** Can't find …: No answer" for NODATA);
 * - `host [-t T] NAME [SERVER]` (host.c: "has address", "has SRV record", "domain name pointer",
 *   "has no AAAA record"; without a type, A then AAAA and MX).
 * Only NXDOMAIN moves a search on (dighost.c next_origin). Not modelled: classes other than IN
 * (parsed, asked as IN), TCP (`+tcp` is accepted and ignored), zone transfers, `+trace`.
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
import { isIPv4 } from '../util/ip';

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
const CLASSES = new Set(['IN', 'CH', 'CHAOS', 'HS', 'HESIOD', 'NONE', 'ANY']);

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
  return `${columns([[String(r.ttl), 24], ['IN', 32], [typeName(r), 40], [rdataText(r), 48]], absolute(r.name))}\n`;
}

/** A question as dig prints it (the `;` is outside the columns: class 32, type 40). */
function digQuestion(name: string, type: string): string {
  return `;${columns([['IN', 32], [type, 40]], absolute(name))}\n`;
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

function communicationsErrors(server: string, n: number): string {
  return `;; communications error to ${server}#53: timed out\n`.repeat(n);
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
}

/** dig's other `+[no]OPT` switches: accepted, without effect on what the simulation shows (transport, EDNS, DNSSEC, layout). */
const IGNORED_PLUS = new Set(['tcp', 'vc', 'recurse', 'edns', 'cookie', 'time', 'tries', 'retry', 'ttlid', 'identify', 'multiline', 'aaflag', 'adflag', 'cdflag', 'dnssec', 'nsid', 'ndots', 'bufsize', 'trace', 'nssearch', 'besteffort', 'class', 'crypto', 'rrcomments', 'ttlunits', 'expandaaaa', 'onesoa', 'qr', 'fail', 'idnin', 'idnout', 'keepopen', 'padding', 'qid', 'raflag', 'rdflag', 'showsearch', 'split', 'subnet', 'tcflag', 'unknownformat', 'zflag', 'header-only', 'ignore', 'opcode', 'mapped', 'expire', 'keepalive', 'showbadcookie']);

/** `+[no]OPT`: the display switches dig.c plus_option knows; false when `opt` is not a dig option. */
function plusOption(o: DigOptions, opt: string): boolean {
  const on = !opt.startsWith('no');
  const name = (on ? opt : opt.slice(2)).split('=')[0]!;
  switch (name) {
    case 'short':
      o.short = on;
      if (on) Object.assign(o, { cmd: false, comments: false, question: false, authority: false, additional: false, stats: false, answer: true });
      return true;
    case 'all':
      Object.assign(o, { cmd: on, comments: on, question: on, answer: on, authority: on, additional: on, stats: on });
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
  const o: DigOptions = { lookups: [], short: false, search: false, cmd: true, comments: true, question: true, answer: true, authority: true, additional: true, stats: true, warnings: '' };
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
      if (!plusOption(o, w.slice(1))) return err(`Invalid option: ${w}\n${DIG_USAGE}`, 1);
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
function digMessage(ctx: ShellContext, o: DigOptions, a: ToolAnswer, m: DnsMessage, type: string): string {
  if (o.short) return m.answers.map((r) => `${rdataText(r)}\n`).join('');
  let s = '';
  const q = m.questions[0];
  const qname = q ? q.name : a.qname;
  if (o.comments) {
    s += ';; Got answer:\n';
    if (/(^|\.)local\.?$/i.test(qname)) s += ';; WARNING: .local is reserved for Multicast DNS\n;; You are currently testing what happens when an mDNS query is leaked to DNS\n';
    const flags = ['qr', m.aa && 'aa', m.tc && 'tc', m.rd && 'rd', m.ra && 'ra', m.ad && 'ad', m.cd && 'cd'].filter(Boolean).join(' ');
    s += `;; ->>HEADER<<- opcode: QUERY, status: ${rcodeText(m.rcode)}, id: ${m.id}\n;; flags: ${flags}; QUERY: 1, ANSWER: ${m.answers.length}, AUTHORITY: ${m.authority.length}, ADDITIONAL: ${m.additional.length + 1}\n`;
    if (m.rd && !m.ra) s += ';; WARNING: recursion requested but not available\n';
    s += '\n;; OPT PSEUDOSECTION:\n; EDNS: version: 0, flags:; udp: 1232\n';
  }
  const section = (title: string, body: string) => (body ? (o.comments ? `;; ${title} SECTION:\n${body}\n` : body) : '');
  if (o.question) s += section('QUESTION', digQuestion(qname, type));
  if (o.answer) s += section('ANSWER', m.answers.map(digRecord).join(''));
  if (o.authority) s += section('AUTHORITY', m.authority.map(digRecord).join(''));
  if (o.additional) s += section('ADDITIONAL', m.additional.map(digRecord).join(''));
  if (o.stats) s += `;; Query time: 0 msec\n;; SERVER: ${a.server}#53(${o.server ?? a.server}) (UDP)\n;; WHEN: Thu Jan 01 ${formatTimestamp(ctx.now * 1e6).slice(0, 8)} UTC 1970\n;; MSG SIZE  rcvd: ${a.size}\n\n`;
  return s;
}

function runDig(ctx: ShellContext, args: string[]): ShellResult {
  const o = parseDig(args);
  if ('exitCode' in o) return o;
  const server = serverAddress(ctx, o.server);
  if (server === null) return err(`dig: couldn't get address for '${o.server}': not found`, 10);
  if (server) o.address = server;
  let stdout = digGreeting(o, args);
  let exitCode = 0;
  const answers: ToolAnswer[] = [];
  let stderr = o.warnings;
  for (const l of o.lookups) {
    const type = l.type ?? 'A';
    const bad = illegalName(l.name);
    if (bad) {
      stderr += `dig: '${l.name}' is not a legal name (${bad})\n`;
      exitCode = 10;
      break;
    }
    const a = queryDns(ctx, { name: l.name, type: wireType(type), search: o.search, ...(o.address ? { server: o.address } : {}) });
    answers.push(a);
    if (!a.reply) {
      stdout += `${communicationsErrors(a.server, 3)};; no servers could be reached\n`;
      exitCode = 9;
      continue;
    }
    stdout += digMessage(ctx, o, a, a.reply, type);
  }
  // The greeting goes after the errors of a first lookup that timed out (printed as they happen).
  if (exitCode === 9 && answers.length === 1) stdout = `${communicationsErrors(answers[0]!.server, 3)}${digGreeting(o, args)};; no servers could be reached\n`;
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

function runNslookup(ctx: ShellContext, args: string[]): ShellResult {
  let type: string | undefined;
  let stdout = '';
  const words: string[] = [];
  for (const a of args) {
    if (!a.startsWith('-') || a === '-') {
      words.push(a);
      continue;
    }
    const m = NSLOOKUP_OPTION.exec(a);
    if (!m) return err(`*** Invalid option: ${a.slice(1)}`, 1);
    if (m[1] && /^(type|ty|querytype|query|qu|q)$/i.test(m[1])) {
      const t = parseType(m[2]!);
      if (t) type = t;
      else stdout += `unknown query type: ${m[2]}\n`;
    }
  }
  const [name, serverArg] = words;
  if (!name) return err('Usage: nslookup [-option] [name | -] [server]', 1);
  const server = serverAddress(ctx, serverArg);
  if (server === null) return err(`nslookup: couldn't get address for '${serverArg}': not found`, 1);
  const reverse = reverseName(name, true);
  const first = reverse ? { name: reverse, type: 'PTR' } : { name, type: type ?? 'A' };
  const bad = illegalName(first.name);
  if (bad) return { stdout, stderr: `nslookup: '${first.name}' is not a legal name (${bad})\n`, exitCode: 10 };
  const defaults = !reverse && type === undefined;
  const answers: ToolAnswer[] = [];
  const ask = (n: string, t: string, search: boolean) => {
    const a = queryDns(ctx, { name: n, type: wireType(t), search, ...(server ? { server } : {}) });
    answers.push(a);
    return a;
  };
  const a = ask(first.name, first.type, true);
  const done = (exitCode: number): ShellResult => ({ stdout: `${stdout}\n`, stderr: '', exitCode, flows: flowsOf(answers) });
  if (!a.reply) {
    stdout += `${communicationsErrors(a.server, 2)};; no servers could be reached\n`;
    return done(1);
  }
  const m = a.reply;
  stdout += `Server:\t\t${serverArg ?? a.server}\nAddress:\t${a.server}#53\n\n`;
  if (m.rcode !== 0) {
    stdout += `** server can't find ${a.qname}: ${rcodeText(m.rcode)}\n`;
    return done(1);
  }
  if (!m.aa) stdout += 'Non-authoritative answer:\n';
  stdout += nslookupSection(m.answers, true);
  if (!m.answers.length && !defaults) stdout += `*** Can't find ${name}: No answer\n`;
  if (!m.aa && first.type !== 'A' && first.type !== 'AAAA') stdout += `\nAuthoritative answers can be found from:\n${nslookupSection(m.authority, false)}${nslookupSection(m.additional, false)}`;
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

function runHost(ctx: ShellContext, args: string[]): ShellResult {
  let type: string | undefined;
  const words: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const w = args[i]!;
    if (!w.startsWith('-') || w.length === 1) {
      words.push(w);
      continue;
    }
    const flag = w[1]!;
    if ('46rsCT'.includes(flag) && w.length === 2) continue;
    if (!'tcWRNp'.includes(flag)) return err(HOST_USAGE, 1);
    const value = w.length > 2 ? w.slice(2) : args[++i];
    if (value === undefined) return err(HOST_USAGE, 1);
    if (flag === 't') {
      const t = parseType(value);
      if (!t) return err(`host: invalid type: ${value}`, 1);
      type = t;
    } else if (flag === 'c' && !CLASSES.has(value.toUpperCase())) return err(`host: invalid class: ${value}`, 1);
  }
  const [name, serverArg] = words;
  if (!name) return err(HOST_USAGE, 1);
  const server = serverAddress(ctx, serverArg);
  if (server === null) return err(`host: couldn't get address for '${serverArg}': not found`, 1);
  const reverse = reverseName(name, true);
  const defaults = !reverse && type === undefined;
  const bad = illegalName(reverse ?? name);
  if (bad) return err(`host: '${reverse ?? name}' is not a legal name (${bad})`, 1);
  const answers: ToolAnswer[] = [];
  const ask = (n: string, t: string, search: boolean) => {
    const a = queryDns(ctx, { name: n, type: wireType(t), search, ...(server ? { server } : {}) });
    answers.push(a);
    return a;
  };
  let stdout = server ? `Using domain server:\nName: ${serverArg}\nAddress: ${server}#53\nAliases: \n\n` : '';
  const done = (exitCode: number): ShellResult => ({ stdout, stderr: '', exitCode, flows: flowsOf(answers) });
  const a = ask(reverse ?? name, reverse ? 'PTR' : (type ?? 'A'), !reverse);
  if (!a.reply) {
    stdout = `${communicationsErrors(a.server, 2)};; no servers could be reached\n`;
    return done(1);
  }
  const m = a.reply;
  if (m.rcode !== 0) {
    stdout += `Host ${m.rcode === 3 ? name : a.qname} not found: ${m.rcode}(${rcodeText(m.rcode)})\n`;
    return done(1);
  }
  stdout += hostLines(m);
  if (!defaults) {
    if (!m.answers.length) stdout += `${a.qname} has no ${reverse ? 'PTR' : type} record\n`;
    return done(0);
  }
  // host's default: A, then AAAA and MX of the name that answered.
  const target = absolute(chased(m, a.qname));
  for (const t of ['AAAA', 'MX']) {
    const more = ask(target, t, false);
    if (more.reply?.rcode === 0) stdout += hostLines(more.reply);
  }
  return done(0);
}

// ---------------------------------------------------------------- commands

const DIG_PLUS = ['+short', '+noall', '+answer', '+noanswer', '+authority', '+noauthority', '+additional', '+noadditional', '+question', '+noquestion', '+comments', '+nocomments', '+stats', '+nostats', '+cmd', '+nocmd', '+search', '+nosearch', '+all', '+tcp'];
const COMMON_TYPES = ['A', 'AAAA', 'CNAME', 'MX', 'NS', 'PTR', 'SOA', 'SRV', 'TXT', 'ANY'];

function serviceNames(ctx: ShellContext): string[] {
  return ctx.model.services.map((s) => `${s.metadata.name}.${s.metadata.namespace ?? 'default'}.svc.${ctx.model.clusterDomain}`);
}

/** `nslookup`: search list, A then AAAA (or `-type=`), nslookup.c's answer lines. */
export const nslookupCommand: Command = {
  name: 'nslookup',
  summary: 'resolve a name through the cluster DNS (nslookup [-type=SRV] NAME [SERVER])',
  help: 'Usage: nslookup [-option] [name | -] [server]\n        options: -type=T (-query=T, -q=T), -[no]search\n',
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
  help: `${DIG_USAGE}        q-type is one of (a,aaaa,cname,mx,ns,ptr,soa,srv,txt,any,...) [default: a]\n        d-opt: -t TYPE, -c CLASS, -q NAME, -x ADDR (reverse lookup)\n        q-opt: +[no]short, +[no]search, +[no]all, +[no]answer, +[no]authority, +[no]additional,\n               +[no]question, +[no]comments, +[no]stats, +[no]cmd\n`,
  run: runDig,
  complete: (ctx, args) => {
    const w = args[args.length - 1] ?? '';
    const prev = args[args.length - 2];
    if (w.startsWith('+')) return DIG_PLUS;
    if (w.startsWith('-')) return ['-t', '-c', '-q', '-x'];
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
