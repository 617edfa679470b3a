/**
 * `iptables [-t TABLE] -L [CHAIN] [-n] [-v] [-x] [--line-numbers]`, laid out exactly as
 * iptables v1.8.9 prints it (xshared.c `print_header`/`print_rule_details`, each extension's
 * `print`), verified against real output in fixtures/tool-output/iptables-L-*.txt:
 *
 *   " pkts bytes target     prot opt in     out     source               destination         "
 *   "    0     0 KUBE-SVC-ABC  6    --  *      *       0.0.0.0/0            10.96.0.10           /* c *\/ tcp dpt:80"
 *
 * Each rule is read back from its canonical iptables-save form, so every modelled module prints
 * the way iptables' own extension does; an unmodelled match prints its options as written.
 */
import type { Chain, NetfilterState, Rule, TableName } from '../netfilter/types';
import { renderRule } from '../netfilter/render-rule';
import { tokenize } from '../netfilter/tokenize';
import { isBuiltinChain, readTable } from '../netfilter/state';
import { protocolNumber } from '../netfilter/protocols';

/** Options of `renderIptablesList`. */
export interface ListOptions {
  numeric: boolean;
  verbose: boolean;
  exact: boolean;
  lineNumbers: boolean;
}

interface Opt {
  neg: boolean;
  name: string;
  values: string[];
}

const SERVICES: Record<string, string> = { '22': 'ssh', '53': 'domain', '80': 'http', '443': 'https', '8080': 'http-alt', '6443': 'sun-sr-https', '179': 'bgp', '10250': '10250' };

/** xtables_print_num: K/M/G/T above 99999 unless -x. */
function num(n: number, o: ListOptions, notable = false): string {
  if (o.exact) return notable ? `${n} ` : `${String(n).padStart(8)} `;
  const pad = (s: string, w: number) => (notable ? `${s} ` : `${s.padStart(w)} `);
  if (n <= 99999) return pad(String(n), 5);
  for (const unit of ['K', 'M', 'G']) {
    n = Math.floor((n + 500) / 1000);
    if (n <= 9999) return pad(`${n}${unit}`, 5);
  }
  return pad(`${Math.floor((n + 500) / 1000)}T`, 5);
}

function groupOptions(tokens: string[]): Opt[] {
  const opts: Opt[] = [];
  let neg = false;
  for (const t of tokens) {
    if (t === '!') neg = true;
    else if (t.startsWith('--')) {
      opts.push({ neg, name: t.slice(2), values: [] });
      neg = false;
    } else if (opts.length) opts[opts.length - 1]!.values.push(t);
  }
  return opts;
}

function port(p: string, o: ListOptions): string {
  return o.numeric ? p : (SERVICES[p] ?? p);
}

function ports(kind: 'spt' | 'dpt', opt: Opt, o: ListOptions): string {
  const v = opt.values[0] ?? '';
  const inv = opt.neg ? '!' : '';
  if (v.includes(':')) {
    const [a, b] = v.split(':');
    return ` ${kind}s:${inv}${port(a || '0', o)}:${port(b || '65535', o)}`;
  }
  return ` ${kind}:${inv}${port(v, o)}`;
}

function printTcpUdp(name: string, opts: Opt[], o: ListOptions): string {
  let s = ` ${name}`;
  for (const x of opts) {
    if (x.name === 'sport' || x.name === 'source-port') s += ports('spt', x, o);
    else if (x.name === 'dport' || x.name === 'destination-port') s += ports('dpt', x, o);
    else if (x.name === 'tcp-flags') s += ` flags:${x.neg ? '!' : ''}${x.values[0]}/${x.values[1]}`;
    else s += ` ${x.neg ? '! ' : ''}--${x.name}${x.values.map((v) => ` ${v}`).join('')}`;
  }
  return s;
}

