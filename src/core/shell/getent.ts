/**
 * `getent hosts|ahosts|ahostsv4|ahostsv6 [KEY…]` as glibc's nss/getent.c answers in a pod whose
 * /etc/nsswitch.conf says `hosts: files dns`: /etc/hosts first (the kubelet's file, with the
 * pod's own hostname), then the stub resolver of resolv.conf (search list, ndots:5), every
 * question a flow through the resolver model (shell/resolver.ts `libcLookup`).
 * - `hosts NAME`: gethostbyname2(AF_INET6), and only when that fails gethostbyname2(AF_INET)
 *   (hosts_keys) — so an IPv4-only name costs a whole round of AAAA questions through the
 *   search list first; printed `%-15s NAME ALIASES` (print_hosts), the name being the canonical
 *   one (after CNAMEs) and the aliases the names that led to it. An address key is
 *   gethostbyaddr: /etc/hosts, else a PTR question (res_query: no search list).
 * - `ahosts NAME`: getaddrinfo(AF_UNSPEC, AI_V4MAPPED|AI_ADDRCONFIG|AI_CANONNAME): with
 *   AI_ADDRCONFIG only the families the pod has a non-loopback address of are asked (check_pf.c;
 *   the model's pods have IPv4 only, so A alone), unless `--no-addrconfig`/`-A`; each address
 *   three times (STREAM, DGRAM, RAW), the canonical name on the first. `ahostsv4` asks A;
 *   `ahostsv6` AAAA with IPv4 answers mapped (AI_V4MAPPED), refused up front without IPv6.
 * - no key: every /etc/hosts entry (gethostent). Exit 2 when a key is not found, silently.
 * Not modelled: RFC 3484 address sorting (DNS order is kept), `multi on`, other databases.
 */
import type { Command, ShellContext, ShellResult } from './types';
import type { Flow } from '../trace/types';
import { err } from './output';
import { readFile } from './files';
import { libcLookup, queryDns } from './resolver';
import { isIPv4 } from '../util/ip';

/** One /etc/hosts line: the address, its canonical name and aliases. */
interface HostsEntry {
  ip: string;
  names: string[];
}

/** A hostent as print_hosts shows it. */
interface HostEnt {
  name: string;
  aliases: string[];
  addresses: string[];
}

const USAGE_HINT = "Try `getent --help' or `getent --usage' for more information.\n";
const HELP = 'Usage: getent [OPTION...] database [key ...]\nGet entries from administrative database.\n\n  -A, --no-addrconfig        do not filter out unsupported IPv4/IPv6 addresses (with ahosts*)\n\nSupported databases (in this terminal): ahosts ahostsv4 ahostsv6 hosts\n';
/** The databases glibc's getent knows that this terminal does not model. */
const OTHER_DATABASES = new Set(['aliases', 'ethers', 'group', 'gshadow', 'initgroups', 'netgroup', 'networks', 'passwd', 'protocols', 'rpc', 'services', 'shadow']);

function isIPv6(s: string): boolean {
  return s.includes(':') && /^[0-9a-fA-F:.]+$/.test(s);
}

