/** `-m udp` (implicit with `-p udp --dport …`): `--sport`, `--dport`. */
import type { MatchModule, ParseResult } from '../module';
import { parsePortOption, portsMatch, renderPorts } from './tcp';
import type { TcpMatch } from './tcp';

/** Parsed `-m udp` options (the port part of tcp's). */
export type UdpMatch = Pick<TcpMatch, 'sport' | 'dport'>;

/** The `udp` match module. */
export const udpMatch: MatchModule<UdpMatch> = {
  name: 'udp',
  options: { '--sport': 1, '--source-port': 1, '--dport': 1, '--destination-port': 1 },
  parse(options): ParseResult<UdpMatch> {
    const m: UdpMatch = {};
    for (const o of options) {
      const err = parsePortOption(o, m);
      if (err) return { ok: false, error: err };
    }
    return { ok: true, parsed: m };
  },
  render: renderPorts,
  evaluate(m, ctx) {
    return ctx.packet.protocol === 'udp' && portsMatch(m, ctx.packet.sport, ctx.packet.dport);
  },
};
