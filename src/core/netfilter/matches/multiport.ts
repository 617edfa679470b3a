/** `-m multiport --dports|--sports|--ports a,b,c:d` (up to 15 ports; a range counts as two). */
import type { MatchModule, ParseResult } from '../module';
import { parsePortRange, renderPortRange } from './ports';

/** Parsed `-m multiport`. */
export interface MultiportMatch {
  dir: 'dports' | 'sports' | 'ports';
  ranges: [number, number][];
  negate: boolean;
}

const DIRS: Readonly<Record<string, MultiportMatch['dir']>> = {
  '--dports': 'dports',
  '--destination-ports': 'dports',
  '--sports': 'sports',
  '--source-ports': 'sports',
  '--ports': 'ports',
};

/** The `multiport` match module. */
export const multiportMatch: MatchModule<MultiportMatch> = {
  name: 'multiport',
  options: { '--dports': 1, '--destination-ports': 1, '--sports': 1, '--source-ports': 1, '--ports': 1 },
  parse(options, rule): ParseResult<MultiportMatch> {
    if (rule.protocol !== 6 && rule.protocol !== 17 && rule.protocol !== 132 && rule.protocol !== 136 && rule.protocol !== 33)
      return { ok: false, error: "multiport needs `-p tcp', `-p udp', `-p udplite', `-p sctp' or `-p dccp'" };
    const o = options[options.length - 1];
    if (!o) return { ok: false, error: 'multiport expects an option' };
    const ranges: [number, number][] = [];
    for (const part of (o.args[0] ?? '').split(',')) {
      const r = parsePortRange(part);
      if (!r) return { ok: false, error: `invalid port/service \`${part}' specified` };
      ranges.push(r);
    }
    return { ok: true, parsed: { dir: DIRS[o.name]!, ranges, negate: o.negate } };
  },
  render(m) {
    return `${m.negate ? ' !' : ''} --${m.dir} ${m.ranges.map(renderPortRange).join(',')}`;
  },
  evaluate(m, ctx) {
    const { sport, dport } = ctx.packet;
    const hit = m.ranges.some(
      ([lo, hi]) =>
        (m.dir !== 'sports' && dport !== undefined && dport >= lo && dport <= hi) ||
        (m.dir !== 'dports' && sport !== undefined && sport >= lo && sport <= hi),
    );
    return hit !== m.negate;
  },
  reads: (m) => (m.dir === 'dports' ? ['dport'] : m.dir === 'sports' ? ['sport'] : ['sport', 'dport']),
};
