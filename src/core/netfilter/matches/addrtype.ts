/**
 * `-m addrtype [!] --src-type T[,T] [!] --dst-type T[,T] [--limit-iface-in|--limit-iface-out]`.
 * Types are kept as the kernel's RTN_* bits and printed in bit order (verified:
 * `LOCAL,UNICAST` is saved as `UNICAST,LOCAL`). LOCAL asks `env.isLocal`; the limit-iface
 * flags narrow LOCAL to the interface in the kernel, which we approximate by the whole netns.
 */
import type { DerivedField, MatchModule, PacketField, ParseResult } from '../module';
import type { HookEnv } from '../types';
import { ipv4ToInt } from '../../util/ip';

const TYPES = ['UNSPEC', 'UNICAST', 'LOCAL', 'BROADCAST', 'ANYCAST', 'MULTICAST', 'BLACKHOLE', 'UNREACHABLE', 'PROHIBIT', 'THROW', 'NAT', 'XRESOLVE'];

/** Parsed `-m addrtype`: bit sets over TYPES. */
export interface AddrtypeMatch {
  src?: { bits: number; negate: boolean };
  dst?: { bits: number; negate: boolean };
  limit?: 'in' | 'out';
}

function parseTypes(s: string): number | undefined {
  let bits = 0;
  for (const t of s.split(',')) {
    const i = TYPES.indexOf(t);
    if (i < 0) return undefined;
    bits |= 1 << i;
  }
  return bits;
}

function renderTypes(bits: number): string {
  return TYPES.filter((_, i) => bits & (1 << i)).join(',');
}

/** The last address `unicastBit` classified and its bit (a pure function of the text: walks ask of the same few addresses). */
let lastIp: string | undefined = undefined;
let lastBit = 1 << 1;

/** The type of a non-local `ip`: BROADCAST, MULTICAST or UNICAST. */
function unicastBit(ip: string): number {
  if (ip === lastIp) return lastBit;
  const n = ipv4ToInt(ip);
  const bit = n === 0xffffffff ? 1 << 3 : n >>> 28 === 0xe ? 1 << 5 : 1 << 1;
  lastIp = ip;
  lastBit = bit;
  return bit;
}

/** The address type of `ip` in this netns, as a TYPES bit (the host is asked directly: no closure per packet). */
function typeBit(ip: string, env: HookEnv): number {
  return env.isLocal(ip) ? 1 << 2 : unicastBit(ip);
}

/** The type of the packet's source and destination in this netns (what the match reads). */
const SRC_TYPE: DerivedField = { name: 'addrtype of src', read: (ctx) => typeBit(ctx.packet.src, ctx.env) };
const DST_TYPE: DerivedField = { name: 'addrtype of dst', read: (ctx) => typeBit(ctx.packet.dst, ctx.env) };

/** The `addrtype` match module. */
export const addrtypeMatch: MatchModule<AddrtypeMatch> = {
  name: 'addrtype',
  options: { '--src-type': 1, '--dst-type': 1, '--limit-iface-in': 0, '--limit-iface-out': 0 },
  parse(options): ParseResult<AddrtypeMatch> {
    const m: AddrtypeMatch = {};
    for (const o of options) {
      if (o.name === '--limit-iface-in') m.limit = 'in';
      else if (o.name === '--limit-iface-out') m.limit = 'out';
      else {
        const bits = parseTypes(o.args[0] ?? '');
        if (bits === undefined) return { ok: false, error: `addrtype: bad type "${o.args[0] ?? ''}"` };
        m[o.name === '--src-type' ? 'src' : 'dst'] = { bits, negate: o.negate };
      }
    }
    return { ok: true, parsed: m };
  },
  render(m) {
    let s = '';
    if (m.src) s += `${m.src.negate ? ' !' : ''} --src-type ${renderTypes(m.src.bits)}`;
    if (m.dst) s += `${m.dst.negate ? ' !' : ''} --dst-type ${renderTypes(m.dst.bits)}`;
    if (m.limit) s += ` --limit-iface-${m.limit}`;
    return s;
  },
  evaluate(m, ctx) {
    if (m.src && ((typeBit(ctx.packet.src, ctx.env) & m.src.bits) !== 0) === m.src.negate) return false;
    if (m.dst && ((typeBit(ctx.packet.dst, ctx.env) & m.dst.bits) !== 0) === m.dst.negate) return false;
    return true;
  },
  reads(m) {
    const fields: PacketField[] = [];
    if (m.src) fields.push(SRC_TYPE);
    if (m.dst) fields.push(DST_TYPE);
    return fields;
  },
};
