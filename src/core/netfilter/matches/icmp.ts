/**
 * `-m icmp --icmp-type TYPE[/CODE]|NAME|any`. iptables-nft saves names as numbers
 * (`echo-request` → `8`, `port-unreachable` → `3/3`) and keeps `any`.
 */
import type { MatchModule, ParseResult } from '../module';

/** Parsed `--icmp-type`: type 255 means any; code range. */
export interface IcmpMatch {
  type: number;
  code: [number, number];
  negate: boolean;
}

const NAMES: Readonly<Record<string, [number, number?]>> = {
  'echo-reply': [0],
  pong: [0],
  'destination-unreachable': [3],
  'network-unreachable': [3, 0],
  'host-unreachable': [3, 1],
  'protocol-unreachable': [3, 2],
  'port-unreachable': [3, 3],
  'fragmentation-needed': [3, 4],
  'source-quench': [4],
  redirect: [5],
  'echo-request': [8],
  ping: [8],
  'time-exceeded': [11],
  'ttl-exceeded': [11],
  'ttl-zero-during-transit': [11, 0],
  'parameter-problem': [12],
  'timestamp-request': [13],
  'timestamp-reply': [14],
};

function parseType(s: string): IcmpMatch | undefined {
  if (s === 'any') return { type: 255, code: [0, 255], negate: false };
  const named = NAMES[s];
  if (named) return { type: named[0], code: named[1] === undefined ? [0, 255] : [named[1], named[1]], negate: false };
  const m = /^(\d+)(?:\/(\d+))?$/.exec(s);
  if (!m || Number(m[1]) > 255 || Number(m[2] ?? 0) > 255) return undefined;
  const code = m[2] === undefined ? ([0, 255] as [number, number]) : ([Number(m[2]), Number(m[2])] as [number, number]);
  return { type: Number(m[1]), code, negate: false };
}

/** The `icmp` match module. */
export const icmpMatch: MatchModule<IcmpMatch> = {
  name: 'icmp',
  options: { '--icmp-type': 1 },
  parse(options): ParseResult<IcmpMatch> {
    let m: IcmpMatch = { type: 255, code: [0, 255], negate: false };
    for (const o of options) {
      const t = parseType(o.args[0] ?? '');
      if (!t) return { ok: false, error: `Invalid ICMP type \`${o.args[0] ?? ''}'` };
      m = { ...t, negate: o.negate };
    }
    return { ok: true, parsed: m };
  },
  render(m) {
    const neg = m.negate ? ' !' : '';
    if (m.type === 255) return `${neg} --icmp-type any`;
    const code = m.code[0] === 0 && m.code[1] === 255 ? '' : `/${m.code[0]}`;
    return `${neg} --icmp-type ${m.type}${code}`;
  },
  evaluate(m, ctx) {
    const p = ctx.packet;
    if (p.protocol !== 'icmp') return false;
    const code = p.icmpCode ?? 0;
    const hit = m.type === 255 || (p.icmpType === m.type && code >= m.code[0] && code <= m.code[1]);
    return hit !== m.negate;
  },
  reads: () => ['protocol', 'icmpType', 'icmpCode'],
};
