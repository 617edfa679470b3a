/** `-m udp` and `-m sctp` (implicit with `-p udp|sctp --dport …`): `--sport`, `--dport`. */
import type { MatchModule, ParseResult } from '../module';
import type { IpProtocol } from '../../datapath/packet';
import { parsePortOption, portReads, portsMatch, renderPorts } from './tcp';
import type { TcpMatch } from './tcp';

/** Parsed port options (the port part of tcp's). */
export type UdpMatch = Pick<TcpMatch, 'sport' | 'dport'>;

/** A match of ports only, for a protocol whose other fields iptables rules here never test. */
export function portOnlyMatch(name: IpProtocol & ('udp' | 'sctp')): MatchModule<UdpMatch> {
  return {
    name,
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
      return ctx.packet.protocol === name && portsMatch(m, ctx.packet.sport, ctx.packet.dport);
    },
    reads: portReads,
  };
}

/** The `udp` match module. */
export const udpMatch = portOnlyMatch('udp');
