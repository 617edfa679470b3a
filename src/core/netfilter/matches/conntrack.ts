/**
 * `-m conntrack [!] --ctstate S[,S] [!] --ctstatus S[,S] [--ctdir ORIGINAL|REPLY]`.
 * States print in the kernel's bit order: INVALID,NEW,RELATED,ESTABLISHED,UNTRACKED,SNAT,DNAT
 * (verified). SNAT/DNAT are virtual states: the connection has a source/destination NAT.
 */
import type { DerivedField, MatchModule, PacketField, ParseResult, PacketContext } from '../module';

const STATES = ['INVALID', 'NEW', 'RELATED', 'ESTABLISHED', 'UNTRACKED', 'SNAT', 'DNAT'];
const STATUSES = ['NONE', 'EXPECTED', 'SEEN_REPLY', 'ASSURED', 'CONFIRMED'];

/** Parsed `-m conntrack`. */
export interface ConntrackMatch {
  state?: { bits: number; negate: boolean };
  status?: { bits: number; negate: boolean };
  dir?: 'ORIGINAL' | 'REPLY';
}

function parseList(s: string, names: string[]): number | undefined {
  let bits = 0;
  for (const t of s.split(',')) {
    const i = names.indexOf(t);
    if (i < 0) return undefined;
    bits |= 1 << i;
  }
  return bits;
}

function renderList(bits: number, names: string[]): string {
  return names.filter((_, i) => bits & (1 << i)).join(',');
}

/** The STATES bits the packet has (shared with `-m state`). */
export function stateBits(ctx: PacketContext): number {
  let bits = 1 << STATES.indexOf(ctx.ctState);
  if (ctx.ct?.srcNat) bits |= 1 << 5;
  if (ctx.ct?.dstNat) bits |= 1 << 6;
  return bits;
}

function statusBits(ctx: PacketContext): number {
  const ct = ctx.ct;
  if (!ct) return 0;
  let bits = 0;
  if (ct.seenReply) bits |= 1 << 2;
  if (ct.assured) bits |= 1 << 3;
  if (ct.confirmed) bits |= 1 << 4;
  return bits === 0 ? 1 : bits;
}

/** The connection's state and status bits, as the matches read them. */
export const CT_STATE: DerivedField = { name: 'ctstate', read: stateBits };
const CT_STATUS: DerivedField = { name: 'ctstatus', read: statusBits };

/** Parses a STATES list for `-m state` and `-m conntrack`. */
export function parseStates(s: string): number | undefined {
  return parseList(s, STATES);
}

/** Renders STATES bits. */
export function renderStates(bits: number): string {
  return renderList(bits, STATES);
}

/** The `conntrack` match module. */
export const conntrackMatch: MatchModule<ConntrackMatch> = {
  name: 'conntrack',
  options: { '--ctstate': 1, '--ctstatus': 1, '--ctdir': 1 },
  parse(options): ParseResult<ConntrackMatch> {
    const m: ConntrackMatch = {};
    for (const o of options) {
      const a = o.args[0] ?? '';
      if (o.name === '--ctdir') {
        if (a !== 'ORIGINAL' && a !== 'REPLY') return { ok: false, error: `Unknown --ctdir "${a}"` };
        m.dir = a;
        continue;
      }
      const bits = parseList(a, o.name === '--ctstate' ? STATES : STATUSES);
      if (bits === undefined) return { ok: false, error: `Bad ${o.name.slice(2)} "${a}"` };
      m[o.name === '--ctstate' ? 'state' : 'status'] = { bits, negate: o.negate };
    }
    return { ok: true, parsed: m };
  },
  render(m) {
    let s = '';
    if (m.state) s += `${m.state.negate ? ' !' : ''} --ctstate ${renderList(m.state.bits, STATES)}`;
    if (m.status) s += `${m.status.negate ? ' !' : ''} --ctstatus ${renderList(m.status.bits, STATUSES)}`;
    if (m.dir) s += ` --ctdir ${m.dir}`;
    return s;
  },
  evaluate(m, ctx) {
    if (m.state && ((stateBits(ctx) & m.state.bits) !== 0) === m.state.negate) return false;
    if (m.status && ((statusBits(ctx) & m.status.bits) !== 0) === m.status.negate) return false;
    if (m.dir && (ctx.ctDirection === 'reply' ? 'REPLY' : 'ORIGINAL') !== m.dir) return false;
    return true;
  },
  reads(m) {
    const fields: PacketField[] = [];
    if (m.state) fields.push(CT_STATE);
    if (m.status) fields.push(CT_STATUS);
    if (m.dir) fields.push('ctDirection');
    return fields;
  },
};