function printStatistic(opts: Opt[]): string {
  const get = (n: string) => opts.find((x) => x.name === n);
  const mode = get('mode')?.values[0] ?? 'random';
  const inv = opts.some((x) => x.neg) ? ' !' : '';
  if (mode === 'nth') return ` statistic mode nth${inv} every ${get('every')?.values[0] ?? '0'}${get('packet') ? ` packet ${get('packet')!.values[0]}` : ''}`;
  const p = Number(get('probability')?.values[0] ?? '0');
  return ` statistic mode random${inv} probability ${p.toFixed(11)}`;
}

function printAddrtype(opts: Opt[]): string {
  let s = ' ADDRTYPE match';
  for (const x of opts) {
    if (x.name === 'src-type') s += ` src-type ${x.neg ? '!' : ''}${x.values[0]}`;
    else if (x.name === 'dst-type') s += ` dst-type ${x.neg ? '!' : ''}${x.values[0]}`;
    else if (x.name === 'limit-iface-in') s += ' limit-in';
    else if (x.name === 'limit-iface-out') s += ' limit-out';
  }
  return s;
}

function printRecent(opts: Opt[]): string {
  const inv = opts.find((x) => ['set', 'rcheck', 'update', 'remove'].includes(x.name))?.neg ? ' !' : '';
  const verbs: Record<string, string> = { set: ' SET', rcheck: ' CHECK', update: ' UPDATE', remove: ' REMOVE' };
  let s = `${inv} recent:`;
  for (const x of opts) if (verbs[x.name]) s += verbs[x.name];
  const get = (n: string) => opts.find((x) => x.name === n);
  if (get('seconds')) s += ` seconds: ${get('seconds')!.values[0]}`;
  if (get('reap')) s += ' reap';
  if (get('hitcount')) s += ` hit_count: ${get('hitcount')!.values[0]}`;
  if (get('rttl')) s += ' TTL-Match';
  s += ` name: ${get('name')?.values[0] ?? 'DEFAULT'}`;
  s += get('rdest') ? ' side: dest' : ' side: source';
  if (get('mask')) s += ` mask: ${get('mask')!.values[0]}`;
  return s;
}

const STATES = ['INVALID', 'NEW', 'RELATED', 'ESTABLISHED', 'UNTRACKED', 'SNAT', 'DNAT'];

function printConntrack(opts: Opt[], legacyState: boolean): string {
  let s = '';
  for (const x of opts) {
    if (x.name === 'ctstate' || x.name === 'state') {
      const list = (x.values[0] ?? '').split(',').sort((a, b) => STATES.indexOf(a) - STATES.indexOf(b));
      s += `${x.neg ? ' !' : ''} ${legacyState ? 'state' : 'ctstate'} ${list.join(',')}`;
    } else s += `${x.neg ? ' !' : ''} ct${x.name.replace(/^ct/, '')} ${x.values.join(' ')}`;
  }
  return s;
}

function printMatch(name: string, opts: Opt[], o: ListOptions): string {
  const first = opts[0];
  switch (name) {
    case 'comment':
      return ` /* ${first?.values[0] ?? ''} */`;
    case 'tcp':
    case 'udp':
      return printTcpUdp(name, opts, o);
    case 'icmp':
      return ` icmp${first?.neg ? ' !' : ''}type ${(first?.values[0] ?? 'any').replace('/', ' code ')}`;
    case 'statistic':
      return printStatistic(opts);
    case 'mark':
      return ` mark match${first?.neg ? ' !' : ''} ${(first?.values[0] ?? '').replace(/\/0xffffffff$/, '')}`;
    case 'addrtype':
      return printAddrtype(opts);
    case 'conntrack':
    case 'state':
      return printConntrack(opts, name === 'state');
    case 'set':
      return `${first?.neg ? ' !' : ''} match-set ${first?.values[0] ?? ''} ${first?.values[1] ?? ''}`;
    case 'recent':
      return printRecent(opts);
    case 'multiport':
      return ` multiport ${first?.name ?? 'ports'}${first?.neg ? ' !' : ''} ${(first?.values[0] ?? '').split(',').map((p) => port(p, o)).join(',')}`;
    case 'physdev':
      return ` PHYSDEV match${opts.map((x) => ` ${x.neg ? '! ' : ''}--${x.name}${x.values.map((v) => ` ${v}`).join('')}`).join('')}`;
    default:
      return ` ${name}${opts.map((x) => ` ${x.neg ? '! ' : ''}--${x.name}${x.values.map((v) => ` ${v}`).join('')}`).join('')}`;
  }
}

