/** `-m sctp` (implicit with `-p sctp --dport …`): `--sport`, `--dport`; chunk-type matching is not modelled. */
import type { MatchModule, ParseResult } from '../module';
import { parsePortOption, portsMatch, renderPorts } from './tcp';
import type { TcpMatch } from './tcp';

/** Parsed `-m sctp` port options. */
export type SctpMatch = Pick<TcpMatch, 'sport' | 'dport'>;

/** The `sctp` match module. */
export const sctpMatch: MatchModule<SctpMatch> = {
  name: 'sctp',
  options: { '--sport': 1, '--source-port': 1, '--dport': 1, '--destination-port': 1 },
  parse(options): ParseResult<SctpMatch> {
    const m: SctpMatch = {};
    for (const o of options) {
      const err = parsePortOption(o, m);
      if (err) return { ok: false, error: err };
    }
    return { ok: true, parsed: m };
  },
  render: renderPorts,
  evaluate(m, ctx) {
    return ctx.packet.protocol === 'sctp' && portsMatch(m, ctx.packet.sport, ctx.packet.dport);
  },
};
