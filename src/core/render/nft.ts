/**
 * `nft list table FAMILY NAME`, as nftables 1.0.x prints it: the table comment, sets and maps in
 * creation order (type, size, flags, timeout, comment, elements), then chains in creation order
 * (base chains with `type … hook … priority …; policy …;`), tabs for indentation, a blank line
 * between blocks. Elements are printed in nft's display order (keys compared as little-endian
 * numbers of their register bytes) and wrapped as nft wraps them: two addresses per line, five
 * ports per line, one concatenation per line.
 * Read first: nftables src/rule.c (set_print, chain_print), src/expression.c (calculate_delim),
 * src/rule.c prio2str (standard priority names). Checked against fixtures/oracles/kube-proxy-nftables.
 */
import type { NftBaseChain, NftElement, NftSet, NftTable } from '../nftables/types';

const NEWLINE_DELIM = ',\n\t\t\t     ';

/** Standard priority names (family ip/ip6/inet) with the hooks they are valid for. */
const PRIORITIES: { name: string; value: number; hooks?: string[] }[] = [
  { name: 'raw', value: -300 },
  { name: 'mangle', value: -150 },
  { name: 'dstnat', value: -100, hooks: ['prerouting'] },
  { name: 'filter', value: 0 },
  { name: 'security', value: 50 },
  { name: 'srcnat', value: 100, hooks: ['postrouting'] },
];

/** `prio2str`: a standard name, a name ± offset up to 10, or the number. */
export function nftPriority(hook: string, prio: number): string {
  for (const p of PRIORITIES) {
    if (p.hooks && !p.hooks.includes(hook)) continue;
    const off = prio - p.value;
    if (off === 0) return p.name;
    if (Math.abs(off) <= 10) return `${p.name} ${off > 0 ? '+' : '-'} ${Math.abs(off)}`;
  }
  return String(prio);
}

/** The bytes nft keeps for one key part (a 32-bit register each: address, protocol, port). */
function partBytes(part: string): number[] {
  const ip = /^(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(part);
  if (ip) return [Number(ip[1]), Number(ip[2]), Number(ip[3]), Number(ip[4])];
  const proto: Record<string, number> = { tcp: 6, udp: 17, sctp: 132, icmp: 1 };
  if (part in proto) return [proto[part]!, 0, 0, 0];
  const n = Number(part);
  if (Number.isInteger(n)) return [(n >> 8) & 255, n & 255, 0, 0];
  return [...part].map((c) => c.charCodeAt(0) & 255);
}

/** nft's display order: the key as one little-endian number (the last byte weighs most). */
function compareElements(a: NftElement, b: NftElement): number {
  const x = a.key.flatMap(partBytes);
  const y = b.key.flatMap(partBytes);
  for (let i = Math.max(x.length, y.length) - 1; i >= 0; i--) {
    const d = (x[i] ?? 0) - (y[i] ?? 0);
    if (d) return d;
  }
  return 0;
}

/** `calculate_delim`: how many elements share a line, by key type. */
function perLine(type: string): number {
  if (type.includes(' . ')) return 1;
  if (type === 'ipv4_addr' || type === 'ipv6_addr') return 2;
  if (type === 'inet_service' || type === 'inet_proto' || type === 'integer') return 5;
  return 1;
}

function elementText(e: NftElement): string {
  return `${e.key.join(' . ')}${e.comment !== undefined ? ` comment "${e.comment}"` : ''}${e.value !== undefined ? ` : ${e.value}` : ''}`;
}

function elementsLine(s: NftSet): string {
  const els = [...s.elements].sort(compareElements).map(elementText);
  const n = perLine(s.type);
  let out = '';
  els.forEach((t, i) => {
    if (i > 0) out += i % n === 0 ? NEWLINE_DELIM : ', ';
    out += t;
  });
  return `\t\telements = { ${out} }`;
}

/** `3h`, `10m`, `45s`, `1h30m` as nft prints timeouts. */
function duration(seconds: number): string {
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = seconds % 60;
  return `${h ? `${h}h` : ''}${m ? `${m}m` : ''}${s || (!h && !m) ? `${s}s` : ''}`;
}

function setBlock(s: NftSet): string[] {
  const lines = [`\t${s.kind} ${s.name} {`, `\t\ttype ${s.type}${s.valueType ? ` : ${s.valueType}` : ''}`];
  if (s.size !== undefined) lines.push(`\t\tsize ${s.size}`);
  if (s.flags?.length) lines.push(`\t\tflags ${s.flags.join(',')}`);
  if (s.timeout !== undefined) lines.push(`\t\ttimeout ${duration(s.timeout)}`);
  if (s.comment !== undefined) lines.push(`\t\tcomment "${s.comment}"`);
  if (s.elements.length) lines.push(elementsLine(s));
  lines.push('\t}');
  return lines;
}

function baseLine(b: NftBaseChain): string {
  return `\t\ttype ${b.type} hook ${b.hook} priority ${nftPriority(b.hook, b.priority)}; policy ${b.policy};`;
}

/** The text `nft list table FAMILY NAME` prints for `t` (ends with a newline). */
export function renderNftTable(t: NftTable): string {
  const blocks: string[][] = [];
  for (const s of t.sets) blocks.push(setBlock(s));
  for (const c of t.chains) {
    const lines = [`\tchain ${c.name} {`];
    if (c.comment !== undefined) lines.push(`\t\tcomment "${c.comment}"`);
    if (c.base) lines.push(baseLine(c.base));
    for (const r of c.rules) lines.push(`\t\t${r.text}${r.comment !== undefined ? ` comment "${r.comment}"` : ''}`);
    lines.push('\t}');
    blocks.push(lines);
  }
  const head = [`table ${t.family} ${t.name} {`];
  if (t.comment !== undefined) head.push(`\tcomment "${t.comment}"`);
  return `${head.join('\n')}\n${blocks.map((b) => b.join('\n')).join('\n\n')}\n}\n`;
}