function printMarkTarget(opts: Opt[]): string {
  const x = opts[0];
  if (!x) return '';
  const [vs, ms] = (x.values[0] ?? '0').split('/');
  const v = Number(vs) >>> 0;
  const m = ms === undefined ? 0xffffffff : Number(ms) >>> 0;
  const h = (n: number) => `0x${n.toString(16)}`;
  if (x.name === 'set-xmark' || x.name === 'set-mark') {
    if (v === 0) return ` MARK and ${h(~m >>> 0)}`;
    if (v === m) return ` MARK or ${h(v)}`;
    if (m === 0) return ` MARK xor ${h(v)}`;
    if (m === 0xffffffff) return ` MARK set ${h(v)}`;
    return ` MARK xset ${h(v)}/${h(m)}`;
  }
  return ` MARK ${x.name.replace('-mark', '')} ${h(v)}`;
}

function printTarget(name: string, opts: Opt[]): string {
  const flags = opts.filter((x) => ['random', 'random-fully', 'persistent'].includes(x.name)).map((x) => ` ${x.name}`).join('');
  const get = (n: string) => opts.find((x) => x.name === n)?.values[0];
  switch (name) {
    case 'DNAT':
      return ` to:${get('to-destination') ?? ''}${flags}`;
    case 'SNAT':
      return ` to:${get('to-source') ?? ''}${flags}`;
    case 'MASQUERADE':
      return `${get('to-ports') ? ` masq ports: ${get('to-ports')}` : ''}${flags}`;
    case 'REDIRECT':
      return get('to-ports') ? ` redir ports ${get('to-ports')}${flags}` : flags;
    case 'MARK':
      return printMarkTarget(opts);
    case 'REJECT':
      return ` reject-with ${get('reject-with') ?? 'icmp-port-unreachable'}`;
    case 'LOG':
      return ` LOG flags 0 level ${get('log-level') ?? '4'}${get('log-prefix') !== undefined ? ` prefix "${get('log-prefix')}"` : ''}`;
    default:
      return opts.map((x) => ` ${x.name}${x.values.map((v) => ` ${v}`).join('')}`).join('');
  }
}

/** Splits a rule's save form into its `-m` modules and its target, each with its options. */
function modulesOf(rule: Rule): { matches: { name: string; opts: Opt[] }[]; target?: { name: string; opts: Opt[] } } {
  const t = tokenize(renderRule(rule));
  const words = t.ok ? t.words : [];
  const matches: { name: string; opts: Opt[] }[] = [];
  let target: { name: string; opts: Opt[] } | undefined;
  for (let i = 0; i < words.length; i++) {
    if (words[i] !== '-m' && words[i] !== '-j' && words[i] !== '-g') continue;
    const name = words[i + 1] ?? '';
    let j = i + 2;
    while (j < words.length && !['-m', '-j', '-g'].includes(words[j]!) && !(words[j] === '!' && words[j + 1] && !words[j + 1]!.startsWith('--'))) j++;
    const opts = groupOptions(words.slice(i + 2, j));
    if (words[i] === '-m') matches.push({ name, opts });
    else target = { name, opts };
    i = j - 1;
  }
  return target ? { matches, target } : { matches };
}

function address(sel: Rule['src'], o: ListOptions): string {
  const inv = sel?.negate ? '!' : ' ';
  if (!sel || sel.cidr.endsWith('/0')) return `${inv}${(o.numeric ? '0.0.0.0/0' : 'anywhere').padEnd(19)} `;
  return `${inv}${sel.cidr.replace(/\/32$/, '').padEnd(19)} `;
}

