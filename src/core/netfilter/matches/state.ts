/** `-m state [!] --state S[,S]`: the legacy spelling of `-m conntrack --ctstate`. */
import type { MatchModule, ParseResult } from '../module';
import { CT_STATE, parseStates, renderStates, stateBits } from './conntrack';

/** Parsed `-m state`. */
export interface StateMatch {
  bits: number;
  negate: boolean;
}

/** The `state` match module. */
export const stateMatch: MatchModule<StateMatch> = {
  name: 'state',
  options: { '--state': 1 },
  parse(options): ParseResult<StateMatch> {
    const o = options[options.length - 1];
    const bits = parseStates(o?.args[0] ?? '');
    // SNAT/DNAT are conntrack-only states.
    if (!o || bits === undefined || bits & 0x60) return { ok: false, error: `Bad state "${o?.args[0] ?? ''}"` };
    return { ok: true, parsed: { bits, negate: o.negate } };
  },
  render(m) {
    return `${m.negate ? ' !' : ''} --state ${renderStates(m.bits)}`;
  },
  evaluate(m, ctx) {
    return ((stateBits(ctx) & m.bits) !== 0) !== m.negate;
  },
  reads: () => [CT_STATE],
};
