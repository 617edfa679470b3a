/**
 * `-m nfacct --nfacct-name NAME`: counts into a named accounting object and always matches.
 * iptables-save prints two spaces before the name (verified; its printer adds one more). The
 * accounting object itself is not modelled (kube-proxy writes this match on KUBE-FORWARD).
 */
import type { MatchModule, ParseResult } from '../module';
import { saveString } from '../save-string';

/** The `nfacct` match module (parsed: the accounting object's name). */
export const nfacctMatch: MatchModule<string> = {
  name: 'nfacct',
  options: { '--nfacct-name': 1 },
  parse(options): ParseResult<string> {
    const o = options[options.length - 1];
    if (!o) return { ok: false, error: 'nfacct: you must specify --nfacct-name' };
    return { ok: true, parsed: o.args[0] ?? '' };
  },
  render(name) {
    return ` --nfacct-name  ${saveString(name)}`;
  },
  evaluate() {
    return true;
  },
  // The model keeps no accounting object (nothing reads one): evaluating has no effect, so a
  // walk through it may be replayed. Counting into one would need a replay to count too.
  reads: () => [],
};
