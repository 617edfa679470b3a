/** `-m mark [!] --mark VALUE[/MASK]`: `(skb->mark & mask) == value`. */
import type { MatchModule, ParseResult } from '../module';
import { hex, parseU32 } from '../module';

/** Parsed `-m mark`. */
export interface MarkMatch {
  value: number;
  mask: number;
  negate: boolean;
}

/** The `mark` match module. */
export const markMatch: MatchModule<MarkMatch> = {
  name: 'mark',
  options: { '--mark': 1 },
  parse(options): ParseResult<MarkMatch> {
    const o = options[options.length - 1];
    const [v, m] = (o?.args[0] ?? '').split('/');
    const value = parseU32(v ?? '');
    const mask = m === undefined ? 0xffffffff : parseU32(m);
    if (!o || value === undefined || mask === undefined) return { ok: false, error: `Bad MARK value \`${o?.args[0] ?? ''}'` };
    return { ok: true, parsed: { value, mask, negate: o.negate } };
  },
  render(m) {
    return `${m.negate ? ' !' : ''} --mark ${hex(m.value)}${m.mask === 0xffffffff ? '' : `/${hex(m.mask)}`}`;
  },
  evaluate(m, ctx) {
    return (((ctx.packet.mark & m.mask) >>> 0) === m.value) !== m.negate;
  },
  reads: () => ['mark'],
};