function protoLabel(rule: Rule, o: ListOptions): string {
  const p = rule.protocol;
  if (!p) return o.numeric ? '0' : 'all';
  const n = protocolNumber(p.name);
  if (o.numeric) return String(n ?? p.name);
  return /^\d+$/.test(p.name) ? ({ '6': 'tcp', '17': 'udp', '1': 'icmp' }[p.name] ?? p.name) : p.name;
}

function ruleLine(rule: Rule, n: number, o: ListOptions): string {
  let s = o.lineNumbers ? `${String(n).padEnd(4)} ` : '';
  if (o.verbose) s += num(rule.packets, o) + num(rule.bytes, o);
  s += `${(rule.target?.name ?? '').padEnd(9)} `;
  s += `${rule.protocol?.negate ? '!' : ' '}${protoLabel(rule, o).padEnd(5)}`;
  s += '-- ';
  if (o.verbose) {
    const any = o.numeric ? '*' : 'any';
    s += ` ${`${rule.inIface?.negate ? '!' : ''}${rule.inIface?.name ?? any}`.padEnd(6)} `;
    s += `${`${rule.outIface?.negate ? '!' : ''}${rule.outIface?.name ?? any}`.padEnd(6)} `;
  }
  s += address(rule.src, o) + address(rule.dst, o);
  if (rule.goto) s += '[goto] ';
  const mods = modulesOf(rule);
  for (const m of mods.matches) s += printMatch(m.name, m.opts, o);
  if (mods.target) s += printTarget(mods.target.name, mods.target.opts);
  return s;
}

function header(table: TableName, chain: Chain, refs: number, o: ListOptions): string {
  let s = `Chain ${chain.name}`;
  if (isBuiltinChain(table, chain.name)) {
    s += ` (policy ${chain.policy ?? 'ACCEPT'}`;
    if (o.verbose) s += ` ${num(chain.packets, o, true)}packets, ${num(chain.bytes, o, true)}bytes`;
    s += ')\n';
  } else s += ` (${refs} references)\n`;
  if (o.lineNumbers) s += 'num  ';
  if (o.verbose) s += o.exact ? `${'pkts'.padStart(8)} ${'bytes'.padStart(10)} ` : ' pkts bytes ';
  s += 'target     prot opt';
  if (o.verbose) s += ' in     out    ';
  return `${s} source               destination         \n`;
}

function references(table: Map<string, Chain>, name: string): number {
  let n = 0;
  for (const c of table.values()) for (const r of c.rules) if (r.target?.name === name) n++;
  return n;
}

/** The chains of `table` (or only `chain`) as `iptables -L` prints them; null if the chain does not exist. */
export function renderIptablesList(nf: NetfilterState, table: TableName, chain: string | undefined, o: ListOptions): string | null {
  const t = readTable(nf, table);
  const all = [...t.chains.values()];
  const builtin = all.filter((c) => isBuiltinChain(table, c.name));
  const user = all.filter((c) => !isBuiltinChain(table, c.name)).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const chains = chain === undefined ? [...builtin, ...user] : all.filter((c) => c.name === chain);
  if (!chains.length) return chain === undefined ? '' : null;
  const blocks = chains.map((c) => header(table, c, references(t.chains, c.name), o) + c.rules.map((r, i) => `${ruleLine(r, i + 1, o)}\n`).join(''));
  return blocks.join('\n');
}

/** `iptables -S [CHAIN]`: `-P` lines for built-in chains, `-N` for user chains, then the rules. */
export function renderIptablesRules(nf: NetfilterState, table: TableName, chain: string | undefined): string | null {
  const t = readTable(nf, table);
  const all = [...t.chains.values()];
  const chains = chain === undefined ? all : all.filter((c) => c.name === chain);
  if (chain !== undefined && !chains.length) return null;
  const heads = chains.map((c) => (isBuiltinChain(table, c.name) ? `-P ${c.name} ${c.policy ?? 'ACCEPT'}` : `-N ${c.name}`));
  const rules = chains.flatMap((c) => c.rules.map((r) => renderRule(r)));
  return [...heads, ...rules].map((l) => `${l}\n`).join('');
}