function hostsEntries(ctx: ShellContext): HostsEntry[] {
  const out: HostsEntry[] = [];
  for (const line of (readFile(ctx, '/etc/hosts') ?? '').split('\n')) {
    const [ip, ...names] = line.replace(/#.*/, '').trim().split(/\s+/);
    if (ip && names.length && (isIPv4(ip) || isIPv6(ip))) out.push({ ip, names });
  }
  return out;
}

/** nss_files: the first line of `family` naming `name` (case-insensitive). */
function filesByName(ctx: ShellContext, name: string, family: 4 | 6): HostsEntry | undefined {
  const key = name.toLowerCase();
  return hostsEntries(ctx).find((e) => (family === 4 ? isIPv4(e.ip) : isIPv6(e.ip)) && e.names.some((n) => n.toLowerCase() === key));
}

function printHost(h: HostEnt): string {
  return h.addresses.map((a) => `${a.padEnd(15)} ${[h.name, ...h.aliases].join(' ')}\n`).join('');
}

interface Lookup {
  host?: HostEnt;
  flows: Flow[];
}

/** gethostbyname2(name, family): files, then dns. */
function byName(ctx: ShellContext, name: string, family: 4 | 6): Lookup {
  const file = filesByName(ctx, name, family);
  if (file) return { host: { name: file.names[0]!, aliases: file.names.slice(1), addresses: [file.ip] }, flows: [] };
  const l = libcLookup(ctx, name, { types: [family === 4 ? 'A' : 'AAAA'] });
  if (!l) return { flows: [] };
  const r = l.resolution;
  if (!r.addresses.length) return { flows: l.flows };
  const canonical = r.canonical ?? l.answered ?? name;
  const aliases = l.answered && l.answered !== canonical ? [l.answered] : [];
  return { host: { name: canonical, aliases, addresses: r.addresses }, flows: l.flows };
}

/** gethostbyaddr: files, then a PTR question for the reverse name (res_query, no search). */
function byAddress(ctx: ShellContext, addr: string): Lookup {
  const file = hostsEntries(ctx).find((e) => e.ip === addr);
  if (file) return { host: { name: file.names[0]!, aliases: file.names.slice(1), addresses: [addr] }, flows: [] };
  if (!isIPv4(addr)) return { flows: [] };
  const a = queryDns(ctx, { name: `${addr.split('.').reverse().join('.')}.in-addr.arpa.`, type: 'PTR', search: false });
  const ptr = a.reply?.rcode === 0 ? a.reply.answers.find((r) => r.type === 'PTR') : undefined;
  return { ...(ptr && ptr.type === 'PTR' ? { host: { name: ptr.target, aliases: [], addresses: [addr] } } : {}), flows: a.flows };
}

function hostsKey(ctx: ShellContext, key: string): Lookup {
  if (isIPv4(key) || isIPv6(key)) return byAddress(ctx, key);
  const six = byName(ctx, key, 6);
  if (six.host) return six;
  const four = byName(ctx, key, 4);
  return { ...four, flows: [...six.flows, ...four.flows] };
}

/** The families this place has a non-loopback address of (glibc check_pf for AI_ADDRCONFIG). */
function configuredFamilies(ctx: ShellContext): { v4: boolean; v6: boolean } {
  const addrs = ctx.netns.devices.flatMap((d) => d.addresses.map((a) => a.ip));
  return { v4: addrs.some((a) => isIPv4(a) && !a.startsWith('127.')), v6: addrs.some((a) => isIPv6(a) && a !== '::1') };
}

type AiFamily = 'unspec' | 'v4' | 'v6';

/** getaddrinfo(key) with AI_CANONNAME (and AI_ADDRCONFIG unless `all`): the canonical name and addresses. */
function addrinfo(ctx: ShellContext, key: string, family: AiFamily, addrconfig: boolean): Lookup & { canonical?: string } {
  let want = { v4: family !== 'v6', v6: family !== 'v4' };
  if (addrconfig) {
    const have = configuredFamilies(ctx);
    if (family === 'unspec' && (have.v4 || have.v6)) want = { v4: have.v4, v6: have.v6 };
    // "We cannot possibly return a valid answer" (getaddrinfo.c): EAI_NONAME before any lookup.
    else if ((family === 'v4' && !have.v4) || (family === 'v6' && !have.v6)) return { flows: [] };
  }
  if (isIPv4(key) || isIPv6(key)) {
    const ok = isIPv4(key) ? want.v4 || family === 'v6' : want.v6;
    const address = isIPv4(key) && family === 'v6' ? `::ffff:${key}` : key;
    return ok ? { host: { name: key, aliases: [], addresses: [address] }, canonical: key, flows: [] } : { flows: [] };
  }
  const files = [...(want.v6 ? [filesByName(ctx, key, 6)] : []), ...(want.v4 || family === 'v6' ? [filesByName(ctx, key, 4)] : [])].filter((e): e is HostsEntry => e !== undefined);
  if (files.length) {
    const addresses = files.map((e) => (family === 'v6' && isIPv4(e.ip) ? `::ffff:${e.ip}` : e.ip));
    return { host: { name: files[0]!.names[0]!, aliases: [], addresses }, canonical: files[0]!.names[0]!, flows: [] };
  }
  // AF_INET6 with AI_V4MAPPED asks AAAA, and A only when no AAAA came back.
  const types: ('A' | 'AAAA')[] = family === 'v6' ? ['AAAA'] : [...(want.v4 ? (['A'] as const) : []), ...(want.v6 ? (['AAAA'] as const) : [])];
  const l = libcLookup(ctx, key, { types });
  if (!l) return { flows: [] };
  if (!l.resolution.addresses.length && family === 'v6') {
    const mapped = libcLookup(ctx, key, { types: ['A'] });
    if (!mapped?.resolution.addresses.length) return { flows: [...l.flows, ...(mapped?.flows ?? [])] };
    const canonical = mapped.resolution.canonical ?? mapped.answered ?? key;
    return { host: { name: canonical, aliases: [], addresses: mapped.resolution.addresses.map((a) => `::ffff:${a}`) }, canonical, flows: [...l.flows, ...mapped.flows] };
  }
  if (!l.resolution.addresses.length) return { flows: l.flows };
  const canonical = l.resolution.canonical ?? l.answered ?? key;
  return { host: { name: canonical, aliases: [], addresses: l.resolution.addresses }, canonical, flows: l.flows };
}

/** ahosts_keys_int's lines: each address as STREAM, DGRAM and RAW, the canonical name on the first only. */
function printAddrinfo(addresses: string[], canonical: string): string {
  let first = true;
  return addresses
    .flatMap((a) =>
      ['STREAM', 'DGRAM', 'RAW'].map((sock) => {
        const line = `${a.padEnd(15)} ${sock.padEnd(6)} ${first ? canonical : ''}\n`;
        first = false;
        return line;
      }),
    )
    .join('');
}

function runGetent(ctx: ShellContext, args: string[]): ShellResult {
  let addrconfig = true;
  const words: string[] = [];
  for (const a of args) {
    if (a === '-A' || a === '--no-addrconfig') addrconfig = false;
    else if (a === '--help' || a === '-?') return { stdout: HELP, stderr: '', exitCode: 0 };
    else if (a.startsWith('-') && a.length > 1) return err(`getent: unrecognized option '${a}'\n${USAGE_HINT}`, 1);
    else words.push(a);
  }
  const [db, ...keys] = words;
  if (!db) return err(`getent: wrong number of arguments\n${USAGE_HINT}`, 1);
  if (OTHER_DATABASES.has(db)) return err(`hopscope: getent ${db} is not modelled; this terminal answers getent hosts, ahosts, ahostsv4 and ahostsv6`, 1);
  const family: AiFamily | 'hosts' | undefined = ({ hosts: 'hosts', ahosts: 'unspec', ahostsv4: 'v4', ahostsv6: 'v6' } as const)[db as 'hosts'];
  if (!family) return err(`Unknown database: ${db}\n${USAGE_HINT}`, 1);
  // No key: the whole file (gethostent), for every hosts database.
  if (!keys.length) return { stdout: hostsEntries(ctx).map((e) => printHost({ name: e.names[0]!, aliases: e.names.slice(1), addresses: [e.ip] })).join(''), stderr: '', exitCode: 0 };
  let stdout = '';
  let exitCode = 0;
  const flows: Flow[] = [];
  for (const key of keys) {
    if (family === 'hosts') {
      const l = hostsKey(ctx, key);
      flows.push(...l.flows);
      if (l.host) stdout += printHost(l.host);
      else exitCode = 2;
    } else {
      const l = addrinfo(ctx, key, family, addrconfig);
      flows.push(...l.flows);
      if (l.host) stdout += printAddrinfo(l.host.addresses, l.canonical ?? key);
      else exitCode = 2;
    }
  }
  return { stdout, stderr: '', exitCode, flows };
}

/** `getent`: the hosts databases through nsswitch's `files dns`. */
export const getentCommand: Command = {
  name: 'getent',
  summary: 'look a name up as glibc does (getent hosts|ahosts NAME: /etc/hosts, then DNS with the search list)',
  help: HELP,
  run: runGetent,
  complete: (ctx, args) => (args.length <= 1 ? ['hosts', 'ahosts', 'ahostsv4', 'ahostsv6'] : ctx.model.services.map((s) => s.metadata.name ?? '')),
};
