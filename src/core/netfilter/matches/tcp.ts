/**
 * `-m tcp` (also loaded implicitly by `-p tcp --dport …`): `--sport`, `--dport`, `--tcp-flags`,
 * `--syn`. iptables-save prints sport, dport, then flags; `--syn` is saved as
 * `--tcp-flags FIN,SYN,RST,ACK SYN`.
 */
import type { MatchModule, ModuleOption, PacketField, ParseResult } from '../module';
import { inPortRange, parsePortRange, renderPortRange } from './ports';

interface PortSel {
  range: [number, number];
  negate: boolean;
}

/** Parsed `-m tcp` options. */
export interface TcpMatch {
  sport?: PortSel;
  dport?: PortSel;
  flags?: { mask: number; comp: number; negate: boolean };
}

const FLAG_BITS: readonly [string, number][] = [
  ['FIN', 1],
  ['SYN', 2],
  ['RST', 4],
  ['PSH', 8],
  ['ACK', 16],
  ['URG', 32],
];

/** tcpdump letters (as in `TcpHeader.flags`) → flag bits. */
const LETTERS: Readonly<Record<string, number>> = { F: 1, S: 2, R: 4, P: 8, '.': 16, U: 32 };

function parseFlags(s: string): number | undefined {
  if (s === 'ALL') return 63;
  if (s === 'NONE') return 0;
  let v = 0;
  for (const f of s.split(',')) {
    const bit = FLAG_BITS.find(([n]) => n === f)?.[1];
    if (bit === undefined) return undefined;
    v |= bit;
  }
  return v;
}

function renderFlags(v: number): string {
  if (v === 0) return 'NONE';
  return FLAG_BITS.filter(([, b]) => v & b)
    .map(([n]) => n)
    .join(',');
}

/** Flag bits of a packet's tcpdump-style flag string (`S.` is SYN|ACK). */
export function tcpFlagBits(flags: string | undefined): number {
  let v = 0;
  for (const ch of flags ?? '') v |= LETTERS[ch] ?? 0;
  return v;
}

/** Parses the port options common to tcp and udp; returns an error message or undefined. */
export function parsePortOption(o: ModuleOption, out: { sport?: PortSel; dport?: PortSel }): string | undefined {
  const range = parsePortRange(o.args[0] ?? '');
  if (!range) return `invalid port/service \`${o.args[0] ?? ''}' specified`;
  if (o.name === '--sport' || o.name === '--source-port') out.sport = { range, negate: o.negate };
  else out.dport = { range, negate: o.negate };
  return undefined;
}

/** Renders `--sport`/`--dport` as iptables-save does. */
export function renderPorts(m: { sport?: PortSel; dport?: PortSel }): string {
  let s = '';
  if (m.sport) s += `${m.sport.negate ? ' !' : ''} --sport ${renderPortRange(m.sport.range)}`;
  if (m.dport) s += `${m.dport.negate ? ' !' : ''} --dport ${renderPortRange(m.dport.range)}`;
  return s;
}

/** True if the packet's ports satisfy the selectors. */
export function portsMatch(m: { sport?: PortSel; dport?: PortSel }, sport?: number, dport?: number): boolean {
  if (m.sport && inPortRange(m.sport.range, sport) === m.sport.negate) return false;
  if (m.dport && inPortRange(m.dport.range, dport) === m.dport.negate) return false;
  return true;
}

/** The fields the port options read, after the protocol every port match checks first. */
export function portReads(m: { sport?: PortSel; dport?: PortSel }): PacketField[] {
  const fields: PacketField[] = ['protocol'];
  if (m.sport) fields.push('sport');
  if (m.dport) fields.push('dport');
  return fields;
}

/** The `tcp` match module. */
export const tcpMatch: MatchModule<TcpMatch> = {
  name: 'tcp',
  options: { '--sport': 1, '--source-port': 1, '--dport': 1, '--destination-port': 1, '--tcp-flags': 2, '--syn': 0 },
  parse(options): ParseResult<TcpMatch> {
    const m: TcpMatch = {};
    for (const o of options) {
      if (o.name === '--tcp-flags' || o.name === '--syn') {
        const mask = o.name === '--syn' ? 0x17 : parseFlags(o.args[0] ?? '');
        const comp = o.name === '--syn' ? 0x02 : parseFlags(o.args[1] ?? '');
        if (mask === undefined || comp === undefined) return { ok: false, error: 'Unknown TCP flag' };
        m.flags = { mask, comp, negate: o.negate };
      } else {
        const err = parsePortOption(o, m);
        if (err) return { ok: false, error: err };
      }
    }
    return { ok: true, parsed: m };
  },
  render(m) {
    let s = renderPorts(m);
    if (m.flags) s += `${m.flags.negate ? ' !' : ''} --tcp-flags ${renderFlags(m.flags.mask)} ${renderFlags(m.flags.comp)}`;
    return s;
  },
  evaluate(m, ctx) {
    const p = ctx.packet;
    if (p.protocol !== 'tcp') return false;
    if (!portsMatch(m, p.sport, p.dport)) return false;
    if (m.flags) {
      const hit = (tcpFlagBits(p.tcpFlags) & m.flags.mask) === m.flags.comp;
      if (hit === m.flags.negate) return false;
    }
    return true;
  },
  reads(m) {
    const fields = portReads(m);
    if (m.flags) fields.push('tcpFlags');
    return fields;
  },
};
