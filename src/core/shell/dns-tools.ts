/**
 * `nslookup NAME [SERVER]` and `dig [@SERVER] NAME [+short]` (BIND 9.18): the query is walked as a
 * UDP flow to the nameserver (resolver.ts), and the output is BIND's for an answer, NXDOMAIN, or
 * no server reached (fixtures/tool-output/dig-timeout.txt, nslookup-timeout.txt). As with the
 * real tools, nslookup applies the search list and dig does not (`+search` turns it on).
 * Answers are the records the server sent (CoreDNS: the Corefile's `ttl 30`, flags `qr aa rd`
 * for the cluster zone); a name outside it is forwarded upstream, and an ExternalName is a CNAME.
 */
import type { Command, ShellContext, ShellResult } from './types';
import type { Flow } from '../trace/types';
import type { DnsRecord } from '../wire/dns-rdata';
import type { Resolution } from './resolver';
import { resolveName } from './resolver';
import { formatTimestamp } from './tcpdump-format';
import { err } from './output';
import { CLUSTER_TTL } from '../dns/zone';

const DIG_VERSION = 'DiG 9.18.49-1~deb12u3-Debian';
const TTL = CLUSTER_TTL;

function withFlow(r: ShellResult, flow?: Flow): ShellResult {
  return flow ? { ...r, flows: [flow] } : r;
}

function runNslookup(ctx: ShellContext, args: string[]): ShellResult {
  const words = args.filter((a) => !a.startsWith('-'));
  const bad = args.find((a) => a.startsWith('-') && !/^-(timeout|retry|type|query|port)=/.test(a));
  if (bad) return err(`*** Invalid option: ${bad.slice(1)}`, 1);
  const [name, server] = words;
  if (!name) return err('Usage: nslookup [-option] [name | -] [server]', 1);
  const res = resolveName(ctx, name, server);
  const ns = res.server ?? server ?? '';
  if (res.status === 'timeout') return withFlow({ stdout: `;; communications error to ${ns}#53: timed out\n;; communications error to ${ns}#53: timed out\n;; no servers could be reached\n\n`, stderr: '', exitCode: 1 }, res.flow);
  let stdout = `Server:\t\t${ns}\nAddress:\t${ns}#53\n\n`;
  if (res.status === 'nxdomain') return withFlow({ stdout: `${stdout}** server can't find ${name}: NXDOMAIN\n\n`, stderr: '', exitCode: 1 }, res.flow);
  if (res.status === 'hosts') return out0(`Server:\t\t${ns}\nAddress:\t${ns}#53\n\nName:\t${name}\nAddress: ${res.addresses[0]}\n\n`);
  if (res.aa === false) stdout += 'Non-authoritative answer:\n';
  for (const r of res.answers ?? []) if (r.type === 'CNAME') stdout += `${r.name.replace(/\.$/, '')}\tcanonical name = ${r.target}.\n`;
  for (const a of res.addresses) stdout += `Name:\t${res.fqdn}\nAddress: ${a}\n`;
  return withFlow({ stdout: `${stdout}\n`, stderr: '', exitCode: 0 }, res.flow);
}

function out0(stdout: string): ShellResult {
  return { stdout, stderr: '', exitCode: 0 };
}

interface DigArgs {
  name: string;
  server?: string;
  short: boolean;
  search: boolean;
  typed: string[];
}

function parseDig(args: string[]): DigArgs | ShellResult {
  const a: DigArgs = { name: '', short: false, search: false, typed: args };
  for (const w of args) {
    if (w.startsWith('@')) a.server = w.slice(1);
    else if (w === '+short') a.short = true;
    else if (w === '+search') a.search = true;
    else if (w.startsWith('+')) continue;
    else if (w === 'A' || w === 'IN') continue;
    else if (w.startsWith('-')) return err(`Invalid option: ${w}\nUsage:  dig [@global-server] [domain] [q-type] [q-class] {q-opt}`, 1);
    else a.name = w;
  }
  if (!a.name) a.name = '.';
  return a;
}

/** A record as dig prints it: owner (tabbed out to column 24), TTL, class, type, data. */
function digRecord(r: DnsRecord): string {
  const owner = `${r.name.replace(/\.$/, '')}.`;
  const data = r.type === 'A' || r.type === 'AAAA' ? r.address
    : r.type === 'CNAME' || r.type === 'PTR' || r.type === 'NS' ? `${r.target}.`
    : r.type === 'SOA' ? `${r.mname}. ${r.rname}. ${r.serial} ${r.refresh} ${r.retry} ${r.expire} ${r.minimum}`
    : r.type === 'SRV' ? `${r.priority} ${r.weight} ${r.port} ${r.target}.` : '';
  return `${owner}${'\t'.repeat(Math.max(1, Math.ceil((24 - owner.length) / 8)))}${r.ttl}\tIN\t${r.type}\t${data}\n`;
}

