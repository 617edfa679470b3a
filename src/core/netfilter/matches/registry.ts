/**
 * Match modules by `-m` name. A module missing here is still parsed and rendered faithfully by
 * the rule parser (as written), evaluates as "matches", and is reported in `HookResult.unmodelled`.
 */
import type { MatchModule } from '../module';
import { addrtypeMatch } from './addrtype';
import { commentMatch } from './comment';
import { conntrackMatch } from './conntrack';
import { icmpMatch } from './icmp';
import { markMatch } from './mark';
import { multiportMatch } from './multiport';
import { nfacctMatch } from './nfacct';
import { physdevMatch } from './physdev';
import { recentMatch } from './recent';
import { setMatch } from './set';
import { stateMatch } from './state';
import { statisticMatch } from './statistic';
import { tcpMatch } from './tcp';
import { udpMatch } from './udp';
import { sctpMatch } from './sctp';

const MODULES: readonly MatchModule<never>[] = [
  addrtypeMatch,
  commentMatch,
  conntrackMatch,
  icmpMatch,
  markMatch,
  multiportMatch,
  nfacctMatch,
  physdevMatch,
  recentMatch,
  setMatch,
  stateMatch,
  statisticMatch,
  tcpMatch,
  udpMatch,
  sctpMatch,
] as unknown as MatchModule<never>[];

const BY_NAME = new Map<string, MatchModule>(MODULES.map((m) => [m.name, m as unknown as MatchModule]));

/** The module for `-m name`, or undefined when it is not modelled. */
export function getMatchModule(name: string): MatchModule | undefined {
  return BY_NAME.get(name);
}

/** The match `-p PROTO` loads implicitly for its options (`-p tcp --dport 80` → `-m tcp`). */
export function implicitProtocolMatch(protocol: number | undefined): string | undefined {
  switch (protocol) {
    case 6:
      return 'tcp';
    case 17:
      return 'udp';
    case 1:
      return 'icmp';
    case 132:
      return 'sctp';
    default:
      return undefined;
  }
}