function digAnswer(ctx: ShellContext, a: DigArgs, fqdn: string, res: Resolution, ns: string): string {
  const addresses = res.addresses;
  const answers = res.answers ?? addresses.map((ip): DnsRecord => ({ name: fqdn, class: 1, ttl: TTL, type: 'A', address: ip }));
  const d = ctx.model.clusterDomain;
  const authority = res.authority ?? (addresses.length ? [] : [{ name: d, class: 1, ttl: TTL, type: 'SOA', mname: `ns.dns.${d}`, rname: `hostmaster.${d}`, serial: 1700000000, refresh: 7200, retry: 1800, expire: 86400, minimum: TTL }] as DnsRecord[]);
  const status = addresses.length || answers.length ? 'NOERROR' : 'NXDOMAIN';
  const id = 1000 + (ctx.flowCount * 7919) % 60000;
  let s = `\n; <<>> ${DIG_VERSION} <<>> ${a.typed.join(' ')}\n${a.server ? '; (1 server found)\n' : ''};; global options: +cmd\n;; Got answer:\n`;
  s += `;; ->>HEADER<<- opcode: QUERY, status: ${status}, id: ${id}\n;; flags: ${res.aa === false ? 'qr rd ra' : 'qr aa rd'}; QUERY: 1, ANSWER: ${answers.length}, AUTHORITY: ${authority.length}, ADDITIONAL: 1\n${res.aa === false ? '' : ';; WARNING: recursion requested but not available\n'}\n`;
  s += `;; OPT PSEUDOSECTION:\n; EDNS: version: 0, flags:; udp: 1232\n;; QUESTION SECTION:\n;${fqdn}.\t\t\tIN\tA\n\n`;
  if (answers.length) s += `;; ANSWER SECTION:\n${answers.map(digRecord).join('')}\n`;
  if (authority.length) s += `;; AUTHORITY SECTION:\n${authority.map(digRecord).join('')}\n`;
  s += `;; Query time: 0 msec\n;; SERVER: ${ns}#53(${ns}) (UDP)\n;; WHEN: Thu Jan 01 ${formatTimestamp(ctx.now * 1e6).slice(0, 8)} UTC 1970\n;; MSG SIZE  rcvd: ${addresses.length ? 75 + fqdn.length : 130 + fqdn.length}\n\n`;
  return s;
}

function runDig(ctx: ShellContext, args: string[]): ShellResult {
  const a = parseDig(args);
  if ('exitCode' in a) return a;
  const name = a.search || a.name.endsWith('.') ? a.name : `${a.name}.`;
  const res = resolveName(ctx, name, a.server);
  const ns = res.server ?? a.server ?? '';
  if (res.status === 'timeout') {
    const head = a.short ? '' : `\n; <<>> ${DIG_VERSION} <<>> ${a.typed.join(' ')}\n${a.server ? '; (1 server found)\n' : ''};; global options: +cmd\n`;
    return withFlow({ stdout: `${`;; communications error to ${ns}#53: timed out\n`.repeat(3)}${head};; no servers could be reached\n`, stderr: '', exitCode: 9 }, res.flow);
  }
  const fqdn = (res.answers?.[0]?.name ?? res.fqdn ?? a.name).replace(/\.$/, '');
  if (a.short) return withFlow({ stdout: res.addresses.map((ip) => `${ip}\n`).join(''), stderr: '', exitCode: 0 }, res.flow);
  return withFlow({ stdout: digAnswer(ctx, a, fqdn, res, ns), stderr: '', exitCode: 0 }, res.flow);
}

/** `nslookup`: resolve a name through the pod's resolv.conf. */
export const nslookupCommand: Command = {
  name: 'nslookup',
  summary: 'resolve a name through the cluster DNS (nslookup NAME)',
  help: 'Usage: nslookup [-option] [name | -] [server]\n',
  run: runNslookup,
  complete: (ctx) => ctx.model.services.map((s) => s.metadata.name ?? ''),
};

/** `dig`: a DNS query with BIND's full output. */
export const digCommand: Command = {
  name: 'dig',
  summary: 'query the cluster DNS with full output (dig NAME.NS.svc.cluster.local, +short)',
  help: 'Usage:  dig [@global-server] [domain] [q-type] [q-class] {q-opt}\n        q-opt is one of: +short, +search\n',
  run: runDig,
  complete: (ctx) => ctx.model.services.map((s) => `${s.metadata.name}.${s.metadata.namespace ?? 'default'}.svc.${ctx.model.clusterDomain}`),
};
